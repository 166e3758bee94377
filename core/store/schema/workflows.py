"""Workflow tables (docs/domain.md §6.3): definitions, enrollments, applied actions, attempts and runs.

Exactly once: an enrollment's action k is applied in the same transaction that inserts the row
(enrollment_id, k) of ``workflow_action_runs`` (its primary key) and advances the enrollment, so a
crash rolls all three back together and nothing can apply it a second time. Migration: 0004_workflows.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from core.store.schema.tables import metadata

# States of an enrollment. Open ones still have actions to run.
ACTIVE, RETRYING, COMPLETED, FAILED = "active", "retrying", "completed", "failed"
OPEN_STATES = (ACTIVE, RETRYING)
OPEN_SQL = "state IN ('active', 'retrying')"  # the partial index's condition; queries repeat it literally

workflows = Table(
    "workflows",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("enabled", Boolean, nullable=False, server_default=text("false")),
    Column("criteria", Text, nullable=False),  # filter JSON (core.rules.filters)
    Column("actions", Text, nullable=False),  # ordered actions JSON (core.rules.workflows)
    Column("reenroll", Boolean, nullable=False, server_default=text("false")),
    Column("revision", Integer, nullable=False, server_default=text("1")),  # +1 on every edit
    Column("max_tier", Integer),  # the billed tier consented to when it was last enabled
    Column("blocked", Text),  # why the last run had to stop it (e.g. a tier beyond the consent)
    Column("created_at", DateTime, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("updated_by", String(200), nullable=False),
    Column("enabled_at", DateTime),
    Column("enabled_by", String(200)),
    sqlite_autoincrement=True,  # ids are never reused: events name the workflow by id (migration 0006)
)

# One row per contact per pass through a workflow; seq > 1 only with re-enrollment on.
workflow_enrollments = Table(
    "workflow_enrollments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workflow_id", Integer, ForeignKey("workflows.id", ondelete="CASCADE"), nullable=False),
    Column("contact_id", Integer, nullable=False),  # no foreign key: a deleted contact is a recorded failure
    Column("seq", Integer, nullable=False, server_default=text("1")),
    Column("enrolled_at", DateTime, nullable=False),
    Column("next_action", Integer, nullable=False, server_default=text("0")),
    Column("state", String(12), nullable=False),
    Column("finished_at", DateTime),
    Column("rearmed", Boolean, nullable=False, server_default=text("false")),  # left the criteria since
    UniqueConstraint("workflow_id", "contact_id", "seq", name="ux_workflow_enrollments_contact"),
    # Only the enrollments still waiting: finding the next batch never walks finished ones.
    Index(
        "ix_workflow_enrollments_open",
        "workflow_id",
        "next_action",
        "id",
        sqlite_where=text(OPEN_SQL),
        postgresql_where=text(OPEN_SQL),
    ),
)

# The exactly-once guard and the per-enrollment outcome of each action.
workflow_action_runs = Table(
    "workflow_action_runs",
    metadata,
    Column(
        "enrollment_id",
        Integer,
        ForeignKey("workflow_enrollments.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("action_index", Integer, primary_key=True, autoincrement=False),
    Column("workflow_id", Integer, nullable=False),
    Column("outcome", String(20), nullable=False),  # scheduled, changed, undone, added, removed, unchanged, failed
    Column("applied_at", DateTime, nullable=False),
    Column("attempt_id", Integer, nullable=False),  # the successful attempt; its batch_key finds the others
    Column("error", Text),
    sqlite_with_rowid=False,
)

# Every attempt at a batch (or at enrolling), with its error; failed ones are written in their own
# short transaction so that they survive the rollback of the work they tried.
workflow_attempts = Table(
    "workflow_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_key", String(32), nullable=False),
    Column("batch_key", String(32), nullable=False),
    Column("workflow_id", Integer, ForeignKey("workflows.id", ondelete="CASCADE"), nullable=False),
    Column("action_index", Integer),  # NULL: the enrollment step
    Column("action", String(300), nullable=False),  # "Enroll matching contacts", "1. Add to list 'VIP'", ...
    Column("first_enrollment", Integer),
    Column("last_enrollment", Integer),
    Column("enrollments", Integer, nullable=False, server_default=text("0")),
    Column("attempt", Integer, nullable=False),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime, nullable=False),
    Column("duration_ms", Integer, nullable=False, server_default=text("0")),
    Column("outcome", String(12), nullable=False),  # ok, transient, permanent, blocked
    Column("applied", Integer, nullable=False, server_default=text("0")),  # rows done when ok
    Column("error", Text),
    Column("actor", String(200), nullable=False),
    Index("ix_workflow_attempts_workflow", "workflow_id", "id"),
    Index("ix_workflow_attempts_batch", "batch_key"),
)

workflow_runs = Table(
    "workflow_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_key", String(32), nullable=False, unique=True),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime),  # NULL: still running, or stopped (killed) before the end
    Column("actor", String(200), nullable=False),
    Column("summary", Text),  # the JSON that `workflows run` printed
)
