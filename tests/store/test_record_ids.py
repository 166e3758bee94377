"""Contacts by Record ID (docs/domain.md §11), on SQLite and PostgreSQL: HubSpot's through ``hubspot_id``, ours by
id, one contact per HubSpot id, and the Record ID as text in SQL equal to the pure rule."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from core.errors import DomainError, UnknownContacts
from core.rules.record_id import Known, RecordId, text_of
from core.store.record_ids import (
    contact_by_record_id,
    contacts_by_record_id,
    hubspot_ids_of,
    record_id_text,
    resolve_record_ids,
    set_hubspot_ids,
)
from core.store.schema import contacts
from tests.factories import add_contacts

BIG = 123_456_789_012  # HubSpot ids go beyond 32 bits


def test_contacts_are_found_by_hubspots_record_id_and_by_our_own(engine: Engine) -> None:
    plain, from_hubspot = add_contacts(engine, 1, prefix="here")[0], add_contacts(engine, 1, hubspot_id=BIG)[0]
    with engine.connect() as conn:
        found = contacts_by_record_id(
            conn,
            [RecordId(hubspot=BIG), RecordId(own=plain), RecordId(own=from_hubspot), RecordId(hubspot=plain)],
        )
    assert found == {
        RecordId(hubspot=BIG): Known(from_hubspot, BIG),
        RecordId(own=plain): Known(plain, None),
        RecordId(own=from_hubspot): Known(from_hubspot, BIG),  # our own id keeps naming it
    }, "a HubSpot id with the number of one of our ids names nobody"


def test_a_contact_takes_a_hubspot_id_once_and_no_two_contacts_share_one(engine: Engine) -> None:
    first, second = add_contacts(engine, 2)
    with engine.begin() as conn:
        set_hubspot_ids(conn, {first: 51})
        set_hubspot_ids(conn, {first: 52})  # it has one already: kept
        assert contact_by_record_id(conn, RecordId(hubspot=51)) == Known(first, 51)
        assert contact_by_record_id(conn, RecordId(hubspot=52)) is None
        assert hubspot_ids_of(conn, [first, second, 999]) == {first: 51, second: None}
    with pytest.raises(IntegrityError), engine.begin() as conn:
        set_hubspot_ids(conn, {second: 51})


def test_many_contacts_are_found_in_one_read(engine: Engine) -> None:
    ids = add_contacts(engine, 600)
    with engine.begin() as conn:
        set_hubspot_ids(conn, {contact_id: BIG + contact_id for contact_id in ids[:300]})
    with engine.connect() as conn:
        found = contacts_by_record_id(
            conn, [RecordId(hubspot=BIG + i) for i in ids[:300]] + [RecordId(own=i) for i in ids[300:]]
        )
    assert len(found) == 600


def test_the_record_id_in_sql_is_the_rules(engine: Engine) -> None:
    plain = add_contacts(engine, 1, prefix="here")[0]
    add_contacts(engine, 1, hubspot_id=BIG)
    with engine.connect() as conn:
        rows = conn.execute(select(contacts.c.id, contacts.c.hubspot_id, record_id_text())).all()
    assert {row[2] for row in rows} == {f"mk-{plain}", str(BIG)}
    assert all(row[2] == text_of(row[0], row[1]) for row in rows)


def test_ids_given_by_a_person_name_contacts_by_record_id_and_plain_digits_fall_back_to_our_id(
    engine: Engine,
) -> None:
    plain = add_contacts(engine, 1, prefix="here")[0]
    hub = add_contacts(engine, 1, prefix="hub", hubspot_id=BIG)[0]
    with engine.connect() as conn:
        assert resolve_record_ids(conn, [RecordId(hubspot=BIG), RecordId(own=plain)]) == (hub, plain)
        assert resolve_record_ids(conn, [RecordId(hubspot=plain)]) == (plain,), "a script's contact_id still works"
        assert resolve_record_ids(conn, [RecordId(hubspot=hub)]) == (hub,), "our id of a contact HubSpot named"
        with pytest.raises(UnknownContacts, match="no contact with Record ID mk-999, 999999"):
            resolve_record_ids(conn, [RecordId(own=999), RecordId(hubspot=999_999)])


def test_plain_digits_naming_a_hubspot_id_and_another_contacts_own_id_are_refused(engine: Engine) -> None:
    ours, other = add_contacts(engine, 2)
    with engine.begin() as conn:
        set_hubspot_ids(conn, {other: ours})  # HubSpot's id of one contact is the number of the other's own id
    with engine.connect() as conn, pytest.raises(DomainError, match=f"write mk-{ours} for ours"):
        resolve_record_ids(conn, [RecordId(hubspot=ours)])
