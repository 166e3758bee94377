"""apply-updates, renewals and simulate, on SQLite and PostgreSQL (docs/domain.md §3, §4)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, select

from core.store.engine import make_engine
from core.store.schema import tier_changes, update_runs
from tests.conftest import Cli
from tests.factories import add_contacts, contact, count, events_of, snapshot, state_of


def test_apply_updates_makes_due_pending_contacts_non_marketing_once(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 3, state="pending", prefix="p")
    add_contacts(engine, 2, state="marketing", prefix="m")
    first = cli("apply-updates", today="2026-12-01")
    assert (first["applied"], first["marketing"]) == ([{"update_date": "2026-12-01", "became_non_marketing": 3}], 2)
    assert [state_of(engine, f"p{i}@example.com") for i in range(3)] == ["non_marketing"] * 3
    assert contact(engine, "p0@example.com")["effective_on"] is None
    before = snapshot(engine)
    second = cli("apply-updates", today="2026-12-01")
    assert (second["applied"], second["marketing"]) == ([], 2)
    assert snapshot(engine) == before


def test_apply_updates_before_the_update_date_applies_nothing(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 1, state="pending")
    assert cli("apply-updates", today="2026-11-30")["applied"] == []
    assert state_of(engine, "c0@example.com") == "pending"
    assert cli("apply-updates", today="2026-12-01")["applied"][0]["became_non_marketing"] == 1


def test_catching_up_applies_each_missed_update_date_once_with_its_own_effective_date(engine: Engine, cli: Cli) -> None:
    dates = [date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)]
    ids = [add_contacts(engine, 1, state="pending", prefix=f"p{d:%m}", effective_on=d)[0] for d in dates]
    add_contacts(engine, 1, state="pending", prefix="late", effective_on=date(2027, 3, 1))
    result = cli("apply-updates", today="2027-02-15")
    assert result["applied"] == [{"update_date": d.isoformat(), "became_non_marketing": 1} for d in dates]
    assert result["marketing"] == 1
    for contact_id, d in zip(ids, dates, strict=True):
        (event,) = events_of(engine, contact_id)
        assert (event["old_state"], event["new_state"], event["effective_on"]) == ("pending", "non_marketing", d)
        assert event["source_type"] == "update"
    with engine.connect() as conn:
        assert list(conn.execute(select(update_runs.c.update_date).order_by(update_runs.c.update_date)).scalars()) == [
            *dates
        ]
    assert cli("apply-updates", today="2027-02-15")["applied"] == []
    assert state_of(engine, "late0@example.com") == "pending"


def test_catching_up_a_contact_scheduled_before_the_gap_applies_it_on_the_first_missed_date(
    engine: Engine, cli: Cli
) -> None:
    (c,) = add_contacts(engine, 1, state="marketing")
    cli("set-status", "--to", "non-marketing", "--ids", str(c))
    result = cli("apply-updates", today="2027-03-20")
    assert [a["update_date"] for a in result["applied"]] == ["2026-12-01", "2027-01-01", "2027-02-01", "2027-03-01"]
    assert [a["became_non_marketing"] for a in result["applied"]] == [1, 0, 0, 0]
    assert events_of(engine, c)[-1]["effective_on"] == date(2026, 12, 1)


def _account(db_url: str, *, edition: str, commitment: str, start: str, today: str) -> tuple[Cli, Engine]:
    cli = Cli(db_url)
    cli("init", "--edition", edition, "--commitment", commitment, "--start-date", start, today=today)
    return cli, make_engine(db_url)


def test_monthly_update_dates_follow_the_clamped_renewal_day_when_catching_up(db_url: str) -> None:
    cli, engine = _account(db_url, edition="starter", commitment="monthly", start="2026-01-31", today="2026-01-31")
    add_contacts(engine, 1, state="pending", effective_on=date(2026, 2, 28))
    result = cli("apply-updates", today="2026-04-30")
    assert result["applied"] == [
        {"update_date": "2026-02-28", "became_non_marketing": 1},
        {"update_date": "2026-03-31", "became_non_marketing": 0},
        {"update_date": "2026-04-30", "became_non_marketing": 0},
    ]
    engine.dispose()


RENEWALS = [
    pytest.param("monthly", "2026-01-15", "2026-11-26", "2026-12-15", "2026-12-15", id="monthly"),
    pytest.param("annual", "2026-02-01", "2027-01-20", "2027-02-01", "2027-02-01", id="annual renewing on a 1st"),
    pytest.param("annual", "2026-01-15", "2026-11-26", "2026-12-01", "2027-01-15", id="annual between two 1sts"),
]


@pytest.mark.parametrize(("commitment", "start", "asked", "update_day", "renewal"), RENEWALS)
def test_renewal_lowers_the_tier_to_what_fits_after_that_days_update_and_never_before(
    db_url: str, commitment: str, start: str, asked: str, update_day: str, renewal: str
) -> None:
    cli, engine = _account(db_url, edition="starter", commitment=commitment, start=start, today="2026-11-26")
    ids = add_contacts(engine, 1_200, state="non_marketing")
    upgrade = cli("set-status", "--to", "marketing", "--all", "--allow-tier-upgrade")
    assert upgrade["tier_limit_after"] == 2_000
    scheduled = cli("set-status", "--to", "non-marketing", "--ids", ",".join(map(str, ids[:300])), today=asked)
    assert scheduled["effective_on"] == update_day
    day_before = (date.fromisoformat(renewal) - timedelta(days=1)).isoformat()
    cli("apply-updates", today=day_before)
    assert cli("usage", today=day_before)["tier_limit"] == 2_000  # never lowered before renewal
    result = cli("apply-updates", today=renewal)
    usage = cli("usage", today=renewal)
    assert (usage["marketing"], usage["tier_limit"]) == (900, 1_000)
    assert result["marketing"] == 900
    with engine.connect() as conn:
        change = conn.execute(select(tier_changes).where(tier_changes.c.reason == "renewal")).mappings().one()
    assert (change["effective_on"], change["old_limit"], change["new_limit"]) == (
        date.fromisoformat(renewal),
        2_000,
        1_000,
    )
    engine.dispose()


def test_renewal_keeps_a_tier_that_is_still_needed(db_url: str) -> None:
    cli, engine = _account(db_url, edition="starter", commitment="monthly", start="2026-01-15", today="2026-11-26")
    add_contacts(engine, 1_500, state="non_marketing")
    cli("set-status", "--to", "marketing", "--all", "--allow-tier-upgrade")
    cli("apply-updates", today="2026-12-15")
    assert cli("usage", today="2026-12-15")["tier_limit"] == 2_000
    assert count(engine, "tier_changes") == 1  # only the upgrade
    engine.dispose()


def _mixed_history(engine: Engine, cli: Cli) -> None:
    """2,010 marketing contacts (tier raised to 7,000), 1,121 of them scheduled to leave on 2026-12-01."""
    add_contacts(engine, 1_990, state="marketing", prefix="m")
    add_contacts(engine, 20, state="non_marketing", prefix="n", hard_bounced=True)
    assert cli("set-status", "--to", "marketing", "--unengaged", "--allow-tier-upgrade")["tier_limit_after"] == 7_000
    m1 = json.dumps([{"property": "email", "operator": "contains", "value": "m1"}])
    assert cli("set-status", "--to", "non-marketing", "--filter", m1)["scheduled"] == 1_101
    assert cli("set-status", "--to", "non-marketing", "--unengaged")["scheduled"] == 20


@pytest.mark.parametrize(
    "on",
    [
        pytest.param("2026-11-26", id="today"),
        pytest.param("2026-11-30", id="the day before the update date"),
        pytest.param("2026-12-01", id="the update date"),
        pytest.param("2026-12-20", id="between update dates"),
        pytest.param("2027-01-14", id="the day before renewal"),
        pytest.param("2027-01-15", id="the renewal date"),
        pytest.param("2027-03-02", id="after several update dates and a renewal"),
    ],
)
def test_simulating_a_date_gives_the_usage_that_applying_updates_on_that_date_gives(
    engine: Engine, cli: Cli, on: str
) -> None:
    _mixed_history(engine, cli)
    simulated = cli("simulate", "--on", on)
    cli("apply-updates", today=on)
    actual = cli("usage", today=on)
    assert {k: simulated[k] for k in actual} == actual
    expected_tier = 2_000 if on >= "2027-01-15" else 7_000
    assert actual["tier_limit"] == expected_tier
    assert actual["marketing"] == (2_010 if on < "2026-12-01" else 889)


def test_simulate_defaults_to_the_next_update_date_and_reports_who_leaves(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 4, state="pending", prefix="p")
    add_contacts(engine, 6, state="marketing", prefix="m")
    before = snapshot(engine)
    simulated = cli("simulate")
    assert snapshot(engine) == before
    assert simulated["today"] == "2026-12-01"
    assert (simulated["marketing"], simulated["pending"], simulated["became_non_marketing"]) == (6, 0, 4)
    usage_keys = {"today", "edition", "commitment", "marketing", "pending", "non_marketing", "total"}
    assert usage_keys | {"tier_limit", "percent_of_tier", "next_update_date", "renewal_date", "alerts"} <= set(
        simulated
    )


def test_simulating_a_date_before_today_exits_2(engine: Engine, cli: Cli) -> None:
    assert cli("simulate", "--on", "2026-11-25", expect=2) is None
    assert "before" in cli.message


def test_simulating_today_is_todays_usage(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 3, state="pending")
    simulated = cli("simulate", "--on", "2026-11-26")
    usage = cli("usage")
    assert {k: simulated[k] for k in usage} == usage
