"""Deterministic demo data: contacts with up to a year of history (same seed and same database, same data).

The history is one that could be true (docs/domain.md §5, issue 13): it starts no earlier than the subscription,
and ``account_history`` gives the update runs and tier changes that such a history implies under §3 and §4."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from core.i18n import ENGLISH, N_, Translator
from core.rules import tiers
from core.rules.calendar import Commitment, next_update_date, renewal_dates_between, update_dates_between
from core.rules.sources import ALWAYS_NON_MARKETING
from core.rules.status import State
from core.rules.tiers import Pricing
from core.store.bulk_contacts import NO_SOURCE, BulkWriter, Cells
from core.store.events import EVENT_COLUMNS

FIRST = (
    "Ada",
    "Alan",
    "Grace",
    "Linus",
    "Maria",
    "Noor",
    "Omar",
    "Priya",
    "Sven",
    "Yuki",
    "Lena",
    "Jose",
    "Chen",
    "Amara",
    "Ivan",
    "Sofia",
    "Tariq",
    "Elif",
    "Mateo",
    "Hana",
)
LAST = (
    "Lovelace",
    "Turing",
    "Hopper",
    "Torvalds",
    "Garcia",
    "Haddad",
    "Khan",
    "Patel",
    "Larsen",
    "Sato",
    "Weber",
    "Silva",
    "Wang",
    "Okafor",
    "Petrov",
    "Rossi",
    "Aziz",
    "Yilmaz",
    "Lopez",
    "Kim",
)
STAGES = (
    "subscriber",
    "lead",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "opportunity",
    "customer",
    "evangelist",
    "other",
)
SOURCES = (
    ("form", 0.45),
    ("import", 0.25),
    ("integration", 0.1),
    ("manual", 0.1),
    ("chatflow", 0.05),
    ("logged_email", 0.05),
)
# The tools demo contacts come from, by ID, so that the sources page lists them (picked by contact id, not by the
# random generator, so the rest of the demo data stays what its seed made before). A person reads these IDs on the
# sources page and beside each contact: a deployment in another language gets them in its words (``tool_ids``).
TOOL_IDS = {
    "form": (N_("contact-us"), N_("newsletter-signup"), N_("webinar-registration")),
    "chatflow": (N_("website-chat"),),
    "integration": (N_("crm-sync"),),
}


def tool_ids(t: Translator = ENGLISH) -> dict[str, tuple[str, ...]]:
    """The demo's tool IDs in ``t``'s language (``contact-us`` / ``formularz-kontaktowy``)."""
    return {source: tuple(t(tool) for tool in tools) for source, tools in TOOL_IDS.items()}


_NEVER_MARKETING = {source.value for source in ALWAYS_NON_MARKETING}
_MARKETING, _PENDING, _NON_MARKETING = State.MARKETING.value, State.PENDING.value, State.NON_MARKETING.value


HISTORY_DAYS = 365


def history_start(*, today: date, start_date: date) -> date:
    """The first day of generated history: a year before today, never before the subscription started."""
    return min(today, max(start_date, today - timedelta(days=HISTORY_DAYS)))


def generate(
    *,
    n: int,
    seed: int,
    first_id: int,
    today: date,
    commitment: Commitment,
    start_date: date,
    operation_id: int,
    sqlite: bool = False,
    tools: dict[str, tuple[str, ...]] = TOOL_IDS,
) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
    """Yield (contact row, its event rows) for ``n`` contacts created between the history's start and ``today``,
    in ``bulk_contacts.CONTACT_COLUMNS`` / ``EVENT_COLUMNS`` order (values as the SQLite driver takes them if
    ``sqlite``); ``tools``: the IDs of the forms, chatflows and apps they come from (``tool_ids``)."""
    cells = Cells(sqlite=sqlite)
    stamp, day = cells.stamp, cells.day
    rng = random.Random(seed)
    rand, choice = rng.random, rng.choice
    names = [s for s, _ in SOURCES]
    cumulative = [sum(w for _, w in SOURCES[: i + 1]) for i in range(len(SOURCES))]
    base = datetime.combine(history_start(today=today, start_date=start_date), datetime.min.time())
    end = datetime.combine(today, datetime.min.time())
    span = (end - base).total_seconds()
    next_update = next_update_date(commitment, start_date, today)
    stored = {s: cells.state(s, next_update) for s in State}  # what each state is stored as (core.store.states)
    for cid in range(first_id, first_id + n):
        first, last = choice(FIRST), choice(LAST)
        email = f"{first.lower()}.{last.lower()}.{cid}@example.com"
        created = base + timedelta(seconds=int(rand() * span))
        r = rand()
        source = next(names[i] for i, c in enumerate(cumulative) if r <= c)
        tool = tools[source][cid % len(tools[source])] if source in tools else None
        activity = created + timedelta(days=int(rand() * (today - created.date()).days)) if rand() < 0.8 else None
        bounced, unsubscribed = rand() < 0.04, rand() < 0.08
        events: list[tuple[Any, ...]] = []
        state, status_source = State.NON_MARKETING, NO_SOURCE
        if (source in ("form", "import") and rand() < 0.85) or rand() < 0.1:
            made_by = "bulk_action" if source in _NEVER_MARKETING else source  # docs/domain.md §5: set by hand later
            made_at, by_tool = stamp(created), tool if made_by == source else None
            state, status_source = State.MARKETING, (made_by, by_tool, made_at)  # states.SOURCE_COLUMNS' order
            events.append((cid, operation_id, None, _MARKETING, made_at, day(created.date()), made_by, by_tool, "demo"))
            if rand() < 0.18:  # someone cleaned this contact up later
                asked = created + timedelta(seconds=int(rand() * (end - created).total_seconds()))
                leaves, asked_at = next_update_date(commitment, start_date, asked.date()), stamp(asked)
                events.append(
                    (cid, operation_id, _MARKETING, _PENDING, asked_at, day(leaves), "bulk_action", None, "demo")
                )
                state, status_source = State.PENDING, ("bulk_action", None, asked_at)
                if leaves <= today:  # its update date has come: it left then
                    state, midnight = State.NON_MARKETING, stamp(datetime.combine(leaves, datetime.min.time()))
                    update = (cid, operation_id, _PENDING, _NON_MARKETING, midnight, day(leaves), "update")
                    events.append((*update, leaves.isoformat(), "system"))
        contact = (cid, email, first, last, choice(STAGES), stamp(created), activity and stamp(activity))
        yield ((*contact, bounced, unsubscribed, email, source, tool, *stored[state], *status_source), events)


def insert_demo(
    conn: Connection,
    *,
    n: int,
    seed: int,
    today: date,
    commitment: Commitment,
    start_date: date,
    operation_id: int,
    chunk: int = 50_000,
    t: Translator = ENGLISH,
) -> DemoDays:
    """Insert generated contacts and events (the bulk writer); returns how many became marketing each day and
    how many left on each update date. ``t``: the deployment's language, which names the demo's tools."""
    writer = BulkWriter(conn)
    left: dict[Any, int] = {}  # by the update date's cell (ISO text on SQLite)
    joined: dict[Any, int] = {}
    old_state = EVENT_COLUMNS.index("old_state")
    new_state, effective_on = EVENT_COLUMNS.index("new_state"), EVENT_COLUMNS.index("effective_on")
    rows: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    for contact, contact_events in generate(
        n=n,
        seed=seed,
        first_id=writer.reserve_ids(n),
        today=today,
        commitment=commitment,
        start_date=start_date,
        operation_id=operation_id,
        sqlite=writer.sqlite,
        tools=tool_ids(t),
    ):
        rows.append(contact)
        for event in contact_events:
            events.append(event)
            if event[new_state] == _NON_MARKETING:
                left[event[effective_on]] = left.get(event[effective_on], 0) + 1
            elif event[old_state] is None:  # created marketing
                joined[event[effective_on]] = joined.get(event[effective_on], 0) + 1
        if len(rows) >= chunk:
            writer.contacts(rows)
            writer.events(events)
            rows, events = [], []
    writer.contacts(rows)
    writer.events(events)
    return DemoDays(_by_date(joined), _by_date(left))


def _by_date(found: dict[Any, int]) -> dict[date, int]:
    return {day if isinstance(day, date) else date.fromisoformat(day): n for day, n in found.items()}


@dataclass(frozen=True)
class DemoDays:
    joined: dict[date, int]  # contacts created marketing, by the day they were created
    left: dict[date, int]  # contacts that became non-marketing, by update date


@dataclass(frozen=True)
class AccountHistory:
    """What a generated history implies for the account: one update run per update date since the history
    started (with the count after it), and the tier rising at once and lowered only at renewal (§3, §4)."""

    runs: list[tuple[date, int, int]]  # (update date, became non-marketing, marketing after)
    tier_changes: list[tuple[date, int, int, str, int]]  # (effective on, old, new, reason, marketing that day)
    tier: int  # the billed tier today


def account_history(
    days: DemoDays,
    *,
    first: date,
    today: date,
    commitment: Commitment,
    start_date: date,
    pricing: Pricing,
    tier: int,
    marketing: int,
) -> AccountHistory:
    """Walk the generated history day by day from ``first`` with ``marketing`` contacts already there and the
    billed ``tier``: the update (departures) at the start of an update date, then a renewal lowers the tier to fit,
    then the day's new contacts, and any count above the tier raises it at once."""
    updates = set(update_dates_between(commitment, start_date, first - timedelta(days=1), today))
    renewals = set(renewal_dates_between(commitment, start_date, first - timedelta(days=1), today))
    runs, changes = [], []
    day = first
    while day <= today:
        if day in updates:
            marketing -= days.left.get(day, 0)
            runs.append((day, days.left.get(day, 0), marketing))
        if day in renewals and tiers.tier_at_renewal(pricing, marketing) != tier:
            changes.append((day, tier, tiers.tier_at_renewal(pricing, marketing), "renewal", marketing))
            tier = changes[-1][2]
        marketing += days.joined.get(day, 0)
        if tiers.tier_after_change(pricing, tier, marketing) != tier:
            changes.append((day, tier, tiers.tier_after_change(pricing, tier, marketing), "upgrade", marketing))
            tier = changes[-1][2]
        day += timedelta(days=1)
    return AccountHistory(runs, changes, tier)
