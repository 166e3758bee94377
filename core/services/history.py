"""Usage history: marketing and non-marketing contacts and the billed tier per day, from the event log.

Exact for every past day: the counts are today's stored counts walked back through the status events,
day by day (a contact scheduled before an update date leaves the marketing series on that date, when
its update event takes effect). Days after the last applied update date are projected the way
``simulate`` does: pending contacts leave on their update date, renewals lower the tier.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Connection, Engine, func, select

from core.errors import DomainError
from core.i18n import N_
from core.rules import tiers
from core.rules.calendar import renewal_dates_between, update_dates_between
from core.store import engine as db
from core.store.account import Account, load_account
from core.store.counts import counts_on, stored_counts
from core.store.daily import (
    DayDeltas,
    created_from,
    created_per_day,
    deletions_after,
    due_per_day,
    event_deltas,
    last_update_runs,
    tier_steps,
    update_runs_between,
)
from core.store.schema import account, operations, tier_changes

DEFAULT_DAYS = 365
MAX_DAYS = 366 * 5


@dataclass(frozen=True)
class HistoryDay:
    day: date
    marketing: int  # billed that day: pending contacts included
    non_marketing: int
    tier: int  # the billed tier that day


@dataclass(frozen=True)
class UpdateMark:
    day: date
    became_non_marketing: int
    projected: bool  # not applied yet: the pending contacts due that day


@dataclass(frozen=True)
class History:
    start: date
    end: date
    days: list[HistoryDay]
    updates: list[UpdateMark]


def _marketing(stored: int, deltas: dict[date, DayDeltas], due: dict[date, int], days: list[date]) -> list[int]:
    """Billed contacts per day: stored count, minus pending contacts due by then, minus later event effects."""
    later = sum(d.billed for day, d in deltas.items() if day > days[-1])
    result = [0] * len(days)
    for i in range(len(days) - 1, -1, -1):
        result[i] = stored - later
        later += deltas[days[i]].billed if days[i] in deltas else 0
    due_so_far = sum(n for day, n in due.items() if day < days[0])
    for i, day in enumerate(days):
        due_so_far += due.get(day, 0)
        result[i] -= due_so_far
    return result


def _existing(conn: Connection, total: int, deltas: dict[date, DayDeltas], days: list[date]) -> list[int]:
    """Contacts per day: stored ones created by then, plus deleted ones that still existed then."""
    created = created_per_day(conn, days[1:])
    after = created_from(conn, days[-1] + timedelta(days=1))
    result = [0] * len(days)
    for i in range(len(days) - 1, -1, -1):
        result[i] = total - after
        after += created.get(days[i], 0)
    if any(d.deleted for d in deltas.values()):
        added = [0] * (len(days) + 1)  # difference array: +n over the days each deleted contact existed
        for deleted_on, created_on, n in deletions_after(conn, after=days[0]):
            first = 0 if created_on is None else max(0, (created_on - days[0]).days)
            last = min(len(days), (deleted_on - days[0]).days)  # exclusive: gone on its deletion day
            if first < last:
                added[first] += n
                added[last] -= n
        running = 0
        for i in range(len(days)):
            running += added[i]
            result[i] += running
    return result


def _tiers(conn: Connection, acct: Account, days: list[date], marketing: list[int]) -> list[int]:
    """Recorded tier changes for applied days; projected renewals (our best-case rule) after them."""
    steps = tier_steps(conn)
    by_day = dict(zip(days, marketing, strict=True))
    renewals = renewal_dates_between(acct.commitment, acct.start_date, acct.updates_applied_through, days[-1])
    renewal_tier = {
        r: tiers.tier_at_renewal(acct.pricing, by_day[r] if r in by_day else counts_on(conn, r).marketing)
        for r in renewals
    }
    result = []
    for day in days:
        passed = [(on, new) for on, _, new in steps if on <= day]
        tier = passed[-1][1] if passed else steps[0][1] if steps else acct.billed_tier
        renewed = [r for r in renewals if r <= day]  # not applied yet: projected
        if renewed and (not passed or renewed[-1] >= passed[-1][0]):
            tier = renewal_tier[renewed[-1]]
        result.append(tier)
    return result


def _update_marks(conn: Connection, acct: Account, days: list[date], due: dict[date, int]) -> list[UpdateMark]:
    """Update dates in the range: applied ones with what their run did, later ones with what is due."""
    runs = update_runs_between(conn, days[0], days[-1])
    dates = set(update_dates_between(acct.commitment, acct.start_date, days[0] - timedelta(days=1), days[-1]))
    marks = []
    previous = acct.updates_applied_through
    for day in sorted(dates | set(runs)):
        if day <= acct.updates_applied_through:
            marks.append(UpdateMark(day, runs.get(day, 0), projected=False))
            continue
        marks.append(UpdateMark(day, sum(n for on, n in due.items() if previous < on <= day), projected=True))
        previous = day
    return marks


def get_history(engine: Engine, *, today: date, start: date | None = None, end: date | None = None) -> History:
    """Marketing and non-marketing contacts and the billed tier per day (default: the 12 months up to today)."""
    end = end or today
    start = start or end - timedelta(days=DEFAULT_DAYS)
    if start > end:
        raise DomainError(N_("the history starts ({start}) after it ends ({end})"), start=str(start), end=str(end))
    if (end - start).days > MAX_DAYS:
        raise DomainError(N_("the history covers at most {days} days; pick a shorter range"), days=MAX_DAYS)
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    with db.read(engine) as conn:
        acct = load_account(conn)
        stored = stored_counts(conn)
        deltas = event_deltas(conn, after=start)
        due = due_per_day(conn)
        marketing = _marketing(stored.marketing, deltas, due, days)
        existing = _existing(conn, stored.total, deltas, days)
        tier = _tiers(conn, acct, days, marketing)
        rows = [HistoryDay(day, m, e - m, t) for day, m, e, t in zip(days, marketing, existing, tier, strict=True)]
        return History(start, end, rows, _update_marks(conn, acct, days, due))


def data_version(engine: Engine) -> str:
    """Changes whenever the history can: every change that moves a count or the tier records an operation
    (status changes, imports, deletions, update dates, settings), a renewal records a tier change, and a
    database made anew at the same address has a new account. A few primary-key lookups; lets the dashboard
    keep the history between reruns."""
    with db.read(engine) as conn:
        row = conn.execute(
            select(
                select(func.max(operations.c.id)).scalar_subquery(),
                select(func.max(tier_changes.c.id)).scalar_subquery(),
                select(account.c.created_at).scalar_subquery(),
            )
        ).one()
    return ":".join(str(value) for value in row)


def recent_update_runs(engine: Engine, *, limit: int = 3) -> list[tuple[date, int]]:
    """The latest update runs, newest first: (update date, how many contacts became non-marketing)."""
    with db.read(engine) as conn:
        return last_update_runs(conn, limit=limit)
