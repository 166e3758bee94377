"""Attempts: run one unit of work until it succeeds, with backoff and jitter, logging every attempt.

A successful attempt is logged in the same transaction as its effect. A failed one is logged in its
own short transaction, so that the log survives the rollback of the work; when even that cannot be
written (the database is still locked), the row waits in memory and is written with the next
transaction that gets through. Also here: what a run reports, and what a dependency sees of a batch.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import partial
from typing import Any, TypeVar
from uuid import uuid4

from sqlalchemy import Connection, Engine, insert, update

from core.errors import DayRefused, PermissionDenied
from core.rules.workflows import Backoff, ErrorKind, WorkflowAction, classify, error_text
from core.store import engine as db
from core.store.schema import workflow_attempts
from core.store.workflows.steps import Batch, mark_retrying

T = TypeVar("T")
Work = Callable[[Connection, int], dict[str, int]]  # (transaction, attempt id) -> counts
OnFailure = Callable[[Connection, int, str], dict[str, int]]  # (transaction, attempt id, error) -> counts


class Blocked(Exception):
    """The workflow must stop for this run (e.g. a tier beyond the consent); nothing is applied."""


class Changed(Exception):
    """The workflow was disabled or edited while running: leave it for the next run."""


@dataclass(frozen=True)
class BatchInfo:
    """What a dependency (e.g. an audience sync) is told about a batch before it commits."""

    workflow_id: int
    action_index: int
    action: WorkflowAction
    first_enrollment: int
    last_enrollment: int
    size: int


Dependency = Callable[[BatchInfo], None]


@dataclass
class RunResult:
    run_id: str
    enrolled: int = 0
    completed: int = 0
    retrying: int = 0
    failed: int = 0
    applied: int = 0  # action runs recorded: one per enrollment per action
    outcomes: dict[str, int] = field(default_factory=dict)  # scheduled, changed, undone, added, ...
    contacts_changed: int = 0  # what the actions changed: statuses moved or scheduled, list members added/removed
    already_in_that_state: int = 0  # enrolled contacts an action found as it would leave them (e.g. already pending)
    attempts: int = 0
    transient_errors: int = 0
    permanent_errors: int = 0
    blocked: list[dict[str, Any]] = field(default_factory=list)
    stopped: str | None = None  # why the run stopped early (deadline reached while retrying)
    workflows: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Step:
    workflow_id: int
    action_index: int | None  # None: the enrollment step
    label: str
    batch: Batch | None = None


@dataclass
class StepResult:
    """How running one step (enrolling, or one action on a batch) ended, with what it counted."""

    status: str  # ok, failed, blocked, stopped, changed
    counts: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    attempt_id: int | None = None


@contextmanager
def short_write(engine: Engine) -> Iterator[Connection]:
    """A small write that does not wait for the account lock (the attempt log)."""
    with engine.connect() as raw:
        conn = raw.execution_options(write=True)
        with conn.begin():
            yield conn


class Attempts:
    """Retries units of work for one run; counts attempts and keeps the log of failed ones."""

    def __init__(
        self,
        engine: Engine,
        *,
        run_key: str,
        actor: str,
        now: Callable[[], datetime],
        backoff: Backoff,
        rng: random.Random,
        sleep: Callable[[float], None],
        deadline_at: float | None,
    ) -> None:
        self.engine, self.run_key, self.actor, self.now = engine, run_key, actor, now
        self.backoff, self.rng, self.sleep, self.deadline_at = backoff, rng, sleep, deadline_at
        self.unwritten: list[dict[str, Any]] = []
        self.attempts = self.transient = self.permanent = 0

    def expired(self) -> bool:
        return self.deadline_at is not None and time.perf_counter() >= self.deadline_at

    def _row(self, step: Step, key: str, attempt: int, started: datetime, t0: float, **values: Any) -> dict[str, Any]:
        batch = step.batch
        return {
            "run_key": self.run_key,
            "batch_key": key,
            "workflow_id": step.workflow_id,
            "action_index": step.action_index,
            "action": step.label,
            "first_enrollment": batch.first if batch else None,
            "last_enrollment": batch.last if batch else None,
            "enrollments": batch.size if batch else 0,
            "attempt": attempt,
            "started_at": started,
            "finished_at": self.now(),
            "duration_ms": int((time.perf_counter() - t0) * 1000),
            "applied": 0,
            "error": None,
            "actor": self.actor,
            **values,
        }

    def _log(self, conn: Connection, row: dict[str, Any]) -> int:
        """Write the failed attempts waiting in memory, then ``row``; returns its id."""
        if self.unwritten:
            conn.execute(insert(workflow_attempts), self.unwritten)
        return int(conn.execute(insert(workflow_attempts).values(**row).returning(workflow_attempts.c.id)).scalar_one())

    def _log_only(self, conn: Connection, *, row: dict[str, Any]) -> dict[str, int]:
        return {"id": self._log(conn, row)}

    def run(self, step: Step, work: Work, on_failure: OnFailure | None = None) -> StepResult:
        """Run ``work`` in a write unit of work until it commits; a permanent error calls ``on_failure``."""
        key, attempt = uuid4().hex, 0
        while True:
            attempt += 1
            self.attempts += 1
            started, t0 = self.now(), time.perf_counter()
            try:
                return self._once(step, work, self._row(step, key, attempt, started, t0, outcome="ok"), t0)
            except (PermissionDenied, DayRefused, Changed):
                raise
            except Blocked as exc:
                row = self._row(step, key, attempt, started, t0, outcome="blocked", error=str(exc))
                self.settle(partial(self._log_only, row=row))
                return StepResult("blocked", error=str(exc))
            except Exception as exc:
                kind = classify(exc)
                row = self._row(step, key, attempt, started, t0, outcome=kind.value, error=error_text(exc))
                if kind == ErrorKind.PERMANENT:
                    self.permanent += 1
                    return self._fail(step, row, on_failure)
                self.transient += 1
                self.unwritten.append(row)
                self._flush(step)
                if self.expired():
                    return StepResult("stopped", error=row["error"])
                self.sleep(self.backoff.delay(attempt, self.rng))

    def _once(self, step: Step, work: Work, row: dict[str, Any], t0: float) -> StepResult:
        written = len(self.unwritten)
        with db.write(self.engine) as conn:
            attempt_id = self._log(conn, row)
            counts = work(conn, attempt_id)
            done = {"finished_at": self.now(), "duration_ms": int((time.perf_counter() - t0) * 1000)}
            applied = counts.get("logged", 0)  # enrollments written, or action runs recorded
            conn.execute(
                update(workflow_attempts).where(workflow_attempts.c.id == attempt_id).values(applied=applied, **done)
            )
        del self.unwritten[:written]
        return StepResult("ok", counts, attempt_id=attempt_id)

    def _flush(self, step: Step) -> None:
        """Best effort: write the failed attempts now and show the batch as retrying."""
        written = len(self.unwritten)
        try:
            with short_write(self.engine) as conn:
                conn.execute(insert(workflow_attempts), self.unwritten[:written])
                if step.batch is not None:
                    mark_retrying(conn, step.batch)
        except Exception:  # still locked: they are written with the next transaction that gets through
            return
        del self.unwritten[:written]

    def _fail(self, step: Step, row: dict[str, Any], on_failure: OnFailure | None) -> StepResult:
        def record(conn: Connection) -> dict[str, int]:
            attempt_id = self._log(conn, row)
            return (on_failure(conn, attempt_id, row["error"]) if on_failure else {}) | {"id": attempt_id}

        counts = self.settle(record, serialised=True)
        return StepResult("failed", counts or {}, error=row["error"])

    def settle(
        self, write: Callable[[Connection], dict[str, int]], *, serialised: bool = False
    ) -> dict[str, int] | None:
        """Write a record (log, failure) in its own transaction, retrying transient errors until the deadline."""
        attempt = 0
        while True:
            attempt += 1
            written = len(self.unwritten)
            try:
                with (db.write if serialised else short_write)(self.engine) as conn:
                    counts = write(conn)
                del self.unwritten[:written]
                return counts
            except Exception as exc:
                if classify(exc) == ErrorKind.PERMANENT or self.expired():
                    return None
                self.sleep(self.backoff.delay(attempt, self.rng))

    def read(self, query: Callable[[Connection], T]) -> T:
        """A read unit of work, retried on transient errors (rare: WAL reads do not wait for writers)."""
        attempt = 0
        while True:
            attempt += 1
            try:
                with db.read(self.engine) as conn:
                    return query(conn)
            except Exception as exc:
                if classify(exc) == ErrorKind.PERMANENT:
                    raise
                self.sleep(self.backoff.delay(attempt, self.rng))
