"""The HubSpot connection's sync runs (``hubspot_syncs``): start one, resume the one left running, save each page's
progress with that page's writes, finish it. Read by the sync and by ``hubspot status`` (docs/domain.md §12)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from core.store.schema import hubspot_syncs

RUNNING, DONE = "running", "done"
DETAILS_KEPT = 50  # rejected records and conflicts kept by id and reason; the counts are always whole


@dataclass
class SyncRun:
    """One sync as stored: where it is and what it has done so far."""

    id: int
    mode: str
    status: str
    since_ms: int | None
    window_ms: int | None
    after: str | None
    next_since_ms: int | None
    total: int | None
    operation_id: int | None
    started_at: datetime
    finished_at: datetime | None
    pages: int = 0
    fetched: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0
    conflicts: int = 0
    errors: int = 0
    requests: int = 0
    retries: int = 0
    details: dict[str, Any] = field(default_factory=dict)  # rejected, conflicts (lists), status_moves (counts)


COUNTS = ("pages", "fetched", "created", "updated", "unchanged", "stale", "conflicts", "errors", "requests", "retries")
_COLUMNS = tuple(f.name for f in fields(SyncRun) if f.name != "details")


def _run(row: Any) -> SyncRun:
    values = {name: row[name] for name in _COLUMNS}
    return SyncRun(**values, details=json.loads(row["details"] or "{}"))


def _latest(conn: Connection, *statuses: str) -> SyncRun | None:
    query = select(hubspot_syncs).where(hubspot_syncs.c.status.in_(statuses)).order_by(hubspot_syncs.c.id.desc())
    row = conn.execute(query.limit(1)).mappings().first()
    return _run(row) if row is not None else None


def unfinished(conn: Connection) -> SyncRun | None:
    """The sync left running (interrupted, or still going in another process): the next sync resumes it."""
    return _latest(conn, RUNNING)


def last_done(conn: Connection) -> SyncRun | None:
    """The last sync that finished: its ``next_since_ms`` is where the next incremental sync starts."""
    return _latest(conn, DONE)


def latest(conn: Connection) -> SyncRun | None:
    return _latest(conn, RUNNING, DONE)


def start(
    conn: Connection,
    *,
    mode: str,
    since_ms: int | None,
    next_since_ms: int,
    operation_id: int,
    at: datetime,
    actor: str,
) -> SyncRun:
    """Record a new sync, running from its first page."""
    values: dict[str, Any] = {name: 0 for name in COUNTS}
    values |= {
        "mode": mode,
        "status": RUNNING,
        "since_ms": since_ms,
        "window_ms": since_ms,
        "next_since_ms": next_since_ms,
        "operation_id": operation_id,
        "started_at": at,
        "updated_at": at,
        "actor": actor,
    }
    new_id = conn.execute(insert(hubspot_syncs).values(values)).inserted_primary_key[0]  # type: ignore[index]
    found = conn.execute(select(hubspot_syncs).where(hubspot_syncs.c.id == new_id)).mappings().one()
    return _run(found)


def save(conn: Connection, run: SyncRun, *, at: datetime, status: str = RUNNING) -> None:
    """Store the run's cursor and counts (in the transaction of the page they describe), or finish it."""
    values: dict[str, Any] = {name: getattr(run, name) for name in COUNTS}
    values |= {
        "status": status,
        "window_ms": run.window_ms,
        "after": run.after,
        "total": run.total,
        "details": json.dumps(run.details) if run.details else None,
        "updated_at": at,
    }
    if status != RUNNING:
        values["finished_at"] = at
    conn.execute(update(hubspot_syncs).where(hubspot_syncs.c.id == run.id).values(values))
    run.status = status


def note(run: SyncRun, kind: str, item: dict[str, Any]) -> None:
    """Keep one rejected record or conflict (the first ``DETAILS_KEPT`` of each kind)."""
    kept = run.details.setdefault(kind, [])
    if len(kept) < DETAILS_KEPT:
        kept.append(item)
