"""Deterministic demo data: contacts with a year of history (same seed and same database, same data)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from core.rules.calendar import Commitment, next_update_date
from core.store.tables import contacts

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


def generate(
    *, n: int, seed: int, first_id: int, today: date, commitment: Commitment, start_date: date, operation_id: int
) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
    """Yield (contact row, its event rows) for ``n`` contacts created over the year before ``today``."""
    rng = random.Random(seed)
    rand, choice = rng.random, rng.choice
    source_names = [s for s, _ in SOURCES]
    cumulative = []
    total = 0.0
    for _, weight in SOURCES:
        total += weight
        cumulative.append(total)
    base = datetime.combine(today, datetime.min.time()) - timedelta(days=365)
    next_update = next_update_date(commitment, start_date, today)
    for k in range(n):
        cid = first_id + k
        first, last = choice(FIRST), choice(LAST)
        email = f"{first.lower()}.{last.lower()}.{cid}@example.com"
        created = base + timedelta(seconds=int(rand() * 365 * 86_400))
        r = rand()
        source = next(source_names[i] for i, c in enumerate(cumulative) if r <= c)
        activity = created + timedelta(days=int(rand() * (today - created.date()).days)) if rand() < 0.8 else None
        bounced, unsubscribed = rand() < 0.04, rand() < 0.08
        events: list[tuple[Any, ...]] = []
        marketing = (source in ("form", "import") and rand() < 0.85) or rand() < 0.1
        status, pending, effective, status_source, changed_at = "non_marketing", False, None, None, None
        if marketing:
            status, status_source, changed_at = "marketing", source, created
            events.append((cid, operation_id, None, "marketing", created, created.date(), source, None, "demo"))
            if rand() < 0.18:  # someone cleaned this contact up later
                asked = created + timedelta(
                    seconds=int(rand() * (base + timedelta(days=365) - created).total_seconds())
                )
                effective = next_update_date(commitment, start_date, asked.date())
                events.append(
                    (cid, operation_id, "marketing", "pending", asked, effective, "bulk_action", None, "demo")
                )
                status_source, changed_at = "bulk_action", asked
                if effective <= today:
                    status = "non_marketing"
                    events.append(
                        (
                            cid,
                            operation_id,
                            "pending",
                            "non_marketing",
                            datetime.combine(effective, datetime.min.time()),
                            effective,
                            "update",
                            effective.isoformat(),
                            "system",
                        )
                    )
                    effective = None
                else:
                    pending, effective = True, next_update
        yield (
            (
                cid,
                email,
                email,
                first,
                last,
                choice(STAGES),
                created,
                activity,
                bounced,
                unsubscribed,
                source,
                None,
                status,
                pending,
                status_source,
                None,
                changed_at,
                effective,
            ),
            events,
        )


def next_contact_id(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(contacts.c.id), 0))).scalar_one()) + 1


def _placeholders(conn: Connection, n: int) -> str:
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    return ", ".join([mark] * n)


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
    """Insert generated contacts and events with batched executemany; returns contacts leaving per update date."""
    contact_sql = f"INSERT INTO contacts ({', '.join(CONTACT_COLUMNS)}) VALUES ({_placeholders(conn, 18)})"
    event_sql = f"INSERT INTO status_events ({', '.join(EVENT_COLUMNS)}) VALUES ({_placeholders(conn, 9)})"
    left: dict[date, int] = {}
    rows: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    for contact, contact_events in generate(
        n=n,
        seed=seed,
        first_id=next_contact_id(conn),
        today=today,
        commitment=commitment,
        start_date=start_date,
        operation_id=operation_id,
    ):
        rows.append(contact)
        for event in contact_events:
            events.append(event)
            if event[3] == "non_marketing":
                left[event[5]] = left.get(event[5], 0) + 1
        if len(rows) >= chunk:
            conn.exec_driver_sql(contact_sql, rows)
            conn.exec_driver_sql(event_sql, events)
            rows, events = [], []
    if rows:
        conn.exec_driver_sql(contact_sql, rows)
    if events:
        conn.exec_driver_sql(event_sql, events)
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "SELECT setval(pg_get_serial_sequence('contacts', 'id'), (SELECT COALESCE(MAX(id), 1) FROM contacts))"
        )
    return left
