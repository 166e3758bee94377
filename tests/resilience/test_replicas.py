"""Two dashboard replicas on one database (issue 14): each in a process of its own, both starting a long
bulk change as a background job at the same moment on a day whose update date has not been applied yet, then the
day's update dates as a job. No update is lost (the outcome is one of the two serial orders) and the update date
is applied once (by whichever change came first: each catches up before it changes anything)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date

from sqlalchemy import Engine, text

from core.rules.filters import parse_filter
from core.rules.selection import Selection
from core.rules.status import MarketingStatus
from core.services.setup import init
from core.services.status import set_status
from tests.conftest import assert_counts_kept
from tests.resilience.conftest import ROOT, broken_chains, replay_mismatches, states_by_id
from tests.resilience.test_concurrent_changes import _filter, _ids, _serial

SCHEDULED_ON, RUN_ON = date(2026, 7, 10), "2026-08-20"
ROUNDS = [
    (("non-marketing", ("lifecycle_stage", ["lead", "customer"])), ("marketing", ("source_type", ["form", "import"]))),
    (("marketing", ("last_name", ["Kim", "Rossi", "Silva"])), ("non-marketing", ("lifecycle_stage", ["subscriber"]))),
]


def _replica(db_url: str, to: str, selection: str, start_at: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.resilience.replica", db_url, to, selection, str(start_at)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "MARKETABLE_TODAY": RUN_ON},
    )


def test_two_replicas_racing_long_changes_lose_no_update_and_apply_the_update_date_once(
    db_url: str, open_engine: Callable[[str], Engine]
) -> None:
    engine = open_engine(db_url)
    init(engine, today=SCHEDULED_ON, actor="test", start_date=date(2026, 1, 15), demo=20_000, seed=13)
    for round_number, requests in enumerate(ROUNDS):
        day = SCHEDULED_ON if round_number == 0 else date.fromisoformat(RUN_ON)
        other = Selection(conditions=parse_filter(_filter("last_name", ["Turing", "Hopper", "Garcia"])))
        set_status(engine, selection=other, to=MarketingStatus.NON_MARKETING, today=day, actor="test")
        # Every pending contact is due by the run's day unless scheduled on it: the first change applies them.
        due = {cid for cid, s in states_by_id(engine).items() if s == "pending"} if round_number == 0 else set()
        before = {cid: ("non_marketing" if cid in due else s) for cid, s in states_by_id(engine).items()}
        runs_before = _update_runs(engine)
        start_at = time.time() + 3  # both processes import and connect first, then start together
        processes = [_replica(db_url, to, _filter(*sel), start_at) for to, sel in requests]
        outs = []
        for p in processes:
            out, err = p.communicate(timeout=300)
            assert p.returncode == 0 and "Traceback" not in err, err
            outs.append(json.loads(out))
        assert [o["change"]["state"] for o in outs] == ["done", "done"], [o["change"]["error"] for o in outs]
        started = [o["updates_job"] is not None for o in outs]
        expected = 1 if round_number == 0 else 0  # the second round runs on the same day: its run is done
        assert started.count(True) == expected, f"round {round_number}: the day's update dates started {started}"
        reported = [o["change"]["result"]["will_change"] for o in outs]
        ops = [(to, _ids(engine, *sel)) for to, sel in requests]
        after = states_by_id(engine)
        orders = {"first, second": _serial(before, ops), "second, first": _serial(before, ops[::-1])}
        assert any(
            states == after and (counts if name == "first, second" else counts[::-1]) == reported
            for name, (states, counts) in orders.items()
        ), f"round {round_number}: no serial order of the two changes gives this outcome (a lost update)"
        runs = _update_runs(engine)
        assert len(runs) == len(set(runs)), "each update date applied once"
        if round_number == 0:
            assert runs == [*runs_before, "2026-08-01"], "the update date that had come: applied, once"
        assert replay_mismatches(engine) == 0 and broken_chains(engine) == 0
        assert_counts_kept(engine)  # the counts the triggers keep, through both replicas' changes


def _update_runs(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [str(d) for (d,) in conn.execute(text("SELECT update_date FROM update_runs ORDER BY 1"))]
