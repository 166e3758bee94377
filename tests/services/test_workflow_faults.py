"""Real faults: kill -9 mid-run, another writer holding the lock, two engines at once. Each action applies once."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, func, select, text

from core.rules.tiers import Edition
from core.rules.workflows import Backoff
from core.services.setup import init
from core.services.workflows import definitions as wf
from core.services.workflows import engine as workflow_engine
from core.services.workflows import log as workflow_log
from core.store.engine import make_engine
from core.store.schema import status_events, workflow_action_runs, workflow_enrollments
from tests.conftest import TODAY
from tests.factories import add_contacts

ROOT = Path(__file__).resolve().parents[2]
LEADS = [{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}]
NON_MARKETING = [{"type": "set_marketing_status", "to": "non_marketing"}]

pytestmark = pytest.mark.slow


def _workflow(engine: Engine, n: int) -> int:
    add_contacts(engine, n, state="marketing", lifecycle_stage="lead")
    w = wf.create_workflow(
        engine, definition={"name": "Clean up", "criteria": LEADS, "actions": NON_MARKETING}, today=TODAY, actor="ana"
    )
    # Contacts written straight into the table leave the account below its fitting tier: consent to it.
    wf.enable_workflow(engine, w.id, today=TODAY, actor="ana", allow_tier_upgrade=True)
    return w.id


def _scalar(engine: Engine, query: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())  # type: ignore[call-overload]


def _applied(engine: Engine) -> int:
    return _scalar(engine, select(func.count()).select_from(workflow_action_runs))


def assert_each_action_applied_exactly_once(engine: Engine, workflow_id: int, n: int) -> None:
    runs = select(workflow_action_runs.c.enrollment_id, func.count()).group_by(workflow_action_runs.c.enrollment_id)
    with engine.connect() as conn:
        per_enrollment = conn.execute(runs).all()
        events = conn.execute(
            select(status_events.c.contact_id, func.count())
            .where(status_events.c.source_type == "workflow", status_events.c.source_id == str(workflow_id))
            .group_by(status_events.c.contact_id)
        ).all()
        states = conn.execute(
            select(workflow_enrollments.c.state, func.count()).group_by(workflow_enrollments.c.state)
        ).all()
    assert len(per_enrollment) == n and {c for _, c in per_enrollment} == {1}, "one action run per enrollment"
    assert len(events) == n and {c for _, c in events} == {1}, "one status event per contact"
    assert dict(states) == {"completed": n}


def _cli(url: str, *args: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "core", "--db", url, "--today", TODAY.isoformat(), "workflows", "run", *args]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_killing_the_engine_mid_run_then_restarting_applies_each_action_exactly_once(
    engine: Engine, db_url: str
) -> None:
    wid = _workflow(engine, 3_000)
    process = _cli(db_url, "--batch-size", "100", "--pause", "0.05")
    _wait_for(lambda: _applied(engine) > 0 or process.poll() is not None)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    done = _applied(engine)
    assert 0 < done < 3_000, "killed after the first batch committed, before the end"
    assert done % 100 == 0, "only whole batches are committed"
    restarted = _cli(db_url, "--batch-size", "500")
    out, err = restarted.communicate(timeout=120)
    assert restarted.returncode == 0, err.decode()
    assert b'"completed": ' + str(3_000 - done).encode() in out
    assert_each_action_applied_exactly_once(engine, wid, 3_000)


def test_two_engines_running_at_once_apply_each_action_exactly_once(engine: Engine, db_url: str) -> None:
    wid = _workflow(engine, 2_000)
    first = _cli(db_url, "--batch-size", "100", "--pause", "0.02")
    second = _cli(db_url, "--batch-size", "150", "--pause", "0.02")
    completed = 0
    for process in (first, second):
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
        completed += json.loads(out)["completed"]
    assert completed == 2_000, "each enrollment is reported done by one engine only"
    assert_each_action_applied_exactly_once(engine, wid, 2_000)


def _hold(
    start: Callable[[], None], release: Callable[[], None], when: Callable[[], bool], seconds: float
) -> threading.Thread:
    """In another thread: once ``when()``, take a lock with another connection, hold it, then roll back."""

    def hold() -> None:
        _wait_for(when)
        start()
        time.sleep(seconds)
        release()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    return thread


def _run_during_fault(engine: Engine, holder: threading.Thread) -> workflow_engine.RunResult:
    result = workflow_engine.run(
        engine,
        TODAY,
        actor="cron",
        batch_size=100,
        pause=0.02,
        busy_timeout_ms=100,
        lock_timeout_ms=100,
        backoff=Backoff(base=0.05, cap=0.4),
        rng=random.Random(5),
    )
    holder.join(timeout=30)
    return result


def _transient_attempts(engine: Engine, wid: int, needle: str) -> list[workflow_log.AttemptRow]:
    log = workflow_log.attempts(engine, workflow_id=wid, limit=10_000)
    return [a for a in log if a.outcome == "transient" and needle in (a.error or "").lower()]


def _initialised(url: str) -> Engine:
    engine = make_engine(url)
    init(engine, today=TODAY, actor="test", edition=Edition.PROFESSIONAL, start_date=date(2026, 1, 15))
    return engine


def test_sqlite_busy_with_another_writer_is_retried_until_it_succeeds(sqlite_url: str) -> None:
    engine = _initialised(sqlite_url)
    wid = _workflow(engine, 1_500)
    other = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None, check_same_thread=False)
    holder = _hold(
        lambda: other.execute("BEGIN IMMEDIATE"), lambda: other.execute("ROLLBACK"), lambda: _applied(engine) > 0, 2.0
    )
    result = _run_during_fault(engine, holder)
    other.close()
    assert result.transient_errors >= 2 and result.retrying == 0
    retried = _transient_attempts(engine, wid, "database is locked")
    assert retried and max(a.attempt for a in retried) >= 2, "the same batch was tried again, and logged"
    assert any(a.action != workflow_engine.ENROLL_LABEL for a in retried)
    assert_each_action_applied_exactly_once(engine, wid, 1_500)
    engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("locked", ["contacts", "account"])
def test_postgres_row_locks_held_elsewhere_are_retried_until_they_succeed(postgres_url: str, locked: str) -> None:
    engine = _initialised(postgres_url)
    wid = _workflow(engine, 1_500)
    other = create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1)).connect()
    sql = {  # a contact's state is written in its status row (migration 0008): that is the row a change locks
        "contacts": "SELECT contact_id FROM contact_status FOR UPDATE",
        "account": "SELECT id FROM account FOR UPDATE",
    }[locked]
    holder = _hold(lambda: other.execute(text(sql)), other.rollback, lambda: _applied(engine) > 0, 2.0)
    result = _run_during_fault(engine, holder)
    other.close()
    assert result.transient_errors >= 2 and result.retrying == 0
    retried = _transient_attempts(engine, wid, "lock timeout")
    assert retried and max(a.attempt for a in retried) >= 2, "the same batch was tried again, and logged"
    assert any(a.action != workflow_engine.ENROLL_LABEL for a in retried)
    assert_each_action_applied_exactly_once(engine, wid, 1_500)
    engine.dispose()
