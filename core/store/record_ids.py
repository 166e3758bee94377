"""Contacts by Record ID (docs/domain.md §11): HubSpot's through the unique index on ``contacts.hubspot_id``,
Marketable's own (``mk-42``) by ``contacts.id``. The rule for what a Record ID is lives in
``core.rules.record_id``; this is its SQL, for imports, HubSpot syncs, ``--ids`` and the export.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

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

from core.errors import DomainError, UnknownContacts
from core.i18n import N_
from core.rules.record_id import OWN_MAX, OWN_PREFIX, Known, RecordId
from core.store.schema import contacts


def among(conn: Connection, column: Column[Any], values: list[int] | list[str]) -> ColumnElement[bool]:
    """``contacts.column IN values`` with the values as one parameter (a JSON array on SQLite, an array on
    PostgreSQL): any number of them, and no temporary table, so it works in a read-only transaction too."""
    name = f"{column.name}_values"
    if conn.dialect.name == "sqlite":
        named = text(f"contacts.{column.name} IN (SELECT value FROM json_each(:{name}))")
        return named.bindparams(**{name: json.dumps(values, ensure_ascii=False)})  # type: ignore[return-value]
    kind = String if values and isinstance(values[0], str) else BigInteger
    return column == any_(bindparam(name, values, ARRAY(kind)))


def contacts_by_record_id(conn: Connection, record_ids: Iterable[RecordId]) -> dict[RecordId, Known[int]]:
    """The contacts these Record IDs name (those that name none are left out): each one's id and HubSpot
    Record ID. Our own id names its contact whether or not HubSpot has given it an id since."""
    wanted = set(record_ids)
    hubspot = sorted(r.hubspot for r in wanted if r.hubspot is not None)
    own = sorted(r.own for r in wanted if r.own is not None)
    found: dict[RecordId, Known[int]] = {}
    cols = (contacts.c.id, contacts.c.hubspot_id)
    if hubspot:
        for contact_id, hubspot_id in conn.execute(select(*cols).where(among(conn, contacts.c.hubspot_id, hubspot))):
            found[RecordId(hubspot=hubspot_id)] = Known(contact_id, hubspot_id)
    if own:
        for contact_id, hubspot_id in conn.execute(select(*cols).where(among(conn, contacts.c.id, own))):
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
    rows = conn.execute(select(contacts.c.id, contacts.c.hubspot_id).where(among(conn, contacts.c.id, ids)))
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


def resolve_record_ids(conn: Connection, record_ids: Iterable[RecordId]) -> tuple[int, ...]:
    """The contact ids that Record IDs given by a person name (``--ids``); unknown ones raise, naming them.

    Plain digits are HubSpot's Record ID; a command written before Record IDs passed Marketable's own id as
    plain digits (the ``contact_id`` its JSON prints), so when no contact has that HubSpot id, the contact with
    that own id is meant. If both exist and are two contacts, the request is ambiguous and refused: ``mk-<id>``
    names ours (docs/domain.md §11)."""
    wanted = list(dict.fromkeys(record_ids))
    legacy = [RecordId(own=r.hubspot) for r in wanted if r.hubspot is not None and r.hubspot <= OWN_MAX]
    found = contacts_by_record_id(conn, [*wanted, *legacy])
    ids: list[int] = []
    missing: list[str] = []
    for rid in wanted:
        hit = found.get(rid)
        old = found.get(RecordId(own=rid.hubspot)) if rid.hubspot is not None and rid.hubspot <= OWN_MAX else None
        if hit is not None and old is not None and hit.key != old.key:
            raise DomainError(
                N_(
                    "Record ID {rid} is HubSpot's id of one contact and Marketable's id of another: "
                    "write {ours} for ours"
                ),
                rid=str(rid),
                ours=f"{OWN_PREFIX}{rid.hubspot}",
            )
        if (chosen := hit or old) is None:
            missing.append(str(rid))
        else:
            ids.append(chosen.key)
    if missing:
        raise UnknownContacts(N_("Record ID"), missing)
    return tuple(ids)
