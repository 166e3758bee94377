"""Writing one contact created by a tool, with its creation event; contact ids for bulk inserts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from core.errors import DomainError
from core.rules import contact_fields, email_address
from core.rules.requester import Requester
from core.rules.status import State
from core.store import states
from core.store.schema import contacts, status_events


def reserve_contact_ids(conn: Connection, n: int) -> int:
    """The first of ``n`` consecutive contact ids that no contact, live or deleted, has ever had.

    For bulk inserts that set ids themselves (imports, demo data), so that events need no read-back. Call it
    inside a write unit of work: writers are serialised there (SQLite: BEGIN IMMEDIATE; PostgreSQL: the
    account row FOR UPDATE), so nobody else takes ids in between. SQLite keeps the highest id ever used in
    ``sqlite_sequence`` (AUTOINCREMENT, migration 0006) and raises it as these rows are inserted; on
    PostgreSQL the block is taken from the table's sequence, which never hands a value out twice.
    """
    highest = int(conn.execute(select(func.coalesce(func.max(contacts.c.id), 0))).scalar_one())
    if conn.dialect.name == "sqlite":
        seq = conn.exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name = 'contacts'").scalar()
        return max(highest, int(seq or 0)) + 1
    sequence = "pg_get_serial_sequence('contacts', 'id')"
    first = max(int(conn.exec_driver_sql(f"SELECT nextval({sequence})").scalar_one()), highest + 1)
    conn.exec_driver_sql(f"SELECT setval({sequence}, %(last)s)", {"last": first + max(n, 1) - 1})
    return first


def by_email(conn: Connection, email: str) -> Any:
    return conn.execute(states.whole_rows(contacts.c.email_lower == email_address.match_key(email))).mappings().first()


def state_of(row: Any) -> State | None:
    return None if row is None else State.of(row["marketing_status"], row["pending_non_marketing"])


def name_fields(first_name: str | None, last_name: str | None, lifecycle_stage: str | None) -> dict[str, Any]:
    """The non-empty fields given, checked against the column sizes."""
    given = {"first_name": first_name, "last_name": last_name, "lifecycle_stage": lifecycle_stage}
    try:
        cleaned = {key: contact_fields.clean(key, value) for key, value in given.items()}
    except contact_fields.FieldError as exc:
        raise DomainError(str(exc)) from None
    return {key: value for key, value in cleaned.items() if value is not None}


def insert_new(
    conn: Connection, *, email: str, fields: dict[str, Any], state: State, by: Requester, at: datetime
) -> int:
    """Insert a contact created by a tool in ``state``, the tool recorded as its creation source (and as what
    made it marketing, when it starts marketing)."""
    values = {
        "email": email,
        "email_lower": email_address.match_key(email),
        "created_at": at,
        "source_type": by.source_type,
        "source_id": by.source_id,
        "hard_bounced": False,
        "unsubscribed_all": False,
        **fields,
    }
    contact_id = int(conn.execute(insert(contacts).values(**values).returning(contacts.c.id)).scalar_one())
    status = states.columns_for(state) | (states.source_for(by, at) if state.is_billed else {})
    states.insert_states(conn, [{"contact_id": contact_id, **status}])
    return contact_id


def record_created(
    conn: Connection, contact_id: int, state: State, *, operation_id: int, at: datetime, day: date, by: Requester
) -> None:
    """The event of a contact's creation (no old state), counting from ``day``."""
    conn.execute(
        insert(status_events).values(
            contact_id=contact_id,
            operation_id=operation_id,
            old_state=None,
            new_state=state.value,
            requested_at=at,
            effective_on=day,
            source_type=by.source_type,
            source_id=by.source_id,
            actor=by.actor,
        )
    )
