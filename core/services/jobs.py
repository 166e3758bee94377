"""Background jobs (docs/architecture.md, "Long work"): a long change runs off the page, in a thread of the
process that asked for it (or of the worker), and reports how far it got; the page polls it.

The change itself is the same service the page would have called, in its one transaction: until it commits,
nobody sees any of it, and if the process dies it rolls back and the job is marked failed. Progress goes to the
job's row through short transactions of its own (PostgreSQL: any replica sees it) and to this process's memory
(SQLite, whose one write lock the running change holds: the process that runs the job shows its progress).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, overload

from sqlalchemy import Engine

from core.clock import utc_now
from core.errors import DomainError
from core.i18n import N_
from core.rules.filters import FilterError
from core.store import jobs as store
from core.store.jobs import DONE, FAILED, RUNNING, JobRow

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]
Work = Callable[[Progress], dict[str, Any]]

HEARTBEAT_S = 5.0  # a running job writes its row at least this often (PostgreSQL)
SILENT_AFTER = timedelta(seconds=60)  # a job of another host silent this long is taken as dead
REPORT_EVERY_S = 0.5
INTERRUPTED = N_(
    "Interrupted: the process running it stopped before it finished. Nothing was changed; start it again."
)  # stored as the job's error, in English; the sidebar translates it
# A workflow run commits batch by batch (docs/domain.md §6.3): what it did stays, and the next run goes on from there.
IN_BATCHES = {"workflows_run"}
INTERRUPTED_IN_BATCHES = N_("Interrupted: the process running it stopped. The batches done stay; the next run goes on.")


def interrupted(kind: str) -> str:
    return INTERRUPTED_IN_BATCHES if kind in IN_BATCHES else INTERRUPTED


_live: dict[int, tuple[float, str]] = {}  # job id -> (progress, step), for the jobs this process runs
_lock = threading.Lock()


def process_name() -> str:
    """Who runs a job: this host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class Job:
    """A job as a page shows it."""

    id: int
    kind: str
    requested_by: str
    state: str  # queued, running, done, failed
    progress: float
    step: str
    params: dict[str, Any]
    result: dict[str, Any] | None
    error: str | None
    created_at: datetime
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "requested_by": self.requested_by,
            "state": self.state,
            "progress": self.progress,
            "step": self.step,
            "params": self.params,
            "result": self.result,
            "error": self.error,
            "created_at": self.created_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


def _dead(row: JobRow, now: datetime) -> bool:
    """A running job whose process is gone: this process no longer runs it, its process on this host has ended,
    or (another host, PostgreSQL) it has not reported for ``SILENT_AFTER``."""
    if row.state != RUNNING:
        return False
    host, _, pid = (row.claimed_by or "").rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        if int(pid) == os.getpid():
            with _lock:
                return row.id not in _live
        return not _pid_alive(int(pid))
    return row.heartbeat_at is None or row.heartbeat_at < now - SILENT_AFTER


def _view(row: JobRow, now: datetime) -> Job:
    progress, step, state, error = row.progress, row.step or "", row.state, row.error
    with _lock:
        live = _live.get(row.id)
    if live is not None and state == RUNNING:
        progress, step = max(progress, live[0]), live[1]
    elif _dead(row, now):
        state, error = FAILED, interrupted(row.kind)
    return Job(
        row.id,
        row.kind,
        row.requested_by,
        state,
        progress,
        step,
        row.params,
        row.result,
        error,
        row.created_at,
        row.finished_at,
    )


def _checked(engine: Engine, row: JobRow, now: datetime) -> Job:
    """``_view``, but a job judged dead from a row read while it was still running is read again: a job of this
    process that finished between the read and the check (it leaves ``_live`` after its row says how it ended) is
    shown as it ended, not as interrupted."""
    job = _view(row, now)
    if job.state == FAILED and row.state == RUNNING and (again := store.get(engine, row.id)) is not None:
        return _view(again, now)
    return job


def job_status(engine: Engine, job_id: int) -> Job | None:
    """A job as it is now (None: no such job)."""
    row = store.get(engine, job_id)
    return _checked(engine, row, utc_now()) if row is not None else None


def recent_jobs(
    engine: Engine, *, requested_by: str | None = None, kind: str | None = None, limit: int = 20
) -> list[Job]:
    now = utc_now()
    return [_checked(engine, r, now) for r in store.recent(engine, requested_by=requested_by, kind=kind, limit=limit)]


def running_job(engine: Engine, *, kind: str) -> Job | None:
    """The latest job of ``kind`` if it is still running (a session that did not start it may follow it)."""
    latest = recent_jobs(engine, kind=kind, limit=1)
    return latest[0] if latest and not latest[0].finished else None


class _Reporter:
    """A job's progress callback: kept in memory, and on PostgreSQL written to the row (at most twice a second,
    and at least every ``HEARTBEAT_S`` while the job runs, so other replicas know it is alive)."""

    def __init__(self, engine: Engine, job_id: int) -> None:
        self.engine, self.job_id = engine, job_id
        self.shared = engine.dialect.name != "sqlite"
        self.last_write = 0.0
        self.value: tuple[float, str] = (0.0, "starting")
        self.stopped = threading.Event()
        self.beat = threading.Thread(target=self._heartbeat, name=f"job-{job_id}-heartbeat", daemon=True)
        if self.shared:
            self.beat.start()

    def __call__(self, fraction: float, step: str) -> None:
        self.value = (max(0.0, min(1.0, fraction)), step)
        with _lock:
            _live[self.job_id] = self.value
        if self.shared and time.monotonic() - self.last_write >= REPORT_EVERY_S:
            self._write()

    def _write(self) -> None:
        self.last_write = time.monotonic()
        try:
            store.report(self.engine, self.job_id, progress=self.value[0], step=self.value[1], now=utc_now())
        except Exception:  # progress is a courtesy: never let it break the change it reports on
            log.warning("job %s: could not record progress", self.job_id, exc_info=True)

    def _heartbeat(self) -> None:
        while not self.stopped.wait(HEARTBEAT_S):
            self._write()

    def stop(self) -> None:
        self.stopped.set()


def run_job(engine: Engine, job_id: int, work: Work, *, kind: str = "") -> Job:
    """Run a claimed job here and now: the work's result, or its error as the user should read it."""
    reporter = _Reporter(engine, job_id)
    with _lock:
        _live[job_id] = reporter.value
    result: dict[str, Any] | None = None
    error: str | None = None
    try:
        result = work(reporter)
    except (DomainError, FilterError) as exc:
        error = str(exc)
    except Exception as exc:  # the change rolled back; say so rather than leave the job running forever
        log.error("job %s failed:\n%s", job_id, traceback.format_exc())
        first_line = str(exc).splitlines()[0] if str(exc) else ""
        what = "what was done stays" if kind in IN_BATCHES else "nothing was changed"
        error = f"Failed, {what}: {type(exc).__name__}: {first_line}"
    finally:
        reporter.stop()
        store.finish(engine, job_id, now=utc_now(), result=result, error=error)
        with _lock:
            _live.pop(job_id, None)
    done = job_status(engine, job_id)
    assert done is not None
    return done


@overload
def start_job(engine: Engine, *, kind: str, actor: str, params: dict[str, Any], work: Work) -> int: ...
@overload
def start_job(
    engine: Engine, *, kind: str, actor: str, params: dict[str, Any], work: Work, slot: str
) -> int | None: ...
def start_job(
    engine: Engine, *, kind: str, actor: str, params: dict[str, Any], work: Work, slot: str | None = None
) -> int | None:
    """Record a job as running in this process and run it in a thread of its own; returns its id at once. With
    ``slot``, at most one job of this kind holds it (None: another one already ran or runs it)."""
    job_id = store.create(
        engine, kind=kind, requested_by=actor, params=params, now=utc_now(), claimed_by=process_name(), slot=slot
    )
    if job_id is None:
        return None
    with _lock:
        _live[job_id] = (0.0, "starting")
    runner = threading.Thread(
        target=run_job, args=(engine, job_id, work), kwargs={"kind": kind}, name=f"job-{job_id}", daemon=True
    )
    runner.start()
    return job_id


def run_scheduled(engine: Engine, *, kind: str, slot: str, actor: str, work: Work) -> Job | None:
    """A scheduled run (the worker's): recorded under ``slot`` first, so that a kind's slot runs once across every
    worker. None: another worker has it."""
    job_id = store.create(
        engine,
        kind=kind,
        requested_by=actor,
        params={"slot": slot},
        now=utc_now(),
        claimed_by=process_name(),
        slot=slot,
    )
    if job_id is None:
        return None
    return run_job(engine, job_id, work, kind=kind)


def reap(engine: Engine) -> int:
    """Mark as failed the running jobs whose process is gone (a change rolls back with its process)."""
    now = utc_now()
    dead = [r for r in store.running(engine) if _dead(r, now)]
    return sum(
        store.fail_stale(engine, ids=[r.id for r in dead if r.kind == kind], now=now, message=interrupted(kind))
        for kind in {r.kind for r in dead}
    )


KEEP_FINISHED = timedelta(days=90)


def prune(engine: Engine, *, now: datetime | None = None) -> int:
    """Forget jobs that ended more than 90 days ago (the worker does it with its reaping)."""
    return store.prune(engine, finished_before=(now or utc_now()) - KEEP_FINISHED)


def wait_for(engine: Engine, job_id: int, *, timeout: float = 600, every: float = 0.2) -> Job:
    """Wait until a job has finished (the command line, tests)."""
    deadline = time.monotonic() + timeout
    while True:
        job = job_status(engine, job_id)
        if job is None:
            raise DomainError(N_("no job {job}"), job=str(job_id))
        if job.finished or time.monotonic() > deadline:
            return job
        time.sleep(every)
