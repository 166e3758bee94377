"""The SQL of background jobs (``core.store.schema.jobs``). Every write here is its own short transaction,
separate from the change the job runs: a job's row says how far it got while the change itself stays invisible
until it commits (docs/architecture.md, "Long work")."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from core.store import engine as db
from core.store.schema.jobs import DONE, FAILED, QUEUED, RUNNING, jobs

__all__ = ["DONE", "FAILED", "QUEUED", "RUNNING", "JobRow"]


@dataclass(frozen=True)
class JobRow:
    id: int
    kind: str
    requested_by: str
    state: str
    params: dict[str, Any]
    progress: float
    step: str | None
    result: dict[str, Any] | None
    error: str | None
    slot: str | None
    claimed_by: str | None
    created_at: datetime
    started_at: datetime | None
    heartbeat_at: datetime | None
    finished_at: datetime | None


def _row(r: Any) -> JobRow:
    return JobRow(
        id=r.id,
        kind=r.kind,
        requested_by=r.requested_by,
        state=r.state,
        params=json.loads(r.params or "{}"),
        progress=float(r.progress),
        step=r.step,
        result=json.loads(r.result) if r.result else None,
        error=r.error,
        slot=r.slot,
        claimed_by=r.claimed_by,
        created_at=r.created_at,
        started_at=r.started_at,
        heartbeat_at=r.heartbeat_at,
        finished_at=r.finished_at,
    )


def _dump(value: dict[str, Any]) -> str:
    return json.dumps(value, default=str)


def create(
    engine: Engine,
    *,
    kind: str,
    requested_by: str,
    params: dict[str, Any],
    now: datetime,
    claimed_by: str | None = None,
    slot: str | None = None,
) -> int | None:
    """A new job, queued, or already running when ``claimed_by`` runs it at once. None: a job of this kind already
    holds ``slot`` (another worker ran or runs that scheduled slot)."""
    values = {
        "kind": kind,
        "requested_by": requested_by,
        "state": RUNNING if claimed_by else QUEUED,
        "params": _dump(params),
        "slot": slot,
        "claimed_by": claimed_by,
        "created_at": now,
        "started_at": now if claimed_by else None,
        "heartbeat_at": now if claimed_by else None,
    }
    for attempt in range(2):
        try:
            with db.write_job(engine) as conn:
                return int(conn.execute(insert(jobs).values(**values).returning(jobs.c.id)).scalar_one())
        except IntegrityError:
            if attempt or not _free_failed_slot(engine, kind=kind, slot=slot):
                return None
    return None


def _free_failed_slot(engine: Engine, *, kind: str, slot: str | None) -> bool:
    """A slot whose job failed may run again: the failed job keeps its row, without the slot."""
    with db.write_job(engine) as conn:
        freed = conn.execute(
            update(jobs).where(jobs.c.kind == kind, jobs.c.slot == slot, jobs.c.state == FAILED).values(slot=None)
        )
        return bool(freed.rowcount)


def claim_next(engine: Engine, *, claimed_by: str, now: datetime) -> JobRow | None:
    """Take the oldest queued job for this process (PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so two workers never
    take the same one; SQLite: one writer at a time)."""
    with db.write_job(engine) as conn:
        query = select(jobs.c.id).where(jobs.c.state == QUEUED).order_by(jobs.c.id).limit(1)
        if conn.dialect.name != "sqlite":
            query = query.with_for_update(skip_locked=True)
        job_id = conn.execute(query).scalar()
        if job_id is None:
            return None
        conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id)
            .values(state=RUNNING, claimed_by=claimed_by, started_at=now, heartbeat_at=now)
        )
        return _row(conn.execute(select(jobs).where(jobs.c.id == job_id)).one())


def report(engine: Engine, job_id: int, *, progress: float, step: str, now: datetime) -> None:
    """How far a running job got (and that its process is alive)."""
    with db.write_job(engine) as conn:
        conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.state == RUNNING)
            .values(progress=progress, step=step[:200], heartbeat_at=now)
        )


def finish(
    engine: Engine,
    job_id: int,
    *,
    now: datetime,
    result: dict[str, Any] | None = None,
    error: str | None = None,
) -> None:
    """A job done (with the service's result) or failed (with the message for the user)."""
    values: dict[str, Any] = {"finished_at": now, "heartbeat_at": now}
    if error is None:
        values |= {"state": DONE, "progress": 1.0, "step": "done", "result": _dump(result or {})}
    else:
        values |= {"state": FAILED, "error": error}
    with db.write_job(engine) as conn:
        conn.execute(update(jobs).where(jobs.c.id == job_id).values(**values))


def get(engine: Engine, job_id: int) -> JobRow | None:
    with db.read(engine) as conn:
        row = conn.execute(select(jobs).where(jobs.c.id == job_id)).first()
        return _row(row) if row is not None else None


def recent(
    engine: Engine, *, requested_by: str | None = None, kind: str | None = None, limit: int = 20
) -> list[JobRow]:
    """The latest jobs, newest first (of one person, or one kind, when given)."""
    query = select(jobs).order_by(jobs.c.id.desc()).limit(limit)
    if requested_by is not None:
        query = query.where(jobs.c.requested_by == requested_by)
    if kind is not None:
        query = query.where(jobs.c.kind == kind)
    with db.read(engine) as conn:
        return [_row(r) for r in conn.execute(query)]


def running(engine: Engine) -> list[JobRow]:
    with db.read(engine) as conn:
        return [_row(r) for r in conn.execute(select(jobs).where(jobs.c.state == RUNNING).order_by(jobs.c.id))]


def fail_stale(engine: Engine, *, ids: list[int], now: datetime, message: str) -> int:
    """Mark running jobs whose process is gone as failed (their change rolled back with the process)."""
    if not ids:
        return 0
    with db.write_job(engine) as conn:
        done = conn.execute(
            update(jobs)
            .where(jobs.c.id.in_(ids), jobs.c.state == RUNNING)
            .values(state=FAILED, error=message, finished_at=now)
        )
        return int(done.rowcount or 0)


def prune(engine: Engine, *, finished_before: datetime) -> int:
    """Delete the jobs that ended before ``finished_before`` (their outcome is in the audit; a job row only serves
    the sidebar and the worker's slots, which never go back that far)."""
    with db.write_job(engine) as conn:
        gone = conn.execute(delete(jobs).where(jobs.c.state.in_((DONE, FAILED)), jobs.c.finished_at < finished_before))
        return int(gone.rowcount or 0)


def silent_since(engine: Engine, *, before: datetime) -> list[JobRow]:
    """Running jobs that have not reported since ``before`` (or never did)."""
    stale = or_(jobs.c.heartbeat_at.is_(None), jobs.c.heartbeat_at < before)
    with db.read(engine) as conn:
        rows = conn.execute(select(jobs).where(and_(jobs.c.state == RUNNING, stale)).order_by(jobs.c.id))
        return [_row(r) for r in rows]


HEARTBEAT = timedelta(seconds=5)
