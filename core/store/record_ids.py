"""Contacts by Record ID (docs/domain.md §11): HubSpot's through the unique index on ``contacts.hubspot_id``,
Marketable's own (``mk-42``) by ``contacts.id``. The rule for what a Record ID is lives in
``core.rules.record_id``; this is its SQL, for imports, HubSpot syncs, ``--ids`` and the export.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Column,
    ColumnElement,
    Connection,
    String,
    any_,
    bindparam,
    case,
    cast,
    literal,
    select,
    text,
    update,
)

from core.rules.record_id import OWN_PREFIX, Known, RecordId
from core.store.schema import contacts


def _among(conn: Connection, column: Column[int], values: list[int]) -> ColumnElement[bool]:
    """``column IN values`` with the values as one parameter (a JSON array on SQLite, an array on PostgreSQL):
    any number of them, and no temporary table, so it works in a read-only transaction too."""
    if conn.dialect.name == "sqlite":
        named = text(f"contacts.{column.name} IN (SELECT value FROM json_each(:{column.name}_values))")
        return named.bindparams(**{f"{column.name}_values": json.dumps(values)})  # type: ignore[return-value]
    return column == any_(bindparam(f"{column.name}_values", values, ARRAY(BigInteger)))


def contacts_by_record_id(conn: Connection, record_ids: Iterable[RecordId]) -> dict[RecordId, Known[int]]:
    """The contacts these Record IDs name (those that name none are left out): each one's id and HubSpot
    Record ID. Our own id names its contact whether or not HubSpot has given it an id since."""
    wanted = set(record_ids)
    hubspot = sorted(r.hubspot for r in wanted if r.hubspot is not None)
    own = sorted(r.own for r in wanted if r.own is not None)
    found: dict[RecordId, Known[int]] = {}
    cols = (contacts.c.id, contacts.c.hubspot_id)
    if hubspot:
        for contact_id, hubspot_id in conn.execute(select(*cols).where(_among(conn, contacts.c.hubspot_id, hubspot))):
            found[RecordId(hubspot=hubspot_id)] = Known(contact_id, hubspot_id)
    if own:
        for contact_id, hubspot_id in conn.execute(select(*cols).where(_among(conn, contacts.c.id, own))):
            found[RecordId(own=contact_id)] = Known(contact_id, hubspot_id)
    return found


def contact_by_record_id(conn: Connection, record_id: RecordId) -> Known[int] | None:
    """The contact one Record ID names, or None."""
    return contacts_by_record_id(conn, [record_id]).get(record_id)


def hubspot_ids_of(conn: Connection, contact_ids: Iterable[int]) -> dict[int, int | None]:
    """Each existing contact's HubSpot Record ID (None: it has none; its Record ID is its own id)."""
    ids = sorted(set(contact_ids))
    if not ids:
        return {}
    rows = conn.execute(select(contacts.c.id, contacts.c.hubspot_id).where(_among(conn, contacts.c.id, ids)))
    return {contact_id: hubspot_id for contact_id, hubspot_id in rows}


def set_hubspot_ids(conn: Connection, pairs: Mapping[int, int]) -> None:
    """Give contacts (by id) the HubSpot Record ID they came with. Only for contacts that have none
    (``core.rules.record_id.decide`` says when); the unique index refuses an id another contact has."""
    if pairs:
        statement = update(contacts).where(contacts.c.id == bindparam("_id"), contacts.c.hubspot_id.is_(None))
        conn.execute(
            statement.values(hubspot_id=bindparam("_hubspot")),
            [{"_id": contact_id, "_hubspot": hubspot} for contact_id, hubspot in pairs.items()],
        )


def record_id_text() -> ColumnElement[str]:
    """A contact's Record ID as text, in SQL (``core.rules.record_id.text_of``): HubSpot's, else ``mk-`` and
    its own id."""
    own = literal(OWN_PREFIX, String) + cast(contacts.c.id, String)
    return case((contacts.c.hubspot_id.is_(None), own), else_=cast(contacts.c.hubspot_id, String))
