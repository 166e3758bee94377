"""Two processes at once (SQLite and PostgreSQL): no lost update, stored state = replay of events, each update
date applied exactly once. Each round starts two real ``python -m core`` processes at the same moment."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from sqlalchemy import Engine, text

from core.rules.filters import parse_filter
from core.rules.selection import Selection
from core.rules.status import MarketingStatus, State, transition
from core.services.setup import init
from core.services.status import set_status
from tests.resilience.conftest import (
    Finished,
    broken_chains,
    finish,
    replay_mismatches,
    scalar,
    start,
    states_by_id,
)

TODAY = "2026-11-26"
DEMO = 20_000
ROUNDS = 4
# Selections on properties no status change touches, overlapping (a contact can be in both).
SELECTIONS = [
    ("lifecycle_stage", ["lead", "customer", "subscriber", "other"]),
    ("source_type", ["form", "import", "manual"]),
    ("last_name", ["Turing", "Hopper", "Garcia", "Khan", "Silva", "Kim", "Rossi"]),
]


def _filter(prop: str, values: list[str]) -> str:
    return json.dumps([{"property": prop, "operator": "in", "value": values}])


def _ids(engine: Engine, prop: str, values: list[str]) -> set[int]:
    with engine.connect() as conn:
        sql = text(f"SELECT id FROM contacts WHERE {prop} IN ({', '.join(f':v{i}' for i in range(len(values)))})")
        return {int(r[0]) for r in conn.execute(sql, {f"v{i}": v for i, v in enumerate(values)})}


def _serial(before: dict[int, str], ops: list[tuple[str, set[int]]]) -> tuple[dict[int, str], list[int]]:
    """Final states and per-operation change counts of running ``ops`` one after the other (docs/domain.md §2)."""
    states, counts = dict(before), []
    for to, ids in ops:
        changed = 0
        for cid in ids:
            new = transition(State(states[cid]), MarketingStatus.parse(to)).new.value
            changed += new != states[cid]
            states[cid] = new
        counts.append(changed)
    return states, counts


def _run_both(db_url: str, requests: list[tuple[str, str]]) -> list[Finished]:
    """Start both processes at the same moment and wait for both."""
    processes = [
        start(db_url, "set-status", "--to", to, "--filter", selection, "--allow-tier-upgrade", today=TODAY)
        for to, selection in requests
    ]
    return [finish(p) for p in processes]


def test_conflicting_bulk_changes_from_two_processes_lose_no_update(
    db_url: str, open_engine: Callable[[str], Engine]
) -> None:
    engine = open_engine(db_url)
    init(engine, today=date.fromisoformat(TODAY), actor="test", demo=DEMO, seed=7)
    orders = []
    for round_number in range(ROUNDS):
        (p1, v1), (p2, v2) = SELECTIONS[round_number % 3], SELECTIONS[(round_number + 1) % 3]
        to1, to2 = ("non-marketing", "marketing") if round_number % 2 == 0 else ("marketing", "non-marketing")
        before = states_by_id(engine)
        last_op = int(scalar(engine, "SELECT coalesce(max(id), 0) FROM operations"))
        requests = [(to1, _filter(p1, v1)), (to2, _filter(p2, v2))]
        results = _run_both(db_url, requests)
        assert [r.code for r in results] == [0, 0], [r.err for r in results]
        reported = [json.loads(r.out) for r in results]
        reported_counts = [r["changed"] + r["scheduled"] + r["undone"] for r in reported]
        ops = [(to1, _ids(engine, p1, v1)), (to2, _ids(engine, p2, v2))]
        after = states_by_id(engine)
        serial_orders = {
            "first, second": _serial(before, ops),
            "second, first": _serial(before, ops[::-1]),
        }
        matches = [
            name
            for name, (states, counts) in serial_orders.items()
            if states == after and (counts if name == "first, second" else counts[::-1]) == reported_counts
        ]
        assert matches, f"round {round_number}: the outcome is no serial order of the two changes (a lost update)"
        with engine.connect() as conn:
            recorded = [
                json.loads(s)["to"]
                for (s,) in conn.execute(
                    text("SELECT summary FROM operations WHERE id > :last AND kind = 'set_status' ORDER BY id"),
                    {"last": last_op},
                )
            ]
        assert len(recorded) == sum(1 for c in reported_counts if c), "one operation per change that wrote"
        if len(recorded) == 2:
            assert ("first, second" if recorded == [to1, to2] else "second, first") in matches
        orders.append(matches[0])
        assert replay_mismatches(engine) == 0, "every contact's state equals the replay of its events"
        assert broken_chains(engine) == 0, "every event starts from the state the previous one left"
    print(f"{db_url.split(':')[0]}: serial order of each round {orders}")


def _pending(engine: Engine) -> int:
    return int(scalar(engine, "SELECT count(*) FROM contact_status WHERE pending_non_marketing"))


def _left(engine: Engine) -> int:
    return int(scalar(engine, "SELECT count(*) FROM status_events WHERE new_state = 'non_marketing'"))


def test_two_apply_updates_at_once_apply_each_update_date_exactly_once(
    db_url: str, open_engine: Callable[[str], Engine]
) -> None:
    engine = open_engine(db_url)
    init(engine, today=date(2026, 7, 10), actor="test", start_date=date(2026, 1, 15), demo=20_000, seed=11)
    rounds = [
        ("2026-07-10", "2026-08-20", ("lifecycle_stage", ["lead", "customer"])),
        ("2026-08-20", "2026-10-05", ("source_type", ["form"])),
        ("2026-10-05", "2026-11-26", ("last_name", ["Kim", "Sato", "Weber"])),
    ]
    applied_by_both: list[str] = []
    for scheduled_on, run_on, (prop, values) in rounds:
        selection = Selection(conditions=parse_filter(_filter(prop, values)))
        day = date.fromisoformat(scheduled_on)
        set_status(engine, selection=selection, to=MarketingStatus.NON_MARKETING, today=day, actor="test")
        due, left_before = _pending(engine), _left(engine)
        assert due > 0
        processes = [start(db_url, "apply-updates", today=run_on) for _ in range(2)]
        results = [finish(p) for p in processes]
        assert [r.code for r in results] == [0, 0], [r.err for r in results]
        applied = [[a["update_date"] for a in json.loads(r.out)["applied"]] for r in results]
        assert not set(applied[0]) & set(applied[1]), "no update date is applied by both processes"
        assert (applied[0] and not applied[1]) or (applied[1] and not applied[0]), (
            "one process applied, the other found it done"
        )
        applied_by_both += applied[0] + applied[1]
        assert _left(engine) - left_before == due, "each pending contact left exactly once"
        assert _pending(engine) == 0
    with engine.connect() as conn:
        runs = [str(d) for (d,) in conn.execute(text("SELECT update_date FROM update_runs ORDER BY 1"))]
    assert len(runs) == len(set(runs)), "one run per update date"
    assert sorted(applied_by_both) == ["2026-08-01", "2026-09-01", "2026-10-01", "2026-11-01"]
    assert replay_mismatches(engine) == 0 and broken_chains(engine) == 0
