"""A Selection (core.rules.selection) as a SQL condition on contacts; unknown ids, emails or lists raise."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    false,
    or_,
    select,
    true,
)
from sqlalchemy import insert as sa_insert

from core.errors import DomainError, UnknownContacts
from core.i18n import N_
from core.rules import email_address
from core.rules.selection import Selection
from core.store.filters import UNENGAGED, UnknownList, filter_clause, in_lists
from core.store.record_ids import resolve_record_ids
from core.store.schema import contacts, static_lists

_tmp = MetaData()
selected_ids = Table("tmp_selected_ids", _tmp, Column("id", Integer, primary_key=True), prefixes=["TEMPORARY"])
selected_emails = Table(
    "tmp_selected_emails", _tmp, Column("email_lower", String(254), primary_key=True), prefixes=["TEMPORARY"]
)
INLINE_LIMIT = 500  # above this many ids or emails, go through a temporary table
MAX_ID = 2**31 - 1  # contacts.id is a 32-bit integer on PostgreSQL


def _temp_table(conn: Connection, table: Table, rows: list[dict[str, object]]) -> None:
    table.create(conn, checkfirst=True)
    conn.execute(table.delete())
    for start in range(0, len(rows), 50_000):
        conn.execute(sa_insert(table), rows[start : start + 50_000])


def _ids_clause(conn: Connection, ids: tuple[int, ...]) -> ColumnElement[bool]:
    unique = sorted(set(ids))
    if impossible := [str(i) for i in unique if not 0 < i <= MAX_ID]:  # the database would refuse to compare them
        raise UnknownContacts(N_("id"), impossible)
    if len(unique) <= INLINE_LIMIT:
        found = set(conn.execute(select(contacts.c.id).where(contacts.c.id.in_(unique))).scalars())
        clause = contacts.c.id.in_(unique)
    else:
        _temp_table(conn, selected_ids, [{"id": i} for i in unique])
        found = set(
            conn.execute(select(contacts.c.id).join(selected_ids, selected_ids.c.id == contacts.c.id)).scalars()
        )
        clause = contacts.c.id.in_(select(selected_ids.c.id))
    missing = [str(i) for i in unique if i not in found]
    if missing:
        raise UnknownContacts(N_("id"), missing)
    return clause


def _emails_clause(conn: Connection, emails: tuple[str, ...]) -> ColumnElement[bool]:
    unique = sorted({email_address.match_key(e) for e in emails if e.strip()})
    if not unique:
        raise DomainError(N_("no email given"))
    if impossible := [e for e in unique if "\x00" in e]:  # PostgreSQL refuses NUL in text
        raise UnknownContacts(N_("email"), impossible)
    if len(unique) <= INLINE_LIMIT:
        query = select(contacts.c.email_lower).where(contacts.c.email_lower.in_(unique))
        clause = contacts.c.email_lower.in_(unique)
    else:
        _temp_table(conn, selected_emails, [{"email_lower": e} for e in unique])
        query = select(contacts.c.email_lower).join(
            selected_emails, selected_emails.c.email_lower == contacts.c.email_lower
        )
        clause = contacts.c.email_lower.in_(select(selected_emails.c.email_lower))
    found = set(conn.execute(query).scalars())
    missing = [e for e in unique if e not in found]
    if missing:
        raise UnknownContacts(N_("email"), missing)
    return clause


def _list_clause(conn: Connection, name: str) -> ColumnElement[bool]:
    list_id = conn.execute(select(static_lists.c.id).where(static_lists.c.name == name)).scalar()
    if list_id is None:
        raise UnknownList([name])
    return in_lists([list_id])


def where(conn: Connection, selection: Selection, *, as_of: date | None = None) -> ColumnElement[bool]:
    """The selection as a SQL condition on ``contacts``; unknown ids, emails or lists raise.

    ``as_of``: status conditions describe that later day (see ``core.store.filters.condition_clause``)."""
    if selection.any_of is not None:
        parts = [where(conn, s, as_of=as_of) for s in selection.any_of]
        base = or_(*parts) if parts else false()
    elif selection.ids is not None:
        if not selection.ids:
            raise DomainError(N_("no id given"))
        base = _ids_clause(conn, selection.ids)
    elif selection.record_ids is not None:
        if not selection.record_ids:
            raise DomainError(N_("no id given"))
        base = _ids_clause(conn, resolve_record_ids(conn, selection.record_ids))
    elif selection.emails is not None:
        base = _emails_clause(conn, selection.emails)
    elif selection.list_name is not None:
        base = _list_clause(conn, selection.list_name)
    elif selection.unengaged:
        base = UNENGAGED
    elif selection.conditions is not None:
        base = filter_clause(conn, selection.conditions, as_of)
    else:
        base = true()
    if selection.extra:
        return and_(base, filter_clause(conn, selection.extra, as_of))
    return base
