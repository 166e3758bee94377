"""Per-day aggregates for the Usage & limits history and forecast: a few hundred rows, never one per contact.

Everything here is a GROUP BY over an index (see ``core.store.usage_indexes``) or a count per day range.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Date, column, func, literal, select, values

from core.rules.status import State
from core.store import states
from core.store.schema import contacts, status_events, tier_changes, update_runs

BILLED = frozenset({"marketing", "pending"})  # a pending contact is still billed


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class DayDeltas:
    """What the events effective on one day did to the counts."""

    billed: int = 0  # contacts that became billed minus those that stopped being billed
    existing: int = 0  # contacts created (with an event) minus contacts deleted
    deleted: int = 0


def event_deltas(conn: Connection, *, after: date) -> dict[date, DayDeltas]:
    """Per effective day after ``after``: how the events changed the billed and existing counts."""
    query = (
        select(status_events.c.effective_on, status_events.c.old_state, status_events.c.new_state, func.count())
        .where(status_events.c.effective_on > after)
        .group_by(status_events.c.effective_on, status_events.c.old_state, status_events.c.new_state)
    )
    found: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for day, old, new, n in conn.execute(query):
        totals = found[_day(day)]
        totals[0] += n * ((new in BILLED) - (old in BILLED))
        totals[1] += n * ((new is not None) - (old is not None))
        totals[2] += n if new is None and old is not None else 0
    return {day: DayDeltas(*t) for day, t in found.items()}


def deletions_after(conn: Connection, *, after: date) -> list[tuple[date, date | None, int]]:
    """(deleted on, created on if an event says so, how many) for contacts deleted after ``after``."""
    created = status_events.alias("created")
    created_on = (
        select(func.min(created.c.effective_on))
        .where(created.c.contact_id == status_events.c.contact_id, created.c.old_state.is_(None))
        .scalar_subquery()
    )
    query = (
        select(status_events.c.effective_on, created_on, func.count())
        .where(status_events.c.effective_on > after, status_events.c.new_state.is_(None))
        .group_by(status_events.c.effective_on, created_on)
    )
    return [(_day(d), _day(c) if c is not None else None, int(n)) for d, c, n in conn.execute(query)]


def created_per_day(conn: Connection, days: list[date]) -> dict[date, int]:
    """Contacts (still stored) created on each day: one index range count per day, no date function per row."""
    if not days:
        return {}
    rows = [(d, d + timedelta(days=1)) for d in days]
    bounds = values(column("lo", Date), column("hi", Date), name="days").data(rows).cte("days")
    count = (
        select(func.count())
        .select_from(contacts)
        .where(contacts.c.created_at >= bounds.c.lo, contacts.c.created_at < bounds.c.hi)
        .scalar_subquery()
    )
    return {_day(lo): int(n) for lo, n in conn.execute(select(bounds.c.lo, count))}


def created_from(conn: Connection, day: date) -> int:
    """Contacts (still stored) created on or after ``day``."""
    query = select(func.count()).select_from(contacts).where(contacts.c.created_at >= literal(day, Date))
    return int(conn.execute(query).scalar_one())


def due_per_day(conn: Connection) -> dict[date, int]:
    """Pending contacts per update date on which they become non-marketing."""
    leaves = states.leaves_on()
    query = select(leaves, func.count()).where(leaves.is_not(None), states.is_state(State.PENDING)).group_by(leaves)
    return {_day(d): int(n) for d, n in conn.execute(query)}


def tier_steps(conn: Connection) -> list[tuple[date, int, int]]:
    """Every recorded tier change, in order: (effective on, old limit, new limit)."""
    query = select(tier_changes.c.effective_on, tier_changes.c.old_limit, tier_changes.c.new_limit).order_by(
        tier_changes.c.effective_on, tier_changes.c.id
    )
    return [(_day(d), int(o), int(n)) for d, o, n in conn.execute(query)]


def last_update_runs(conn: Connection, *, limit: int) -> list[tuple[date, int]]:
    """The latest update runs: (update date, how many became non-marketing), newest first."""
    query = (
        select(update_runs.c.update_date, update_runs.c.became_non_marketing)
        .order_by(update_runs.c.update_date.desc())
        .limit(limit)
    )
    return [(_day(d), int(n)) for d, n in conn.execute(query)]


def update_runs_between(conn: Connection, start: date, end: date) -> dict[date, int]:
    """Update runs with start <= update date <= end: how many became non-marketing on each."""
    query = select(update_runs.c.update_date, update_runs.c.became_non_marketing).where(
        update_runs.c.update_date >= start, update_runs.c.update_date <= end
    )
    return {_day(d): int(n) for d, n in conn.execute(query)}


def arrivals_by_source(conn: Connection, *, start: date, end: date) -> list[tuple[str, str | None, date, int]]:
    """Contacts (still stored) created on days start <= d < end, by the tool that created them and the day: a few
    rows per tool and day (a range on the creation-date index)."""
    day = func.date(contacts.c.created_at)
    query = (
        select(contacts.c.source_type, contacts.c.source_id, day, func.count())
        .where(contacts.c.created_at >= literal(start, Date), contacts.c.created_at < literal(end, Date))
        .group_by(contacts.c.source_type, contacts.c.source_id, day)
    )
    return [(str(t), i, _day(d), int(n)) for t, i, d, n in conn.execute(query)]


def created_marketing_by_source(conn: Connection, *, start: date, end: date) -> dict[tuple[str, str | None], int]:
    """Of those contacts, how many each tool created marketing: their creation event (no old state) made them
    billed."""
    query = (
        select(contacts.c.source_type, contacts.c.source_id, func.count())
        .select_from(status_events.join(contacts, contacts.c.id == status_events.c.contact_id))
        .where(
            status_events.c.old_state.is_(None),
            status_events.c.new_state.in_(BILLED),
            contacts.c.created_at >= literal(start, Date),
            contacts.c.created_at < literal(end, Date),
        )
        .group_by(contacts.c.source_type, contacts.c.source_id)
    )
    return {(str(t), i): int(n) for t, i, n in conn.execute(query)}
