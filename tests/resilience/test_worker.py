"""The worker (issue 14): two ``python -m core worker`` processes on one database, one leader; each scheduled
slot runs once, by the leader; when the leader dies, the other takes over. On SQLite the worker runs too."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from datetime import date

from sqlalchemy import Engine, text

from core.rules.filters import parse_filter
from core.rules.selection import Selection
from core.rules.status import MarketingStatus
from core.services.setup import init
from core.services.status import set_status
from tests.resilience.conftest import broken_chains, finish, replay_mismatches, start

RUN_ON = "2026-11-26"


def _worker(db_url: str, *extra: str) -> subprocess.Popen[str]:
    return start(
        db_url, "worker", "--updates-every", "1", "--workflows-every", "0", "--poll", "0.3", *extra, today=RUN_ON
    )


def _runs(engine: Engine) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT slot, claimed_by, state FROM jobs WHERE kind = 'apply_updates' ORDER BY id")
        ).all()
    return [(str(s), str(c), str(st)) for s, c, st in rows]


def _pid(claimed_by: str) -> int:
    return int(claimed_by.rpartition(":")[2])


def _wait_for(condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_two_workers_run_each_scheduled_slot_once_on_the_leader(
    db_url: str, open_engine: Callable[[str], Engine]
) -> None:
    engine = open_engine(db_url)
    init(engine, today=date(2026, 7, 10), actor="test", start_date=date(2026, 1, 15), demo=3_000, seed=5)
    leads = Selection(conditions=parse_filter('[{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}]'))
    scheduled = set_status(
        engine, selection=leads, to=MarketingStatus.NON_MARKETING, today=date(2026, 7, 10), actor="test"
    ).scheduled
    assert scheduled > 0
    workers = [_worker(db_url) for _ in range(2)]
    try:
        _wait_for(lambda: len(_runs(engine)) >= 1)
        time.sleep(5)  # both alive, one leading, for several slots
        leader_pid = _pid(_runs(engine)[0][1])
        leader, follower = sorted(workers, key=lambda w: w.pid != leader_pid)
        for process in (follower, leader):  # the follower first: it never sees the lead free
            process.send_signal(signal.SIGTERM)
            process.wait(60)
        reports = {p.pid: json.loads(finish(p, timeout=60).out) for p in (leader, follower)}
    finally:
        for process in workers:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert reports[follower.pid]["runs"] == [] and reports[follower.pid]["leader_changes"] == 0, reports
    led = [reports[leader.pid]]
    assert led[0]["leader_changes"] == 1
    runs = _runs(engine)
    assert len(runs) >= 4, runs
    slots = [slot for slot, _, _ in runs]
    assert len(slots) == len(set(slots)), "each slot ran once"
    assert {claimed for _, claimed, _ in runs} == {led[0]["worker"]}, "every run by the leader"
    assert {state for _, _, state in runs} == {"done"}
    with engine.connect() as conn:
        update_dates = [str(d) for (d,) in conn.execute(text("SELECT update_date FROM update_runs ORDER BY 1"))]
        left = conn.execute(text("SELECT count(*) FROM status_events WHERE new_state = 'non_marketing'")).scalar_one()
        pending = conn.execute(text("SELECT count(*) FROM contact_status WHERE pending_non_marketing")).scalar_one()
    assert len(update_dates) == len(set(update_dates)) and "2026-08-01" in update_dates, "each update date once"
    assert pending == 0 and left >= scheduled
    assert replay_mismatches(engine) == 0 and broken_chains(engine) == 0


def test_when_the_leader_dies_the_other_worker_takes_over(db_url: str, open_engine: Callable[[str], Engine]) -> None:
    engine = open_engine(db_url)
    init(engine, today=date.fromisoformat(RUN_ON), actor="test", demo=100, seed=3)
    first = _worker(db_url)
    try:
        _wait_for(lambda: any(_pid(c) == first.pid for _, c, _ in _runs(engine)))
        second = _worker(db_url)
        try:
            time.sleep(2.5)
            assert {_pid(c) for _, c, _ in _runs(engine)} == {first.pid}, "the follower waits while the leader lives"
            os.kill(first.pid, signal.SIGKILL)
            first.wait(30)
            _wait_for(lambda: any(_pid(c) == second.pid for _, c, _ in _runs(engine)))
            second.send_signal(signal.SIGTERM)  # a clean stop: it prints what it did and exits 0
            done = finish(second, timeout=60)
            assert done.code == 0, done.err
            report = json.loads(done.out)
            assert report["leader_changes"] == 1 and report["runs"]
        finally:
            if second.poll() is None:
                second.kill()
                second.wait()
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    slots = [slot for slot, _, _ in _runs(engine)]
    assert len(slots) == len(set(slots)), "no slot ran twice across the handover"
