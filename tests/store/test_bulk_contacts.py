"""The bulk writer of imports and demo data, on SQLite and PostgreSQL: rows written at driver speed read back
as SQLAlchemy wrote them, states stored as ``core.store.states`` says, refusals raised as SQLAlchemy's."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError

from core.rules.requester import Requester
from core.rules.status import State
from core.store import states
from core.store.bulk_contacts import NO_SOURCE, BulkWriter, contacts_by_email, update_contacts
from core.store.events import start_operation
from core.store.schema import contacts, status_events
from tests.factories import fail_on_email

AT = datetime(2026, 11, 26, 9, 30, 15, 250_000)
LEAVES = date(2026, 12, 1)
BY = Requester("tester", "import", "42")


def _contact(writer: BulkWriter, contact_id: int, state: State, email: str) -> tuple[object, ...]:
    cells = writer.cells
    source = cells.source(BY, AT) if state.is_billed else NO_SOURCE
    fields = (email, "Ada", None, "lead", cells.stamp(AT), None, False, True, email.lower(), "import", "42")
    return (contact_id, *fields, *cells.state(state, LEAVES), *source)


@pytest.mark.parametrize("state", list(State), ids=str)
def test_a_contact_written_in_bulk_reads_back_in_its_state_with_its_event(engine: Engine, state: State) -> None:
    with engine.begin() as conn:
        op = start_operation(conn, kind="import", at=AT, on=AT.date(), by=BY)
        writer = BulkWriter(conn)
        first = writer.reserve_ids(1)
        writer.contacts([_contact(writer, first, state, "Ada@Example.com")])
        event = (first, op, None, state.value, writer.cells.stamp(AT), writer.cells.day(LEAVES), "import", "42", "t")
        writer.events([event])
    with engine.connect() as conn:
        found = contacts_by_email(conn, ["ada@example.com", "nobody@example.com"])
        row = conn.execute(states.whole_rows(contacts.c.id == first)).mappings().one()
        logged = conn.execute(select(status_events).where(status_events.c.contact_id == first)).mappings().one()
    contact_id, stored, fields = found["ada@example.com"]
    assert (contact_id, stored, list(found)) == (first, state, ["ada@example.com"])
    assert fields["email"] == "Ada@Example.com" and fields["created_at"] == AT and fields["unsubscribed_all"] is True
    assert {c: row[c] for c in states.STATE_COLUMNS} == states.columns_for(state, effective_on=LEAVES)
    expected_source = states.source_for(BY, AT) if state.is_billed else dict.fromkeys(states.SOURCE_COLUMNS)
    assert {c: row[c] for c in states.SOURCE_COLUMNS} == expected_source
    assert (logged["requested_at"], logged["effective_on"], logged["new_state"]) == (AT, LEAVES, state.value)


def test_contacts_updated_in_bulk_get_each_their_own_values(engine: Engine) -> None:
    with engine.begin() as conn:
        writer = BulkWriter(conn)
        first = writer.reserve_ids(2)
        writer.contacts([_contact(writer, first + i, State.MARKETING, f"c{i}@example.com") for i in range(2)])
        moved = states.columns_for(State.PENDING, effective_on=LEAVES) | states.source_for(BY, AT)
        update_contacts(conn, [{"id": first, "last_name": "King", **moved}, {"id": first + 1, "last_name": "Hopper"}])
    with engine.connect() as conn:
        found = contacts_by_email(conn, ["c0@example.com", "c1@example.com"])
    assert found["c0@example.com"][1:] == (State.PENDING, found["c0@example.com"][2])
    assert found["c1@example.com"][1] == State.MARKETING
    assert [found[f"c{i}@example.com"][2]["last_name"] for i in range(2)] == ["King", "Hopper"]


def test_a_row_the_database_refuses_is_raised_as_sqlalchemy_raises_any_statement(engine: Engine) -> None:
    fail_on_email(engine, "bad@example.com")
    with pytest.raises(DBAPIError, match="refused by test trigger"), engine.begin() as conn:
        writer = BulkWriter(conn)
        first = writer.reserve_ids(2)
        writer.contacts(
            [_contact(writer, first + i, State.NON_MARKETING, e) for i, e in enumerate(["ok@x.org", "bad@example.com"])]
        )
    with engine.connect() as conn:
        assert contacts_by_email(conn, ["ok@x.org"]) == {}
