"""Test builders that write straight into the database (no service involved) and read it back.

Contacts made here have no events: they stand for contacts that existed before the test's action.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, inspect, select, text

from core.rules.status import State
from core.store import states
from core.store.schema import contacts, list_members, static_lists, status_events

CREATED = datetime(2026, 3, 1, 9, 0, 0)
NEXT_UPDATE = date(2026, 12, 1)  # the fixture account's next update date on TODAY


def add_contacts(
    engine: Engine,
    n: int = 1,
    *,
    state: str = "marketing",
    prefix: str = "c",
    effective_on: date | None = None,
    **fields: Any,
) -> list[int]:
    """Insert ``n`` contacts in ``state`` (marketing / pending / non_marketing) named prefix<i>@example.com.

    ``email=`` names a single contact instead; other keyword arguments are column values.
    """
    rows = []
    for i in range(n):
        email = fields.pop("email", None) or f"{prefix}{i}@example.com"
        rows.append(
            {
                "email": email,
                "email_lower": email.lower(),
                "created_at": CREATED,
                "source_type": "import",
                **states.columns_for(State(state), effective_on=effective_on or NEXT_UPDATE),
                "hard_bounced": False,
                "unsubscribed_all": False,
                **fields,
            }
        )
    with engine.begin() as conn:
        result = conn.execute(insert(contacts).returning(contacts.c.id, sort_by_parameter_order=True), rows)
        return list(result.scalars())


def add_list(engine: Engine, name: str, contact_ids: list[int]) -> None:
    with engine.begin() as conn:
        list_id = conn.execute(
            insert(static_lists).values(name=name, created_at=CREATED, created_by="test").returning(static_lists.c.id)
        ).scalar_one()
        if contact_ids:
            conn.execute(
                insert(list_members), [{"list_id": list_id, "contact_id": i, "added_at": CREATED} for i in contact_ids]
            )


def contact(engine: Engine, email: str) -> dict[str, Any]:
    with engine.connect() as conn:
        row = conn.execute(select(contacts).where(contacts.c.email_lower == email.lower())).mappings().one()
        return dict(row)


def state_of(engine: Engine, email: str) -> str:
    c = contact(engine, email)
    return State.of(c["marketing_status"], c["pending_non_marketing"]).value


def events_of(engine: Engine, contact_id: int) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        query = select(status_events).where(status_events.c.contact_id == contact_id).order_by(status_events.c.id)
        return [dict(r) for r in conn.execute(query).mappings()]


def count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())


def snapshot(engine: Engine) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table, as sorted text: equal snapshots mean nothing was written."""
    with engine.connect() as conn:
        names = sorted(inspect(conn).get_table_names())
        return {
            name: sorted(tuple(map(str, row)) for row in conn.execute(text(f'SELECT * FROM "{name}"')))
            for name in names
        }


def write_csv(path: Path, content: str | bytes) -> str:
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return str(path)


def fail_on_email(engine: Engine, email: str, *, on: str = "INSERT") -> None:
    """A trigger that makes the database refuse to INSERT or UPDATE one contact: an error in mid-operation."""
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(
                text(
                    f"CREATE TRIGGER boom BEFORE {on} ON contacts WHEN NEW.email_lower = '{email}' "
                    "BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END"
                )
            )
            return
        conn.execute(
            text(
                "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF NEW.email_lower = '{email}' THEN RAISE EXCEPTION 'refused by test trigger'; END IF; "
                "RETURN NEW; END $$"
            )
        )
        conn.execute(text(f"CREATE TRIGGER boom BEFORE {on} ON contacts FOR EACH ROW EXECUTE FUNCTION boom()"))
