"""12-month forecast of the marketing count, from the last 90 days of net marketing additions in the event log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice

from sqlalchemy import Engine

from core.rules import tiers
from core.rules.calendar import iter_update_dates, renewal_dates_between
from core.services.usage import tier_on
from core.store import engine as db
from core.store.account import Account, load_account
from core.store.counts import stored_counts
from core.store.daily import due_per_day, event_deltas

WINDOW_DAYS = 90
MONTHS = 12


@dataclass(frozen=True)
class ForecastMonth:
    on: date  # an update date: the count that day is what the coming period bills
    marketing: int
    tier: int
    monthly_price: int


@dataclass(frozen=True)
class Forecast:
    today: date
    marketing_now: int
    billed_tier: int
    daily_change: float  # net marketing additions per day over the window
    window_start: date
    window_end: date
    months: list[ForecastMonth]
    exceeds_on: date | None  # first day the projection goes above today's billed tier
    currency: str

    @property
    def thresholds(self) -> list[int]:
        """The tiers worth drawing: today's and every tier the projection reaches."""
        return sorted({self.billed_tier, *(m.tier for m in self.months)})

    @property
    def method(self) -> str:
        days = (self.window_end - self.window_start).days
        return (
            f"Projection: the count after the contacts already scheduled to leave, plus {self.daily_change:+,.1f} "
            f"marketing contacts a day (the net additions recorded in the event log over the {days} days up to "
            f"{self.window_end:%d %b %Y}); the tier rises when the count exceeds it and drops only at renewal."
        )


def _walk(
    acct: Account, *, today: date, billed: int, projected: Callable[[date], int]
) -> tuple[list[ForecastMonth], date | None]:
    """Day by day to the 12th update date: upgrades at once, renewals lower the tier to fit (DOMAIN.md §4)."""
    points = list(islice(iter_update_dates(acct.commitment, acct.start_date, today), MONTHS))
    renewals = set(renewal_dates_between(acct.commitment, acct.start_date, today, points[-1]))
    tier, exceeds_on, months = billed, None, []
    day = today
    while day < points[-1]:
        day += timedelta(days=1)
        count = projected(day)
        if exceeds_on is None and count > billed:
            exceeds_on = day
        tier = tiers.tier_at_renewal(acct.pricing, count) if day in renewals else tier
        tier = tiers.tier_after_change(acct.pricing, tier, count)
        if day in points:
            months.append(ForecastMonth(day, count, tier, acct.pricing.monthly_price(tier)))
    return months, exceeds_on


def get_forecast(engine: Engine, *, today: date) -> Forecast:
    """Project the marketing count, billed tier and price on each of the next 12 update dates (writes nothing)."""
    with db.read(engine) as conn:
        acct = load_account(conn)
        stored = stored_counts(conn).marketing
        due = due_per_day(conn)
        window_end = min(today, acct.updates_applied_through)  # later days have no recorded events yet
        window_start = window_end - timedelta(days=WINDOW_DAYS)
        deltas = event_deltas(conn, after=window_start)
        billed = tier_on(conn, acct, today)
    rate = sum(d.billed for day, d in deltas.items() if day <= window_end) / WINDOW_DAYS

    def after_departures(day: date) -> int:
        return stored - sum(n for on, n in due.items() if on <= day)

    def projected(day: date) -> int:
        return max(0, round(after_departures(day) + rate * (day - today).days))

    months, exceeds_on = _walk(acct, today=today, billed=billed, projected=projected)
    return Forecast(
        today=today,
        marketing_now=after_departures(today),
        billed_tier=billed,
        daily_change=rate,
        window_start=window_start,
        window_end=window_end,
        months=months,
        exceeds_on=exceeds_on,
        currency=acct.currency,
    )
