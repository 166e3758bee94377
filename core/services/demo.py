"""Deterministic demo data: contacts with a year of history (same seed and same database, same data)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from core.rules.calendar import Commitment, next_update_date
from core.rules.sources import ALWAYS_NON_MARKETING
from core.rules.status import State
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
# random generator, so the rest of the demo data stays what its seed made before).
TOOL_IDS = {
    "form": ("contact-us", "newsletter-signup", "webinar-registration"),
    "chatflow": ("website-chat",),
    "integration": ("crm-sync",),
}
_NEVER_MARKETING = {source.value for source in ALWAYS_NON_MARKETING}
_MARKETING, _PENDING, _NON_MARKETING = State.MARKETING.value, State.PENDING.value, State.NON_MARKETING.value


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
) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
    """Yield (contact row, its event rows) for ``n`` contacts created over the year before ``today``, in
    ``bulk_contacts.CONTACT_COLUMNS`` / ``EVENT_COLUMNS`` order (values as the SQLite driver takes them if
    ``sqlite``)."""
    cells = Cells(sqlite=sqlite)
    stamp, day = cells.stamp, cells.day
    rng = random.Random(seed)
    rand, choice = rng.random, rng.choice
    names = [s for s, _ in SOURCES]
    cumulative = [sum(w for _, w in SOURCES[: i + 1]) for i in range(len(SOURCES))]
    base = datetime.combine(today, datetime.min.time()) - timedelta(days=365)
    end = base + timedelta(days=365)
    next_update = next_update_date(commitment, start_date, today)
    stored = {s: cells.state(s, next_update) for s in State}  # what each state is stored as (core.store.states)
    for cid in range(first_id, first_id + n):
        first, last = choice(FIRST), choice(LAST)
        email = f"{first.lower()}.{last.lower()}.{cid}@example.com"
        created = base + timedelta(seconds=int(rand() * 365 * 86_400))
        r = rand()
        source = next(names[i] for i, c in enumerate(cumulative) if r <= c)
        tool = TOOL_IDS[source][cid % len(TOOL_IDS[source])] if source in TOOL_IDS else None
        activity = created + timedelta(days=int(rand() * (today - created.date()).days)) if rand() < 0.8 else None
        bounced, unsubscribed = rand() < 0.04, rand() < 0.08
        events: list[tuple[Any, ...]] = []
        state, status_source = State.NON_MARKETING, NO_SOURCE
        if (source in ("form", "import") and rand() < 0.85) or rand() < 0.1:
            made_by = "bulk_action" if source in _NEVER_MARKETING else source  # DOMAIN.md §5: set by hand later
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
) -> dict[date, int]:
    """Insert generated contacts and events (the bulk writer); returns contacts leaving per update date."""
    writer = BulkWriter(conn)
    left: dict[Any, int] = {}  # by the update date's cell (ISO text on SQLite)
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
    ):
        rows.append(contact)
        for event in contact_events:
            events.append(event)
            if event[new_state] == _NON_MARKETING:
                left[event[effective_on]] = left.get(event[effective_on], 0) + 1
        if len(rows) >= chunk:
            writer.contacts(rows)
            writer.events(events)
            rows, events = [], []
    writer.contacts(rows)
    writer.events(events)
    return {day if isinstance(day, date) else date.fromisoformat(day): n for day, n in left.items()}
