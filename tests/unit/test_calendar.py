"""The update-date and renewal calendar of docs/domain.md §3 and §4, edge by edge."""

from __future__ import annotations

import calendar as stdlib_calendar
from datetime import date, timedelta

import pytest

from core.rules.calendar import (
    CalendarDay,
    Commitment,
    calendar_days_between,
    clamp_day,
    next_renewal_date,
    next_update_date,
    renewal_dates_between,
    update_dates_between,
)

A, MO = Commitment.ANNUAL, Commitment.MONTHLY
d = date


@pytest.mark.parametrize(
    ("start", "today", "expected"),
    [
        pytest.param(d(2026, 1, 15), d(2026, 11, 26), d(2026, 12, 1), id="annual: the next 1st of a month"),
        pytest.param(d(2026, 1, 15), d(2026, 11, 30), d(2026, 12, 1), id="annual: the day before the 1st"),
        pytest.param(d(2026, 1, 15), d(2026, 12, 1), d(2027, 1, 1), id="annual: on the 1st, the following 1st"),
        pytest.param(d(2026, 1, 15), d(2026, 12, 31), d(2027, 1, 1), id="annual: across the year end"),
        pytest.param(d(2026, 1, 15), d(2028, 2, 29), d(2028, 3, 1), id="annual: from a leap day"),
        pytest.param(d(2026, 1, 15), d(2027, 2, 28), d(2027, 3, 1), id="annual: from the end of a short February"),
        pytest.param(d(2026, 1, 31), d(2026, 1, 31), d(2026, 2, 1), id="annual: the start day does not matter"),
    ],
)
def test_the_annual_update_date_is_the_first_of_the_next_month(start: date, today: date, expected: date) -> None:
    assert next_update_date(A, start, today) == expected


@pytest.mark.parametrize(
    ("start", "today", "expected"),
    [
        pytest.param(d(2026, 1, 15), d(2026, 11, 26), d(2026, 12, 15), id="the 15th: next 15th"),
        pytest.param(d(2026, 1, 15), d(2026, 12, 14), d(2026, 12, 15), id="the 15th: the day before"),
        pytest.param(d(2026, 1, 15), d(2026, 12, 15), d(2027, 1, 15), id="the 15th: on the day, the following one"),
        pytest.param(d(2026, 1, 29), d(2026, 1, 29), d(2026, 2, 28), id="the 29th: February 2026 has 28 days"),
        pytest.param(d(2026, 1, 29), d(2026, 2, 28), d(2026, 3, 29), id="the 29th: back to the 29th in March"),
        pytest.param(d(2028, 1, 29), d(2028, 1, 29), d(2028, 2, 29), id="the 29th: leap February has it"),
        pytest.param(d(2026, 1, 30), d(2026, 1, 30), d(2026, 2, 28), id="the 30th: clamped in February"),
        pytest.param(d(2026, 1, 30), d(2026, 2, 28), d(2026, 3, 30), id="the 30th: back to the 30th in March"),
        pytest.param(d(2028, 1, 30), d(2028, 1, 30), d(2028, 2, 29), id="the 30th: clamped to a leap day"),
        pytest.param(d(2026, 1, 31), d(2026, 1, 31), d(2026, 2, 28), id="the 31st: Jan 31 to Feb 28"),
        pytest.param(d(2028, 1, 31), d(2028, 1, 31), d(2028, 2, 29), id="the 31st: Jan 31 to Feb 29 in a leap year"),
        pytest.param(d(2026, 1, 31), d(2026, 2, 28), d(2026, 3, 31), id="the 31st: Feb 28 to Mar 31"),
        pytest.param(d(2028, 1, 31), d(2028, 2, 29), d(2028, 3, 31), id="the 31st: Feb 29 to Mar 31"),
        pytest.param(d(2026, 1, 31), d(2026, 3, 31), d(2026, 4, 30), id="the 31st: Mar 31 to Apr 30"),
        pytest.param(d(2026, 1, 31), d(2026, 4, 30), d(2026, 5, 31), id="the 31st: Apr 30 to May 31"),
        pytest.param(d(2026, 1, 31), d(2026, 4, 29), d(2026, 4, 30), id="the 31st: the day before Apr 30"),
        pytest.param(d(2026, 1, 31), d(2026, 12, 31), d(2027, 1, 31), id="the 31st: across the year end"),
        pytest.param(d(2028, 2, 29), d(2028, 2, 29), d(2028, 3, 29), id="a leap-day start: the 29th of each month"),
        pytest.param(d(2028, 2, 29), d(2029, 2, 1), d(2029, 2, 28), id="a leap-day start: Feb 28 next year"),
    ],
)
def test_the_monthly_update_date_is_the_renewal_day_clamped_to_the_month(
    start: date, today: date, expected: date
) -> None:
    assert next_update_date(MO, start, today) == expected


@pytest.mark.parametrize(
    ("start", "after", "until", "expected"),
    [
        pytest.param(
            d(2026, 1, 31),
            d(2026, 1, 31),
            d(2026, 6, 30),
            [d(2026, 2, 28), d(2026, 3, 31), d(2026, 4, 30), d(2026, 5, 31), d(2026, 6, 30)],
            id="start Jan 31: Feb 28, Mar 31, Apr 30, May 31, Jun 30",
        ),
        pytest.param(
            d(2028, 1, 31),
            d(2028, 1, 31),
            d(2028, 4, 30),
            [d(2028, 2, 29), d(2028, 3, 31), d(2028, 4, 30)],
            id="start Jan 31 in a leap year: Feb 29, Mar 31, Apr 30",
        ),
        pytest.param(
            d(2026, 1, 30),
            d(2026, 1, 30),
            d(2026, 4, 30),
            [d(2026, 2, 28), d(2026, 3, 30), d(2026, 4, 30)],
            id="start Jan 30: Feb 28, Mar 30, Apr 30",
        ),
    ],
)
def test_monthly_update_dates_in_a_row(start: date, after: date, until: date, expected: list[date]) -> None:
    assert update_dates_between(MO, start, after, until) == expected


@pytest.mark.parametrize("start_day", range(1, 32))
@pytest.mark.parametrize("year", [2026, 2027, 2028])
def test_every_month_has_exactly_one_monthly_update_date_on_the_clamped_day(start_day: int, year: int) -> None:
    start = d(2025, 12, start_day)
    dates = update_dates_between(MO, start, d(year - 1, 12, 31), d(year, 12, 31))
    expected = [d(year, m, min(start_day, stdlib_calendar.monthrange(year, m)[1])) for m in range(1, 13)]
    assert dates == expected


@pytest.mark.parametrize("commitment", [A, MO])
@pytest.mark.parametrize("start", [d(2026, 1, 1), d(2026, 1, 15), d(2026, 1, 29), d(2026, 1, 31), d(2028, 2, 29)])
def test_the_next_update_date_is_strictly_after_today_and_none_is_skipped(commitment: Commitment, start: date) -> None:
    day = d(2027, 12, 1)
    while day < d(2029, 4, 1):
        following = next_update_date(commitment, start, day)
        assert following > day
        assert update_dates_between(commitment, start, day, following) == [following]
        day += timedelta(days=1)


@pytest.mark.parametrize(
    ("commitment", "start", "update_day"),
    [
        pytest.param(A, d(2026, 1, 15), d(2026, 12, 1), id="annual"),
        pytest.param(MO, d(2026, 1, 15), d(2026, 12, 15), id="monthly"),
        pytest.param(MO, d(2026, 1, 31), d(2026, 2, 28), id="monthly on a clamped day"),
    ],
)
def test_a_change_requested_on_an_update_date_waits_for_the_following_one(
    commitment: Commitment, start: date, update_day: date
) -> None:
    day_before = update_day - timedelta(days=1)
    assert next_update_date(commitment, start, day_before) == update_day
    assert next_update_date(commitment, start, update_day) > update_day
    assert next_update_date(commitment, start, update_day) == next_update_date(
        commitment, start, update_day + timedelta(days=1)
    )


@pytest.mark.parametrize(
    ("commitment", "start", "after", "until", "expected"),
    [
        pytest.param(
            A,
            d(2026, 1, 15),
            d(2026, 11, 26),
            d(2027, 3, 15),
            [d(2026, 12, 1), d(2027, 1, 1), d(2027, 2, 1), d(2027, 3, 1)],
            id="annual: four missed 1sts, in order",
        ),
        pytest.param(A, d(2026, 1, 15), d(2026, 11, 26), d(2026, 11, 30), [], id="annual: none before the next 1st"),
        pytest.param(A, d(2026, 1, 15), d(2026, 11, 26), d(2026, 12, 1), [d(2026, 12, 1)], id="annual: until included"),
        pytest.param(A, d(2026, 1, 15), d(2026, 12, 1), d(2026, 12, 31), [], id="annual: after excluded"),
        pytest.param(A, d(2026, 1, 15), d(2026, 12, 1), d(2026, 12, 1), [], id="annual: an empty interval"),
        pytest.param(
            MO,
            d(2026, 1, 31),
            d(2026, 1, 31),
            d(2026, 3, 31),
            [d(2026, 2, 28), d(2026, 3, 31)],
            id="monthly: two missed renewal days, one of them clamped",
        ),
    ],
)
def test_catching_up_lists_every_missed_update_date_once(
    commitment: Commitment, start: date, after: date, until: date, expected: list[date]
) -> None:
    assert update_dates_between(commitment, start, after, until) == expected


@pytest.mark.parametrize(
    ("start", "today", "expected"),
    [
        pytest.param(d(2026, 1, 15), d(2026, 11, 26), d(2027, 1, 15), id="the next anniversary"),
        pytest.param(d(2026, 1, 15), d(2026, 1, 15), d(2027, 1, 15), id="on the start day: a year later"),
        pytest.param(d(2026, 1, 15), d(2027, 1, 14), d(2027, 1, 15), id="the day before the anniversary"),
        pytest.param(d(2026, 1, 15), d(2027, 1, 15), d(2028, 1, 15), id="on the anniversary: the following one"),
        pytest.param(d(2028, 2, 29), d(2028, 3, 1), d(2029, 2, 28), id="a leap-day start renews on Feb 28"),
        pytest.param(d(2028, 2, 29), d(2029, 2, 28), d(2030, 2, 28), id="a leap-day start, the year after"),
        pytest.param(d(2028, 2, 29), d(2031, 3, 1), d(2032, 2, 29), id="a leap-day start, back on Feb 29"),
        pytest.param(d(2026, 3, 1), d(2026, 11, 26), d(2027, 3, 1), id="a start on the 1st"),
    ],
)
def test_an_annual_commitment_renews_on_the_anniversary_of_its_start(start: date, today: date, expected: date) -> None:
    assert next_renewal_date(A, start, today) == expected


@pytest.mark.parametrize(
    ("start", "today", "expected"),
    [
        pytest.param(d(2026, 1, 15), d(2026, 11, 26), d(2026, 12, 15), id="the next renewal day"),
        pytest.param(d(2026, 1, 31), d(2026, 2, 1), d(2026, 2, 28), id="the renewal day is clamped too"),
        pytest.param(d(2026, 1, 31), d(2026, 2, 28), d(2026, 3, 31), id="then back to the 31st"),
    ],
)
def test_a_monthly_commitment_renews_on_each_monthly_renewal_day(start: date, today: date, expected: date) -> None:
    assert next_renewal_date(MO, start, today) == expected
    assert next_renewal_date(MO, start, today) == next_update_date(MO, start, today)


def test_renewal_dates_between_list_each_anniversary_once() -> None:
    assert renewal_dates_between(A, d(2028, 2, 29), d(2028, 2, 29), d(2032, 3, 1)) == [
        d(2029, 2, 28),
        d(2030, 2, 28),
        d(2031, 2, 28),
        d(2032, 2, 29),
    ]


def test_a_renewal_before_the_start_date_does_not_exist() -> None:
    assert renewal_dates_between(A, d(2026, 6, 1), d(2026, 1, 1), d(2026, 12, 31)) == []


@pytest.mark.parametrize(
    ("commitment", "start", "after", "until", "expected"),
    [
        pytest.param(
            A,
            d(2026, 1, 15),
            d(2026, 12, 31),
            d(2027, 2, 1),
            [
                CalendarDay(d(2027, 1, 1), True, False),
                CalendarDay(d(2027, 1, 15), False, True),
                CalendarDay(d(2027, 2, 1), True, False),
            ],
            id="annual: the anniversary is its own day between two updates",
        ),
        pytest.param(
            A,
            d(2026, 2, 1),
            d(2026, 12, 31),
            d(2027, 2, 1),
            [CalendarDay(d(2027, 1, 1), True, False), CalendarDay(d(2027, 2, 1), True, True)],
            id="annual started on a 1st: the renewal shares its day with an update",
        ),
        pytest.param(
            MO,
            d(2026, 1, 31),
            d(2026, 1, 31),
            d(2026, 3, 31),
            [CalendarDay(d(2026, 2, 28), True, True), CalendarDay(d(2026, 3, 31), True, True)],
            id="monthly: every update date is a renewal",
        ),
    ],
)
def test_the_days_a_catch_up_visits_mark_updates_and_renewals(
    commitment: Commitment, start: date, after: date, until: date, expected: list[CalendarDay]
) -> None:
    assert calendar_days_between(commitment, start, after, until) == expected


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [
        (2026, 2, 31, d(2026, 2, 28)),
        (2028, 2, 31, d(2028, 2, 29)),
        (2026, 4, 31, d(2026, 4, 30)),
        (2026, 4, 30, d(2026, 4, 30)),
        (2026, 12, 31, d(2026, 12, 31)),
        (2026, 6, 1, d(2026, 6, 1)),
    ],
)
def test_a_day_missing_from_a_month_becomes_its_last_day(year: int, month: int, day: int, expected: date) -> None:
    assert clamp_day(year, month, day) == expected
