"""Background jobs (docs/architecture.md, "Long work"): one row per long change run off the page, and per
scheduled run of the worker. The page polls the row; the work itself runs in one transaction of its own."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, Index, Integer, String, Table, Text, UniqueConstraint, text

from core.store.schema.tables import metadata

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
JOB_STATES = (QUEUED, RUNNING, DONE, FAILED)

jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(40), nullable=False),  # set_status, apply_updates, import, workflows_run
    Column("requested_by", String(100), nullable=False),  # the actor, or "system" for the worker's schedule
    Column("state", String(12), nullable=False),  # queued, running, done, failed
    Column("params", Text, nullable=False, server_default="{}"),  # JSON: what was asked, in words and figures
    Column("progress", Float, nullable=False, server_default=text("0")),  # 0..1
    Column("step", String(200)),  # what it is doing now, in words
    Column("result", Text),  # JSON: what the service returned (the command line's JSON)
    Column("error", Text),  # a failed job: the message shown to the user
    Column("slot", String(40)),  # a scheduled run: its slot (one run per kind and slot, across workers)
    Column("claimed_by", String(100)),  # host:pid of the process running it
    Column("created_at", DateTime, nullable=False),
    Column("started_at", DateTime),
    Column("heartbeat_at", DateTime),
    Column("finished_at", DateTime),
    UniqueConstraint("kind", "slot", name="uq_jobs_kind_slot"),
    Index("ix_jobs_state", "state", "id"),
    Index("ix_jobs_requested_by", "requested_by", "id"),
)
