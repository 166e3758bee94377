"""Contacts in bulk: many new contacts and their status events written at driver speed, many contacts updated
by id or found by email. The one bulk writer of imports and demo data.

New rows are plain tuples in ``CONTACT_COLUMNS`` / ``EVENT_COLUMNS`` order, handed to the driver itself
(executemany on SQLite, COPY on PostgreSQL): SQLAlchemy's per-row parameter processing would double the cost
of a big import. So values must be given as SQLAlchemy would store them: ``Cells`` converts dates and
timestamps (SQLite keeps ISO text) and gives a state's columns from ``core.store.states``, the one module that
knows how a state is stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ARRAY, Connection, String, any_, bindparam, or_, select, text, update
from sqlalchemy.exc import DBAPIError

from core.rules.requester import Requester
from core.rules.status import State
from core.store import states
from core.store.contact_writes import reserve_contact_ids
from core.store.events import EVENT_COLUMNS
from core.store.record_ids import among
from core.store.schema import contacts

FIELD_COLUMNS = (  # what a contact's own row says about it (imports read and write these)
    "email",
    "first_name",
    "last_name",
    "lifecycle_stage",
    "created_at",
    "last_activity_at",
    "hard_bounced",
    "unsubscribed_all",
)
PROFILE_COLUMNS = ("id", *FIELD_COLUMNS, "email_lower", "source_type", "source_id")  # the contacts table's
CONTACT_COLUMNS = (*PROFILE_COLUMNS, *states.STATUS_COLUMNS)  # a new contact: its profile, then its state
_SPLIT, _WHOLE = len(PROFILE_COLUMNS), len(CONTACT_COLUMNS)
_STATUS_ROW = ("contact_id", *states.STATUS_COLUMNS)
NO_SOURCE: tuple[Any, ...] = (None,) * len(states.SOURCE_COLUMNS)  # nothing has made the contact marketing yet


def _keep(value: Any) -> Any:
    return value


def _sqlite_stamp(value: datetime) -> str:
    return value.isoformat(" ", "microseconds")  # SQLAlchemy's SQLite DateTime storage format


def _sqlite_day(value: date) -> str:
    return value.isoformat()


class Cells:
    """Values as the driver is handed them: on SQLite dates and timestamps are ISO text, elsewhere unchanged."""

    def __init__(self, *, sqlite: bool) -> None:
        self.stamp: Callable[[datetime], Any] = _sqlite_stamp if sqlite else _keep
        # A timestamp given as text in SQLite's storage format (``_sqlite_stamp``), as an import's packed rows keep it.
        self.stamp_text: Callable[[str], Any] = _keep if sqlite else datetime.fromisoformat
        self.day: Callable[[date], Any] = _sqlite_day if sqlite else _keep
        self._states: dict[tuple[State, date | None], tuple[Any, ...]] = {}

    def state(self, state: State, effective_on: date | None = None) -> tuple[Any, ...]:
        """The cells of ``states.STATE_COLUMNS`` for a contact in ``state`` (cached: a file has few)."""
        key = (state, effective_on if state == State.PENDING else None)
        if (found := self._states.get(key)) is None:
            values = states.columns_for(state, effective_on=effective_on)
            found = self._states[key] = tuple(self._cell(values[c]) for c in states.STATE_COLUMNS)
        return found

    def source(self, by: Requester, at: datetime) -> tuple[Any, ...]:
        """The cells of ``states.SOURCE_COLUMNS``: what last changed the contact's status, and when."""
        values = states.source_for(by, at)
        return tuple(self._cell(values[c]) for c in states.SOURCE_COLUMNS)

    def _cell(self, value: Any) -> Any:
        if isinstance(value, datetime):
            return self.stamp(value)
        return self.day(value) if isinstance(value, date) else value


class BulkWriter:
    """Inserts new contacts (ids reserved up front, so that events need no read-back) and events, on the
    connection of a write unit of work: it all lands with the rest of the change, or none of it."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        self.cells = Cells(sqlite=self.sqlite)

    def reserve_ids(self, n: int) -> int:
        """The first of ``n`` consecutive ids for new contacts (``reserve_contact_ids``)."""
        return reserve_contact_ids(self.conn, n)

    def contacts(self, rows: Sequence[tuple[Any, ...]], *, columns: Sequence[str] = CONTACT_COLUMNS) -> None:
        """Insert contacts given as tuples in ``columns`` order (``CONTACT_COLUMNS``, then any more of the
        contacts table): their profiles, then their status rows (the table ``core.store.states`` keeps them in)."""
        if tuple(columns[:_WHOLE]) != CONTACT_COLUMNS:
            raise ValueError("a new contact's columns start with CONTACT_COLUMNS")
        more = tuple(columns[_WHOLE:])
        self._insert("contacts", (*PROFILE_COLUMNS, *more), [(*r[:_SPLIT], *r[_WHOLE:]) for r in rows])
        self._insert(states.STATUS_TABLE, _STATUS_ROW, [(r[0], *r[_SPLIT:_WHOLE]) for r in rows])

    def events(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Insert status events given as tuples in ``EVENT_COLUMNS`` order."""
        self._insert("status_events", EVENT_COLUMNS, rows)

    def _insert(self, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        names = ", ".join(columns)
        if self.sqlite:
            marks = ", ".join("?" * len(columns))
            self.conn.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        else:  # COPY: about 5 times faster than executemany at 1M contacts
            self._copy(f"COPY {table} ({names}) FROM STDIN", rows)

    def _copy(self, sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
        """PostgreSQL COPY ... FROM STDIN on the unit of work's own connection (same transaction); a refusal is
        raised as SQLAlchemy raises any statement's (what the command line and pages report)."""
        driver = self.conn.connection.driver_connection
        error: type[Exception] = self.conn.dialect.loaded_dbapi.Error
        try:
            with driver.cursor() as cursor, cursor.copy(sql) as copy:  # type: ignore[union-attr]
                for row in rows:
                    copy.write_row(row)
        except error as exc:
            raise DBAPIError.instance(sql, None, exc, error) from exc


def update_contacts(conn: Connection, rows: list[dict[str, Any]], *, chunk: int = 5_000) -> None:
    """Update contacts by id (key ``id``), each with its own values; rows setting the same columns share one
    executemany. Status columns come from ``states.columns_for`` / ``states.source_for`` and are written by
    ``states.update_by_id``."""
    status = [{k: v for k, v in r.items() if k == "id" or k in states.STATUS_COLUMNS} for r in rows]
    states.update_by_id(conn, [r for r in status if len(r) > 1], chunk=chunk)
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        if names := tuple(k for k in row if k != "id" and k not in states.STATUS_COLUMNS):
            groups.setdefault(names, []).append(row)
    for names, group in groups.items():
        statement = update(contacts).where(contacts.c.id == bindparam("_id"))
        statement = statement.values({n: bindparam(n) for n in names})
        for start in range(0, len(group), chunk):
            params = [{**{n: r[n] for n in names}, "_id": r["id"]} for r in group[start : start + chunk]]
            conn.execute(statement, params)


def contacts_by_email(conn: Connection, emails: list[str]) -> dict[str, tuple[int, State, dict[str, Any]]]:
    """The contacts with these emails (in lower case) that exist: id, stored state and ``FIELD_COLUMNS``,
    found through the unique email index.

    The emails travel as one parameter (a JSON array on SQLite, an array on PostgreSQL): no temporary table to
    fill, and the read works in a read-only unit of work (the import preview).
    """
    state = states.stored_state().label("stored_state")
    cols = [contacts.c.id, contacts.c.email_lower, state, *(contacts.c[c] for c in FIELD_COLUMNS)]
    found = select(*cols).select_from(states.ROWS)
    if conn.dialect.name == "sqlite":
        named = text("contacts.email_lower IN (SELECT value FROM json_each(:emails))")
        query = found.where(named.bindparams(emails=json.dumps(emails, ensure_ascii=False)))
    else:
        query = found.where(contacts.c.email_lower == any_(bindparam("emails", emails, ARRAY(String))))
    return {
        row["email_lower"]: (row["id"], State(row["stored_state"]), {c: row[c] for c in FIELD_COLUMNS})
        for row in conn.execute(query).mappings()
    }


def contacts_named(
    conn: Connection, *, emails: list[str], hubspot_ids: list[int], ids: list[int]
) -> list[dict[str, Any]]:
    """The contacts that incoming rows name, by email (in lower case), HubSpot Record ID or own id (docs/domain.md
    §11): each one's ``id``, ``email_lower``, ``hubspot_id``, ``status_changed_at``, ``stored_state`` (a
    ``State``) and ``FIELD_COLUMNS``, in one read through the unique indexes."""
    named = [
        among(conn, column, values)
        for column, values in (
            (contacts.c.email_lower, emails),
            (contacts.c.hubspot_id, hubspot_ids),
            (contacts.c.id, ids),
        )
        if values
    ]
    if not named:
        return []
    state = states.stored_state().label("stored_state")
    changed = states.column("status_changed_at")
    cols = [contacts.c.id, contacts.c.email_lower, contacts.c.hubspot_id, changed, state]
    query = select(*cols, *(contacts.c[c] for c in FIELD_COLUMNS)).select_from(states.ROWS).where(or_(*named))
    return [dict(row) | {"stored_state": State(row["stored_state"])} for row in conn.execute(query).mappings()]
