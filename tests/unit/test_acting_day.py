"""The day a change may act on (docs/domain.md §10): never after today, never before the last day acted on, another
day than today only for an admin. Pure rules, one row per case."""

from __future__ import annotations

from datetime import date

import pytest

from core.rules.acting_day import other_day_refusal, refusal
from core.rules.roles import Role

TODAY = date(2026, 11, 26)
LAST = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("day", "last", "refused"),
    [
        pytest.param(TODAY, LAST, None, id="today after the last day acted on: allowed"),
        pytest.param(TODAY, TODAY, None, id="today, the last day acted on: allowed"),
        pytest.param(LAST, LAST, None, id="the last day acted on itself: allowed"),
        pytest.param(date(2026, 11, 23), LAST, None, id="a past day after the last day acted on: allowed"),
        pytest.param(date(2026, 11, 27), LAST, "is in the future", id="tomorrow: refused"),
        pytest.param(date(2028, 6, 15), LAST, "is in the future", id="18 months ahead: refused"),
        pytest.param(date(2026, 11, 19), LAST, "is before 2026-11-20", id="the day before the last: refused"),
        pytest.param(date(1, 1, 1), LAST, "is before 2026-11-20", id="year 1: refused"),
        pytest.param(date(2026, 11, 27), date(2026, 11, 27), "is in the future", id="the future first"),
    ],
)
def test_no_change_acts_after_today_or_before_the_last_day_acted_on(day: date, last: date, refused: str | None) -> None:
    reason = refusal(day, today=TODAY, last_acted_on=last)
    assert (reason is None) if refused is None else (reason is not None and refused in reason), reason


def test_a_future_day_is_told_to_use_simulate() -> None:
    assert refusal(date(2028, 6, 15), today=TODAY, last_acted_on=LAST) == (
        "2028-06-15 is in the future; changes act on today (2026-11-26) — use simulate to look ahead"
    )


@pytest.mark.parametrize(
    ("role", "day", "allowed"),
    [
        pytest.param(Role.ADMIN, date(2026, 11, 25), True, id="an admin on another day"),
        pytest.param(None, date(2026, 11, 25), True, id="local mode or the application on another day"),
        pytest.param(Role.EDITOR, date(2026, 11, 25), False, id="an editor on another day"),
        pytest.param(Role.VIEWER, date(2026, 11, 25), False, id="a viewer on another day"),
        pytest.param(Role.EDITOR, TODAY, True, id="an editor on today"),
        pytest.param(Role.VIEWER, TODAY, True, id="a viewer on today (what else they may do is roles' business)"),
    ],
)
def test_only_an_admin_acts_on_a_day_other_than_today(role: Role | None, day: date, allowed: bool) -> None:
    reason = other_day_refusal(day, today=TODAY, username="pat", role=role)
    assert (reason is None) is allowed, reason
    if not allowed:
        assert reason == (
            f"pat ({role}) may not act on 2026-11-25: only an admin may act on a day other than today (2026-11-26)"
        )
