"""Tables of the HubSpot connection (docs/domain.md §12): one row per sync, with its cursor and progress.

Migration: 0010_hubspot. The access token is never stored here or anywhere else in the database.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text

from core.store.schema.tables import metadata

# One row per sync: how it pulls (``full`` or ``incremental`` from ``since_ms``), where it is (``after``, the cursor
# of the next page; ``window_ms``, the lower bound of the current search window), what it has done so far, and
# ``status``: running (or interrupted: the next sync resumes it) or done.
hubspot_syncs = Table(
    "hubspot_syncs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("mode", String(12), nullable=False),  # full / incremental
    Column("status", String(12), nullable=False),  # running / done
    Column("since_ms", BigInteger),  # incremental: contacts modified at or after this (epoch ms, HubSpot's clock)
    Column("window_ms", BigInteger),  # the current search window's lower bound (search pages at most 10,000)
    Column("after", String(200)),  # the cursor of the next page to fetch; NULL: from the start
    Column("next_since_ms", BigInteger),  # where the next incremental sync starts: this one's start, less a margin
    Column("total", Integer),  # contacts HubSpot reported for this sync (the progress bar's 100 %)
    Column("pages", Integer, nullable=False),
    Column("fetched", Integer, nullable=False),
    Column("created", Integer, nullable=False),
    Column("updated", Integer, nullable=False),
    Column("unchanged", Integer, nullable=False),
    Column("stale", Integer, nullable=False),
    Column("conflicts", Integer, nullable=False),
    Column("errors", Integer, nullable=False),
    Column("requests", Integer, nullable=False),
    Column("retries", Integer, nullable=False),
    Column("details", Text),  # JSON: the first rejected records and conflicting contacts, with reasons
    Column("operation_id", Integer, ForeignKey("operations.id")),  # the audit operation its events belong to
    Column("started_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
    Column("actor", String(200), nullable=False),
    Index("ix_hubspot_syncs_status", "status", "id"),
)
