"""The usage history is rebuilt from the event log: exact for past days, projected like simulate afterwards."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from core.services.account_settings import SettingsInput, current_settings, update_settings
from core.services.history import get_history
from core.services.setup import init
from core.services.usage import get_usage, simulate
from tests.conftest import TODAY, Cli, pin_today
from tests.services.usage_data import emails, import_rows, person

NOV_26, NOV_27, DEC_1, DEC_5 = date(2026, 11, 26), date(2026, 11, 27), date(2026, 12, 1), date(2026, 12, 5)


def _scenario(cli: Cli, tmp_path: Path) -> None:
    """Ten contacts made marketing on 26 Nov; four of them set non-marketing on 27 Nov (update date: 1 Dec)."""
    import_rows(cli, tmp_path, [person(n) for n in range(10)] + [person(10, marketing=False)], today=NOV_26)
    cli("set-status", "--to", "non-marketing", "--emails", emails(0, 1, 2, 3), today=NOV_27)


def test_contacts_set_non_marketing_before_an_update_date_leave_the_marketing_series_on_that_date(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    _scenario(cli, tmp_path)
    cli("apply-updates", today=DEC_5)
    history = get_history(engine, today=DEC_5, start=date(2026, 11, 20))
    by_day = {d.day: (d.marketing, d.non_marketing) for d in history.days}
    assert by_day[date(2026, 11, 25)] == (0, 0)
    assert by_day[NOV_26] == (10, 1)
    assert by_day[NOV_27] == by_day[date(2026, 11, 30)] == (10, 1), "scheduled contacts still count until the update"
    assert by_day[DEC_1] == (6, 5), "they leave the marketing series exactly on the update date"
    assert by_day[DEC_5] == (6, 5)
    marks = {m.day: (m.became_non_marketing, m.projected) for m in history.updates}
    assert marks[DEC_1] == (4, False)


def test_the_history_projects_the_departure_on_the_update_date_before_it_is_applied(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    _scenario(cli, tmp_path)
    history = get_history(engine, today=NOV_27, start=NOV_26, end=DEC_5)
    by_day = {d.day: d.marketing for d in history.days}
    assert [by_day[NOV_27], by_day[date(2026, 11, 30)], by_day[DEC_1]] == [10, 10, 6]
    marks = {m.day: (m.became_non_marketing, m.projected) for m in history.updates}
    assert marks[DEC_1] == (4, True)


def test_the_history_agrees_with_usage_today_and_with_simulate_on_a_future_day(engine: Engine) -> None:
    init(engine, today=TODAY, actor="test", demo=400, seed=7)
    future = date(2027, 2, 10)
    history = get_history(engine, today=TODAY, end=future)
    by_day = {d.day: d for d in history.days}
    now, later = get_usage(engine, today=TODAY), simulate(engine, today=TODAY, on=future)
    assert (by_day[TODAY].marketing, by_day[TODAY].non_marketing, by_day[TODAY].tier) == (
        now.marketing,
        now.non_marketing,
        now.tier_limit,
    )
    assert (by_day[future].marketing, by_day[future].non_marketing, by_day[future].tier) == (
        later.marketing,
        later.non_marketing,
        later.tier_limit,
    )
    assert len(history.days) == (future - history.start).days + 1


def test_the_billed_tier_is_a_step_line_from_the_recorded_tier_changes(engine: Engine, cli: Cli) -> None:
    settings = current_settings(engine)
    assert settings.billed_tier == 2_000
    changed = SettingsInput(**{**settings.as_input().__dict__, "billed_tier": 7_000})
    update_settings(engine, changed, today=pin_today(date(2026, 11, 28)), actor="test")
    history = get_history(engine, today=DEC_5, start=NOV_26, end=DEC_5)
    tiers = {d.day: d.tier for d in history.days}
    assert tiers[NOV_27] == 2_000
    assert tiers[date(2026, 11, 28)] == tiers[DEC_5] == 7_000


def test_a_history_that_ends_before_it_starts_is_refused(engine: Engine) -> None:
    import pytest

    from core.errors import DomainError

    with pytest.raises(DomainError, match="starts"):
        get_history(engine, today=TODAY, start=DEC_5, end=NOV_26)
