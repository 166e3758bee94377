"""Test builders that write straight into the database (no service involved) and read it back.

Contacts made here have no events: they stand for contacts that existed before the test's action.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, Table, insert, inspect, select, text

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
    rows, status = [], []
    stored = states.columns_for(State(state), effective_on=effective_on or NEXT_UPDATE)
    for i in range(n):
        email = fields.pop("email", None) or f"{prefix}{i}@example.com"
        row = {
            "email": email,
            "email_lower": email.lower(),
            "created_at": CREATED,
            "source_type": "import",
            "hard_bounced": False,
            "unsubscribed_all": False,
            **stored,
            **fields,
        }
        status.append({k: row.pop(k) for k in states.STATUS_COLUMNS if k in row})
        rows.append(row)
    with engine.begin() as conn:
        if not inspect(conn).has_table("contact_status"):  # a database before 0008: the state is in contacts
            old = Table("contacts", MetaData(), autoload_with=conn)
            whole = [r | s for r, s in zip(rows, status, strict=True)]
            return list(conn.execute(insert(old).returning(old.c.id, sort_by_parameter_order=True), whole).scalars())
        result = conn.execute(insert(contacts).returning(contacts.c.id, sort_by_parameter_order=True), rows)
        ids = list(result.scalars())
        states.insert_states(conn, [{"contact_id": i, **s} for i, s in zip(ids, status, strict=True)])
        return ids


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
        row = conn.execute(states.whole_rows(contacts.c.email_lower == email.lower())).mappings().one()
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


def contact_rows(engine: Engine) -> list[tuple[tuple[str, str], ...]]:
    """Every contact with its state as sorted (column, text) pairs, wherever the state is stored (its own table
    from migration 0008, ``contacts`` before): equal before and after a migration means no contact changed."""
    with engine.connect() as conn:
        query = "SELECT * FROM contacts"
        if inspect(conn).has_table("contact_status"):
            query += " JOIN contact_status ON contact_status.contact_id = contacts.id"
        rows = conn.execute(text(query)).mappings()
        skip = {"contact_id"}  # the status row's key is the contact's id
        # a column a migration adds empty (hubspot_id, 0009) compares equal to its absence before
        empty = lambda k, v: k == "hubspot_id" and v is None  # noqa: E731
        return sorted(
            tuple(sorted((k, str(v)) for k, v in r.items() if k not in skip and not empty(k, v))) for r in rows
        )


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
    """A trigger that makes the database refuse to INSERT or UPDATE one contact (its profile or its state, which
    lives in its own table since migration 0008): an error in mid-operation."""
    owner = f"(SELECT email_lower FROM contacts WHERE id = NEW.contact_id) = '{email}'"  # a status row's contact
    with engine.begin() as conn:
        for table, matches in (("contacts", f"NEW.email_lower = '{email}'"), ("contact_status", owner)):
            name = f"boom_{table}"
            if conn.dialect.name == "sqlite":
                conn.execute(
                    text(
                        f"CREATE TRIGGER {name} BEFORE {on} ON {table} WHEN {matches} "
                        "BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END"
                    )
                )
                continue
            conn.execute(
                text(
                    f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    f"IF {matches} THEN RAISE EXCEPTION 'refused by test trigger'; END IF; "
                    "RETURN NEW; END $$"
                )
            )
            conn.execute(text(f"CREATE TRIGGER {name} BEFORE {on} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()"))
