"""Deterministic demo data: contacts with a year of history (same seed and same database, same data)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import Connection

from core.rules import email_address
from core.rules.calendar import Commitment, next_update_date
from core.rules.sources import ALWAYS_NON_MARKETING
from core.store.contact_writes import reserve_contact_ids

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
CONTACT_COLUMNS = (
    "id",
    "email",
    "email_lower",
    "first_name",
    "last_name",
    "lifecycle_stage",
    "created_at",
    "last_activity_at",
    "hard_bounced",
    "unsubscribed_all",
    "source_type",
    "source_id",
    "marketing_status",
    "pending_non_marketing",
    "status_source_type",
    "status_source_id",
    "status_changed_at",
    "effective_on",
)
EVENT_COLUMNS = (
    "contact_id",
    "operation_id",
    "old_state",
    "new_state",
    "requested_at",
    "effective_on",
    "source_type",
    "source_id",
    "actor",
)


def _sqlite_stamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite DateTime storage format


def _keep(value: datetime) -> datetime:
    return value


_NEVER_MARKETING = {source.value for source in ALWAYS_NON_MARKETING}


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
    """Yield (contact row, its event rows) for ``n`` contacts created over the year before ``today``."""
    stamp: Any = _sqlite_stamp if sqlite else _keep
    rng = random.Random(seed)
    rand, choice = rng.random, rng.choice
    names = [s for s, _ in SOURCES]
    cumulative = [sum(w for _, w in SOURCES[: i + 1]) for i in range(len(SOURCES))]
    base = datetime.combine(today, datetime.min.time()) - timedelta(days=365)
    end = base + timedelta(days=365)
    next_update = next_update_date(commitment, start_date, today)
    for cid in range(first_id, first_id + n):
        first, last = choice(FIRST), choice(LAST)
        email = f"{first.lower()}.{last.lower()}.{cid}@example.com"
        created = base + timedelta(seconds=int(rand() * 365 * 86_400))
        r = rand()
        source = next(names[i] for i, c in enumerate(cumulative) if r <= c)
        activity = created + timedelta(days=int(rand() * (today - created.date()).days)) if rand() < 0.8 else None
        bounced, unsubscribed = rand() < 0.04, rand() < 0.08
        events: list[tuple[Any, ...]] = []
        status, pending, effective, status_source, changed_at = "non_marketing", False, None, None, None
        if (source in ("form", "import") and rand() < 0.85) or rand() < 0.1:
            made_by = "bulk_action" if source in _NEVER_MARKETING else source  # DOMAIN.md §5: set by hand later
            status, status_source, changed_at = "marketing", made_by, created
            events.append((cid, operation_id, None, "marketing", stamp(created), created.date(), made_by, None, "demo"))
            if rand() < 0.18:  # someone cleaned this contact up later
                asked = created + timedelta(seconds=int(rand() * (end - created).total_seconds()))
                effective = next_update_date(commitment, start_date, asked.date())
                row = (cid, operation_id, "marketing", "pending", stamp(asked), effective, "bulk_action", None, "demo")
                events.append(row)
                status_source, changed_at = "bulk_action", asked
                if effective <= today:
                    status = "non_marketing"
                    midnight = stamp(datetime.combine(effective, datetime.min.time()))
                    update = (cid, operation_id, "pending", "non_marketing", midnight, effective, "update")
                    events.append((*update, effective.isoformat(), "system"))
                    effective = None
                else:
                    pending, effective = True, next_update
        key = email_address.match_key(email)
        contact = (cid, email, key, first, last, choice(STAGES), stamp(created), activity and stamp(activity))
        status_part = (status, pending, status_source, None, changed_at and stamp(changed_at), effective)
        yield ((*contact, bounced, unsubscribed, source, None, *status_part), events)


def _placeholders(conn: Connection, n: int) -> str:
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    return ", ".join([mark] * n)


def _copy(conn: Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """PostgreSQL COPY ... FROM STDIN on the unit of work's own connection (same transaction)."""
    with conn.connection.driver_connection.cursor() as cursor, cursor.copy(sql) as copy:  # type: ignore[union-attr]
        for row in rows:
            copy.write_row(row)


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
    """Insert generated contacts and events (COPY on PostgreSQL); returns contacts leaving per update date."""
    contact_sql = f"INSERT INTO contacts ({', '.join(CONTACT_COLUMNS)}) VALUES ({_placeholders(conn, 18)})"
    event_sql = f"INSERT INTO status_events ({', '.join(EVENT_COLUMNS)}) VALUES ({_placeholders(conn, 9)})"
    write: Any = conn.exec_driver_sql
    if conn.dialect.name == "postgresql":  # COPY: about 5 times faster than executemany at 1M contacts
        contact_sql = f"COPY contacts ({', '.join(CONTACT_COLUMNS)}) FROM STDIN"
        event_sql = f"COPY status_events ({', '.join(EVENT_COLUMNS)}) FROM STDIN"
        write = partial(_copy, conn)
    left: dict[date, int] = {}
    rows: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    for contact, contact_events in generate(
        n=n,
        seed=seed,
        first_id=reserve_contact_ids(conn, n),
        today=today,
        commitment=commitment,
        start_date=start_date,
        operation_id=operation_id,
        sqlite=conn.dialect.name == "sqlite",
    ):
        rows.append(contact)
        for event in contact_events:
            events.append(event)
            if event[3] == "non_marketing":
                left[event[5]] = left.get(event[5], 0) + 1
        if len(rows) >= chunk:
            write(contact_sql, rows)
            write(event_sql, events)
            rows, events = [], []
    if rows:
        write(contact_sql, rows)
    if events:
        write(event_sql, events)
    return left
