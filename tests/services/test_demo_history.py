"""Demo data that could be true at every size (issue 13, point 5): the subscription covers the generated history,
and the update runs and tier changes are the ones that history implies under docs/domain.md §3 and §4."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, func, select

from core.rules.calendar import Commitment, renewal_dates_between, update_dates_between
from core.services.history import get_history
from core.store.account import load_account
from core.store.engine import make_engine
from core.store.schema import contacts, status_events, tier_changes, update_runs
from tests.conftest import TODAY, Cli


def _invariants(engine: Engine, *, today: date) -> None:
    with engine.connect() as conn:
        acct = load_account(conn)
        first_created = conn.execute(select(func.min(contacts.c.created_at))).scalar_one()
        runs = conn.execute(select(update_runs).order_by(update_runs.c.update_date)).mappings().all()
        changes = conn.execute(select(tier_changes).order_by(tier_changes.c.id)).mappings().all()
        left = dict(
            conn.execute(
                select(status_events.c.effective_on, func.count())
                .where(status_events.c.new_state == "non_marketing")
                .group_by(status_events.c.effective_on)
            ).all()
        )
    first = first_created if isinstance(first_created, date) else date.fromisoformat(str(first_created)[:10])
    first = first.date() if hasattr(first, "date") and callable(first.date) else first
    assert acct.start_date <= first, "the subscription covers the generated history"
    expected_runs = update_dates_between(acct.commitment, acct.start_date, acct.start_date - timedelta(days=1), today)
    assert [r["update_date"] for r in runs] == expected_runs, "one run per update date, none before the start"
    history = get_history(engine, today=today, start=acct.start_date, end=today)
    by_day = {d.day: d for d in history.days}
    for run in runs:
        day = run["update_date"]
        assert run["became_non_marketing"] == left.get(day, 0)
        arrived_that_day = _created_marketing_on(engine, day)
        assert run["marketing_after"] == by_day[day].marketing - arrived_that_day, "the count after that update"
    for d in history.days:
        assert d.marketing <= d.tier, f"{d.day}: {d.marketing:,} marketing contacts above the tier {d.tier:,}"
    renewals = set(renewal_dates_between(acct.commitment, acct.start_date, acct.start_date, today))
    for change in changes:
        if change["new_limit"] < change["old_limit"]:
            assert change["reason"] == "renewal" and change["effective_on"] in renewals, "lowered only at renewal"
        assert acct.start_date <= change["effective_on"] <= today
    assert acct.billed_tier == (changes[-1]["new_limit"] if changes else acct.pricing.included)


def _created_marketing_on(engine: Engine, day: date) -> int:
    query = select(func.count()).where(
        status_events.c.old_state.is_(None),
        status_events.c.new_state == "marketing",
        status_events.c.effective_on == day,
    )
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


@pytest.mark.parametrize(
    ("args", "n"),
    [
        pytest.param([], 3_000, id="no start date: the subscription starts with the history"),
        pytest.param(["--edition", "starter", "--commitment", "monthly"], 5_000, id="monthly starter: tiers rise"),
        pytest.param(["--start-date", "2026-06-10"], 20_000, id="a later start: the history starts with it"),
    ],
)
def test_demo_data_is_consistent_with_the_account(db_url: str, args: list[str], n: int) -> None:
    Cli(db_url)("init", "--demo", str(n), *args, today=TODAY)
    engine = make_engine(db_url)
    try:
        _invariants(engine, today=TODAY)
        with engine.connect() as conn:
            acct = load_account(conn)
            tiers_recorded = int(conn.execute(select(func.count()).select_from(tier_changes)).scalar_one())
        if not args:
            assert acct.start_date == TODAY - timedelta(days=365)
        if "--start-date" in args:
            assert acct.start_date == date(2026, 6, 10)
        if n >= 5_000:
            assert tiers_recorded > 1, "the tier rose with the count, step by step, not once today"
        if "monthly" in args:
            assert acct.commitment == Commitment.MONTHLY
    finally:
        engine.dispose()
