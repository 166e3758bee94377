"""Builders for the Usage & limits tests: contacts through the real import, or a dated event history."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select

from core.store import states
from core.store.schema import contacts, list_members, operations, static_lists, status_events
from tests.conftest import Cli
from tests.helpers import csv_text


def person(n: int, *, stage: str = "lead", marketing: bool = True, bounced: bool = False, unsub: bool = False) -> list:
    """One CSV row for ``c{n}@example.com``."""
    status = "Marketing contact" if marketing else "Non-marketing contact"
    return [f"c{n}@example.com", f"First{n}", f"Last{n}", stage, status, "false", "BOUNCED" if bounced else "", unsub]


def import_rows(cli: Cli, folder: Path, rows: list[list[Any]], *, today: date | str, name: str = "in.csv") -> Any:
    path = folder / name
    path.write_text(csv_text(rows))
    return cli("import", str(path), today=today)


def emails(*numbers: int) -> str:
    return ",".join(f"c{n}@example.com" for n in numbers)


def count(engine: Engine, table: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def make_list(engine: Engine, name: str, member_emails: list[str]) -> None:
    """A static list with these members (rows inserted directly: the lists service is another feature)."""
    now = datetime(2026, 11, 1, 9, 0)
    with engine.begin() as conn:
        list_id = conn.execute(
            insert(static_lists).values(name=name, created_at=now, created_by="test").returning(static_lists.c.id)
        ).scalar_one()
        ids = conn.execute(select(contacts.c.id).where(contacts.c.email_lower.in_(member_emails))).scalars().all()
        if ids:
            conn.execute(insert(list_members), [{"list_id": list_id, "contact_id": i, "added_at": now} for i in ids])


def dated_contacts(engine: Engine, *, n: int, made_on: date, left_on: date | None = None) -> None:
    """``n`` contacts made marketing on ``made_on`` (and non-marketing on update date ``left_on``), with events."""
    with engine.begin() as conn:
        op = conn.execute(
            insert(operations)
            .values(kind="test", requested_at=datetime(2026, 1, 1), acted_on=date(2026, 1, 1), actor="test")
            .returning(operations.c.id)
        ).scalar_one()
        first = int(conn.execute(select(func.coalesce(func.max(contacts.c.id), 0))).scalar_one()) + 1
        made = datetime.combine(made_on, time(10, 0))
        ids = range(first, first + n)
        conn.execute(
            insert(contacts),
            [
                {
                    "id": cid,
                    "email": f"h{cid}@example.com",
                    "email_lower": f"h{cid}@example.com",
                    "created_at": made,
                    "source_type": "form",
                }
                for cid in ids
            ],
        )
        status = {"marketing_status": "non_marketing" if left_on else "marketing"}
        status["status_source_type"] = "bulk_action" if left_on else "form"
        states.insert_states(conn, [{"contact_id": cid, **status} for cid in ids])
        event = {"operation_id": op, "requested_at": made, "actor": "test"}
        rows = [
            {
                **event,
                "contact_id": c,
                "old_state": None,
                "new_state": "marketing",
                "effective_on": made_on,
                "source_type": "form",
            }
            for c in ids
        ]
        if left_on:
            for old, new, source in (("marketing", "pending", "bulk_action"), ("pending", "non_marketing", "update")):
                rows += [
                    {
                        **event,
                        "contact_id": c,
                        "old_state": old,
                        "new_state": new,
                        "effective_on": left_on,
                        "source_type": source,
                    }
                    for c in ids
                ]
        conn.execute(insert(status_events), rows)
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('contacts', 'id'), (SELECT MAX(id) FROM contacts))"
            )
