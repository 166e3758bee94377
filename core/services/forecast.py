"""The forecast of what drives the bill (docs/domain.md §10 "Forecast"): contacts arriving, the share of them the
default-status rules make marketing, the departures already scheduled, and the tier rules of §4.

A status change of an existing contact is a decision, not growth: it moves today's count (which the forecast starts
from) but never the pace. So the pace is read from creation dates, never from status events, and projected marketing
contacts never exceed projected contacts. Writes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import islice
from typing import Any

from babel.numbers import format_decimal
from sqlalchemy import Connection, Engine

from core.i18n import ENGLISH, N_, Translator
from core.rules import tiers
from core.rules.calendar import iter_update_dates, renewal_dates_between
from core.rules.sources import ADJUSTABLE_DEFAULTS, ALWAYS_NON_MARKETING, SourceType
from core.services.usage import tier_on
from core.store import engine as db
from core.store.account import Account, load_account
from core.store.counts import stored_counts
from core.store.daily import arrivals_by_source, created_marketing_by_source, due_per_day
from core.store.tool_settings import all_settings

WINDOW_DAYS = 90
BLOCKS = 3  # the window in three 30-day blocks: the slowest and the fastest give the band
MONTHS = 12
# Sources whose default is decided by a person each time (an import's "set all as marketing", a contact created
# by hand): their share is what happened at creation over the window. The others follow their switch today.
DECIDED_EACH_TIME = frozenset({SourceType.IMPORT, SourceType.MANUAL})
RELATION_TO_SIMULATOR = N_(
    "The simulator (and “Simulate as of”) shows a day if nothing else changes: no contact arrives, only the "
    "departures already scheduled happen. The forecast adds the contacts expected to arrive, so its figures are "
    "the simulator's plus the arrivals; “if nothing else changes” is given beside each month."
)


def one_decimal(value: float, t: Translator = ENGLISH) -> str:
    """A rate with one decimal: ``1,234.5`` / ``1 234,5`` (rounded as Python's ``{:,.1f}``)."""
    return format_decimal(Decimal(f"{value:.1f}"), "#,##0.0", locale=t.language)


@dataclass(frozen=True)
class SourcePace:
    source_type: str
    per_day: float  # contacts arriving a day over the window
    marketing_share: float  # the share of them that become marketing under the default-status rules
    rule: str  # how the share was decided


@dataclass(frozen=True)
class ForecastMonth:
    on: date  # an update date: the count that day is what the coming period bills
    total: int
    marketing: int
    tier: int
    monthly_price: int
    marketing_low: int
    marketing_high: int
    total_low: int
    total_high: int
    tier_high: int
    monthly_price_high: int
    if_nothing_changes: int  # the simulator's marketing count that day: no arrivals

    def as_json(self) -> dict[str, Any]:
        return {
            "date": self.on.isoformat(),
            "total": self.total,
            "marketing": self.marketing,
            "tier_limit": self.tier,
            "monthly_price": self.monthly_price,
            "band": {"low": self.marketing_low, "expected": self.marketing, "high": self.marketing_high},
            "total_band": {"low": self.total_low, "expected": self.total, "high": self.total_high},
            "tier_limit_high": self.tier_high,
            "monthly_price_high": self.monthly_price_high,
            "marketing_if_nothing_changes": self.if_nothing_changes,
        }


@dataclass(frozen=True)
class Pace:
    """Arrivals and marketing arrivals a day: expected (the window's mean), low and high (its slowest and fastest
    30 days)."""

    arrivals: tuple[float, float, float]
    marketing: tuple[float, float, float]
    by_source: list[SourcePace] = field(default_factory=list)


@dataclass(frozen=True)
class Forecast:
    today: date
    total_now: int
    marketing_now: int  # after the departures already due today
    billed_tier: int
    pace: Pace
    window_start: date
    window_end: date
    months: list[ForecastMonth]
    exceeds_on: date | None  # first day the expected projection goes above today's billed tier
    currency: str

    @property
    def arrivals_per_day(self) -> float:
        return self.pace.arrivals[1]

    @property
    def daily_change(self) -> float:
        """Marketing contacts arriving a day (expected): the growth of the marketing count."""
        return self.pace.marketing[1]

    @property
    def thresholds(self) -> list[int]:
        """The tiers worth drawing: today's and every tier the projection reaches."""
        return sorted({self.billed_tier, *(m.tier for m in self.months)})

    @property
    def method(self) -> str:
        """How the forecast was made, in English (the JSON's ``method``)."""
        return self.method_text(ENGLISH)

    def method_text(self, t: Translator = ENGLISH) -> str:
        """How the forecast was made, in ``t``'s language."""
        low, expected, high = self.pace.marketing
        return t(
            N_(
                "Contacts arriving: {arrivals} a day (by creation date, {start} to {end}), of which {expected} "
                "become marketing under today's default-status rules (a form, chatflow or app by its switch; imports "
                "and manual creation as they went at creation). Status changes of existing contacts are decisions, "
                "not growth: they are in today's count, not in the pace. Scheduled departures leave on their update "
                "date; the tier rises when the count exceeds it and is lowered only at renewal. Band: the slowest "
                "and fastest 30 days of the window ({low} to {high} marketing arrivals a day)."
            ),
            arrivals=one_decimal(self.arrivals_per_day, t),
            start=t.day_month(self.window_start),
            end=self.window_end,
            expected=one_decimal(expected, t),
            low=one_decimal(low, t),
            high=one_decimal(high, t),
        )

    def as_json(self) -> dict[str, Any]:
        low, expected, high = self.pace.marketing
        return {
            "today": self.today.isoformat(),
            "arrivals_per_day": round(self.arrivals_per_day, 3),
            "marketing_arrivals_per_day": round(expected, 3),
            "arrivals_by_source": [
                {
                    "source_type": s.source_type,
                    "per_day": round(s.per_day, 3),
                    "marketing_share": round(s.marketing_share, 3),
                    "rule": s.rule,
                }
                for s in self.pace.by_source
            ],
            "band": {
                "low": {"arrivals_per_day": round(self.pace.arrivals[0], 3), "marketing_per_day": round(low, 3)},
                "expected": {
                    "arrivals_per_day": round(self.pace.arrivals[1], 3),
                    "marketing_per_day": round(expected, 3),
                },
                "high": {"arrivals_per_day": round(self.pace.arrivals[2], 3), "marketing_per_day": round(high, 3)},
            },
            "total_now": self.total_now,
            "marketing_now": self.marketing_now,
            "tier_limit_now": self.billed_tier,
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            "exceeds_on": self.exceeds_on.isoformat() if self.exceeds_on else None,
            "currency": self.currency,
            "method": self.method,
            "relation_to_simulator": RELATION_TO_SIMULATOR,
            "months": [m.as_json() for m in self.months],
        }


def _share(
    switches: dict[tuple[str, str], bool], source: str, source_id: str | None, made: int, arrived: int
) -> tuple[float, str]:
    """The share of a tool's new contacts that become marketing under the default-status rules (§5)."""
    try:
        kind = SourceType(source)
    except ValueError:
        return (made / arrived if arrived else 0.0), "as at creation"
    if kind in ALWAYS_NON_MARKETING:
        return 0.0, "always non-marketing"
    if kind in DECIDED_EACH_TIME:
        return (made / arrived if arrived else 0.0), "as at creation"
    on = switches.get((kind.value, source_id or ""), ADJUSTABLE_DEFAULTS[kind])
    return (1.0 if on else 0.0), ("switched to marketing" if on else "switched to non-marketing")


def _pace(conn: Connection, *, start: date, end: date) -> Pace:
    """Arrivals by source over the window, and the share of each that becomes marketing."""
    block_days = WINDOW_DAYS // BLOCKS
    blocks = [[0.0, 0.0] for _ in range(BLOCKS)]
    by_tool: dict[tuple[str, str | None], list[Any]] = defaultdict(lambda: [0, 0, [0] * BLOCKS])
    for source, source_id, day, n in arrivals_by_source(conn, start=start, end=end):
        tool = by_tool[(source, source_id)]
        tool[0] += n
        tool[2][min(BLOCKS - 1, (day - start).days // block_days)] += n
    for key, made in created_marketing_by_source(conn, start=start, end=end).items():
        if key in by_tool:
            by_tool[key][1] = made
    by_source: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    rules: dict[str, set[str]] = defaultdict(set)
    switches = {(s.source_type, s.source_id): s.marketing for s in all_settings(conn)}
    for (source, source_id), (arrived, made, per_block) in by_tool.items():
        share, rule = _share(switches, source, source_id, made, arrived)
        by_source[source][0] += arrived
        by_source[source][1] += arrived * share
        rules[source].add(rule)
        for i, n in enumerate(per_block):
            blocks[i][0] += n
            blocks[i][1] += n * share
    rates = [(a / block_days, m / block_days) for a, m in blocks]
    arrivals = sum(a for a, _ in by_source.values()) / WINDOW_DAYS
    marketing = sum(m for _, m in by_source.values()) / WINDOW_DAYS
    low = min(rates, key=lambda r: r[1])
    high = max(rates, key=lambda r: r[1])
    sources = [
        SourcePace(s, a / WINDOW_DAYS, m / a if a else 0.0, " / ".join(sorted(rules[s])))
        for s, (a, m) in sorted(by_source.items(), key=lambda kv: -kv[1][0])
    ]
    return Pace(
        (min(low[0], arrivals), arrivals, max(high[0], arrivals)),
        (min(low[1], marketing), marketing, max(high[1], marketing)),
        sources,
    )


def _walk(acct: Account, *, today: date, billed: int, points: list[date], count: Any) -> dict[date, int]:
    """Day by day to the last point: upgrades at once, renewals lower the tier to fit (docs/domain.md §4)."""
    renewals = set(renewal_dates_between(acct.commitment, acct.start_date, today, points[-1]))
    tier, day, found = billed, today, {}
    while day < points[-1]:
        day += timedelta(days=1)
        n = count(day)
        tier = tiers.tier_at_renewal(acct.pricing, n) if day in renewals else tier
        tier = tiers.tier_after_change(acct.pricing, tier, n)
        if day in points:
            found[day] = tier
    return found


def get_forecast(engine: Engine, *, today: date, months: int = MONTHS) -> Forecast:
    """Project contacts, marketing contacts, the billed tier and its price on each of the next update dates."""
    window_end = today + timedelta(days=1)  # creation dates up to and including today
    window_start = window_end - timedelta(days=WINDOW_DAYS)
    with db.read(engine) as conn:
        acct = load_account(conn)
        stored = stored_counts(conn)
        due = due_per_day(conn)
        pace = _pace(conn, start=window_start, end=window_end)
        billed = tier_on(conn, acct, today)
    points = list(islice(iter_update_dates(acct.commitment, acct.start_date, today), max(1, months)))

    def staying(day: date) -> int:
        return stored.marketing - sum(n for on, n in due.items() if on <= day)

    def total(day: date, band: int) -> int:
        return stored.total + round(pace.arrivals[band] * (day - today).days)

    def marketing(day: date, band: int) -> int:
        projected = max(0, staying(day) + round(pace.marketing[band] * (day - today).days))
        return min(projected, total(day, band))  # never more marketing contacts than contacts

    expected = _walk(acct, today=today, billed=billed, points=points, count=lambda d: marketing(d, 1))
    high = _walk(acct, today=today, billed=billed, points=points, count=lambda d: marketing(d, 2))
    price = acct.pricing.monthly_price
    rows = [
        ForecastMonth(
            on=d,
            total=total(d, 1),
            marketing=marketing(d, 1),
            tier=expected[d],
            monthly_price=price(expected[d]),
            marketing_low=marketing(d, 0),
            marketing_high=marketing(d, 2),
            total_low=total(d, 0),
            total_high=total(d, 2),
            tier_high=high[d],
            monthly_price_high=price(high[d]),
            if_nothing_changes=max(0, staying(d)),
        )
        for d in points
    ]
    exceeds_on = next(
        (
            today + timedelta(days=k)
            for k in range(1, (points[-1] - today).days + 1)
            if marketing(today + timedelta(days=k), 1) > billed
        ),
        None,
    )
    return Forecast(
        today=today,
        total_now=stored.total,
        marketing_now=staying(today),
        billed_tier=billed,
        pace=pace,
        window_start=window_start,
        window_end=today,
        months=rows,
        exceeds_on=exceeds_on,
        currency=acct.currency,
    )
