"""The update-date and renewal calendar of docs/domain.md §3 and §4."""

from __future__ import annotations

import calendar as _cal
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Commitment(StrEnum):
    MONTHLY = "monthly"
    ANNUAL = "annual"


def clamp_day(year: int, month: int, day: int) -> date:
    """The given day of that month, or the month's last day when the month is shorter (our rule)."""
    return date(year, month, min(day, _cal.monthrange(year, month)[1]))


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def update_date_in_month(commitment: Commitment, start_date: date, year: int, month: int) -> date:
    """Annual: the 1st of the month; monthly: the renewal day (start day, clamped to the month)."""
    if commitment == Commitment.ANNUAL:
        return date(year, month, 1)
    return clamp_day(year, month, start_date.day)


def iter_update_dates(commitment: Commitment, start_date: date, after: date) -> Iterator[date]:
    """Update dates strictly after ``after``, in order, forever."""
    year, month = after.year, after.month
    while True:
        candidate = update_date_in_month(commitment, start_date, year, month)
        if candidate > after:
            yield candidate
        year, month = _add_months(year, month, 1)


def next_update_date(commitment: Commitment, start_date: date, today: date) -> date:
    """The first update date strictly after ``today``: a change requested on an update date waits a period."""
    return next(iter_update_dates(commitment, start_date, today))


def update_dates_between(commitment: Commitment, start_date: date, after: date, until: date) -> list[date]:
    """Every update date d with after < d <= until (the ones a catch-up run must apply, in order)."""
    dates: list[date] = []
    for d in iter_update_dates(commitment, start_date, after):
        if d > until:
            return dates
        dates.append(d)
    return dates  # pragma: no cover - the iterator is infinite


def iter_renewal_dates(commitment: Commitment, start_date: date, after: date) -> Iterator[date]:
    """Renewal dates strictly after ``after``: monthly on the renewal day, annual on the anniversary."""
    if commitment == Commitment.MONTHLY:
        yield from iter_update_dates(commitment, start_date, after)
        return
    year = after.year
    while True:
        candidate = clamp_day(year, start_date.month, start_date.day)
        if candidate > after and candidate > start_date:
            yield candidate
        year += 1


def next_renewal_date(commitment: Commitment, start_date: date, today: date) -> date:
    """The first renewal date strictly after ``today`` (the earliest day the billed tier may be lowered)."""
    return next(iter_renewal_dates(commitment, start_date, max(today, start_date)))


def renewal_dates_between(commitment: Commitment, start_date: date, after: date, until: date) -> list[date]:
    """Every renewal date r with after < r <= until."""
    dates: list[date] = []
    for d in iter_renewal_dates(commitment, start_date, max(after, start_date)):
        if d > until:
            return dates
        dates.append(d)
    return dates  # pragma: no cover


@dataclass(frozen=True)
class CalendarDay:
    """A day on which something happens: update first, then renewal (our rule: best case)."""

    day: date
    is_update: bool
    is_renewal: bool


def calendar_days_between(commitment: Commitment, start_date: date, after: date, until: date) -> list[CalendarDay]:
    """Update and renewal days in (after, until], in order, for a catch-up or a simulation."""
    updates = set(update_dates_between(commitment, start_date, after, until))
    renewals = set(renewal_dates_between(commitment, start_date, after, until))
    return [CalendarDay(d, d in updates, d in renewals) for d in sorted(updates | renewals)]
