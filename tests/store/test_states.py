"""The SQL of core/store/states.py agrees with the pure rule of core/rules/status.py, on SQLite and PostgreSQL.

Every state x every request (set marketing, set non-marketing, the update date) is applied set-based to a
contact stored in that state, and the result is compared with ``transition``: the stored state, the event,
the outcome counted, and the outcome the workflow log predicts. The reading side is checked the same way:
``stored_state``, ``state_on`` and the status conditions against ``State.of`` / ``State.on``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import Engine, and_, delete, func, select

from core.rules.requester import Requester
from core.rules.status import MarketingStatus, Outcome, Request, State, UpdateDate, transition
from core.store import states
from core.store.events import start_operation
from core.store.schema import contacts
from tests.factories import NEXT_UPDATE, add_contacts, contact, events_of

TODAY = date(2026, 11, 26)
AT = datetime(2026, 11, 26, 10, 30)
BY = Requester("tester", "bulk_action", "b-1")
REQUESTS: list[Request] = [MarketingStatus.MARKETING, MarketingStatus.NON_MARKETING, UpdateDate.COME]
CASES = [pytest.param(s, r, id=f"{r.value} on a {s.value} contact") for s in State for r in REQUESTS]


def _one(engine: Engine, state: State, *, leaves: date = NEXT_UPDATE) -> int:
    return add_contacts(engine, 1, state=state.value, prefix=f"{state.value}-", effective_on=leaves)[0]


def _apply(engine: Engine, contact_id: int, request: Request, day: date) -> dict[Outcome, int]:
    with engine.begin() as conn:
        op = start_operation(conn, kind="test", at=AT, on=AT.date(), by=BY)
        return states.apply(
            conn,
            where=contacts.c.id == contact_id,
            request=request,
            day=day,
            at=AT,
            by=BY,
            operation_id=op,
            effective_on=NEXT_UPDATE,
        )


@pytest.mark.parametrize(("state", "request_"), CASES)
def test_applying_a_request_in_sql_does_what_the_transition_table_says(
    engine: Engine, state: State, request_: Request
) -> None:
    day = NEXT_UPDATE if request_ == UpdateDate.COME else TODAY  # the update date acts on the day it has come
    contact_id = _one(engine, state)
    expected = transition(state, request_)
    with engine.connect() as conn:
        query = select(states.outcome_of(request_)).select_from(states.ROWS).where(contacts.c.id == contact_id)
        predicted = conn.execute(query).scalar()
    done = _apply(engine, contact_id, request_, day)
    row = contact(engine, f"{state.value}-0@example.com")
    assert State.of(row["marketing_status"], row["pending_non_marketing"]) == expected.new
    assert predicted == expected.outcome.value, "the workflow log's prediction is the table's outcome"
    events = events_of(engine, contact_id)
    if expected.outcome == Outcome.UNCHANGED:
        assert events == [] and not any(done.values())
        return
    assert {o: n for o, n in done.items() if n} == {expected.outcome: 1}
    assert [(e["old_state"], e["new_state"]) for e in events] == [(state.value, expected.new.value)]
    assert row["effective_on"] == (NEXT_UPDATE if expected.new == State.PENDING else None)
    assert row["status_changed_at"] == AT
    if request_ != UpdateDate.COME:
        assert (row["status_source_type"], row["status_source_id"]) == (BY.source_type, BY.source_id)


@pytest.mark.parametrize(
    ("state", "request_", "event_day"),
    [
        pytest.param(State.MARKETING, MarketingStatus.NON_MARKETING, NEXT_UPDATE, id="a scheduled contact leaves on"),
        pytest.param(State.NON_MARKETING, MarketingStatus.MARKETING, TODAY, id="a contact made marketing counts today"),
        pytest.param(State.PENDING, UpdateDate.COME, NEXT_UPDATE, id="a contact that left counts from its own date"),
    ],
)
def test_an_event_counts_from_the_day_the_rule_gives(
    engine: Engine, state: State, request_: Request, event_day: date
) -> None:
    contact_id = _one(engine, state)
    _apply(engine, contact_id, request_, NEXT_UPDATE + timedelta(days=3) if request_ == UpdateDate.COME else TODAY)
    assert [e["effective_on"] for e in events_of(engine, contact_id)] == [event_day]


def test_an_update_date_moves_only_the_pending_contacts_due_by_that_day(engine: Engine) -> None:
    early = add_contacts(engine, 2, state="pending", prefix="early", effective_on=NEXT_UPDATE)
    late = add_contacts(engine, 1, state="pending", prefix="late", effective_on=date(2027, 1, 1))
    with engine.begin() as conn:
        op = start_operation(conn, kind="test", at=AT, on=AT.date(), by=BY)
        done = states.apply(
            conn,
            where=states.due_by(NEXT_UPDATE),
            request=UpdateDate.COME,
            day=NEXT_UPDATE,
            at=AT,
            by=BY,
            operation_id=op,
        )
    assert done == {Outcome.LEFT: 2}
    assert [len(events_of(engine, i)) for i in early + late] == [1, 1, 0]


DAYS = [TODAY, NEXT_UPDATE - timedelta(days=1), NEXT_UPDATE, NEXT_UPDATE + timedelta(days=40)]


@pytest.mark.parametrize("day", [None, *DAYS], ids=["as stored", *map(str, DAYS)])
def test_reading_states_in_sql_agrees_with_the_pure_rule_on_every_day(engine: Engine, day: date | None) -> None:
    ids = {s: _one(engine, s) for s in State}
    with engine.connect() as conn:
        for state, contact_id in ids.items():
            row = conn.execute(states.whole_rows(contacts.c.id == contact_id)).mappings().one()
            expected = State.on(row["marketing_status"], row["pending_non_marketing"], row["effective_on"], day)
            one = contacts.c.id == contact_id
            assert conn.execute(select(states.state_on(day)).select_from(states.ROWS).where(one)).scalar() == (
                expected.value
            )
            for other in State:
                found = conn.execute(states.ids_matching(and_(one, states.is_state_on(other, day)))).first()
                assert (found is not None) == (other == expected), (state, other, day)
            billed = conn.execute(states.ids_matching(and_(one, states.billed_on(day)))).first()
            assert (billed is not None) == expected.is_billed
        expected_counts = {s: 0 for s in State}
        for contact_id in ids.values():
            row = conn.execute(states.whole_rows(contacts.c.id == contact_id)).mappings().one()
            expected_counts[
                State.on(row["marketing_status"], row["pending_non_marketing"], row["effective_on"], day)
            ] += 1
        assert states.count_on(conn, contacts.c.id.in_(list(ids.values())), day) == expected_counts


@pytest.mark.parametrize("state", list(State))
def test_the_columns_a_state_is_written_as_read_back_as_that_state(engine: Engine, state: State) -> None:
    contact_id = _one(engine, state)
    with engine.connect() as conn:
        query = select(states.stored_state()).select_from(states.ROWS).where(contacts.c.id == contact_id)
        assert conn.execute(query).scalar() == state.value
    with engine.connect() as conn:
        assert states.count_by_state(conn, contacts.c.id == contact_id) == {s: int(s == state) for s in State}


def test_a_pending_state_cannot_be_written_without_the_day_it_leaves_on() -> None:
    with pytest.raises(ValueError, match="update date"):
        states.columns_for(State.PENDING)


# --- Where the state lives: its own table, joined by core.store.states only ---


def test_every_contact_has_one_status_row_and_it_goes_with_its_contact(engine: Engine) -> None:
    ids = add_contacts(engine, 3, state="pending")
    with engine.begin() as conn:
        assert states.count_by_state(conn) == {State.MARKETING: 0, State.PENDING: 3, State.NON_MARKETING: 0}
        conn.execute(delete(contacts).where(states.matching(and_(contacts.c.id == ids[0], states.is_billed()))))
    with engine.connect() as conn:
        assert states.count_by_state(conn)[State.PENDING] == 2, "the status row was deleted with its contact"
        joined = conn.execute(select(func.count()).select_from(states.ROWS)).scalar_one()
        assert joined == conn.execute(select(func.count()).select_from(contacts)).scalar_one() == 2


@pytest.mark.parametrize(
    ("clause", "joins"),
    [
        pytest.param(lambda: contacts.c.lifecycle_stage == "lead", False, id="a profile condition reads contacts"),
        pytest.param(lambda: states.is_state(State.PENDING), True, id="a state condition joins the status rows"),
        pytest.param(
            lambda: contacts.c.id.in_(select(states.ids_matching(states.is_billed()).subquery().c.id)),
            True,
            id="a state condition in a subquery joins too",
        ),
    ],
)
def test_a_query_reads_the_status_rows_only_when_its_condition_needs_them(clause, joins: bool) -> None:  # type: ignore[no-untyped-def]
    assert states.needs_state(clause()) is joins
    assert (states.rows_for(clause()) is states.ROWS) is joins


def test_a_state_change_by_a_profile_condition_moves_only_the_contacts_matching_it(engine: Engine) -> None:
    leads = add_contacts(engine, 2, prefix="lead", lifecycle_stage="lead")
    others = add_contacts(engine, 2, prefix="other", lifecycle_stage="other")
    with engine.begin() as conn:
        op = start_operation(conn, kind="test", at=AT, on=AT.date(), by=BY)
        done = states.apply(
            conn,
            where=contacts.c.lifecycle_stage == "lead",
            request=MarketingStatus.NON_MARKETING,
            day=TODAY,
            at=AT,
            by=BY,
            operation_id=op,
            effective_on=NEXT_UPDATE,
        )
    assert done[Outcome.SCHEDULED] == 2
    assert [len(events_of(engine, i)) for i in leads + others] == [1, 1, 0, 0]
    assert [contact(engine, f"lead{i}@example.com")["pending_non_marketing"] for i in range(2)] == [True, True]
    assert [contact(engine, f"other{i}@example.com")["pending_non_marketing"] for i in range(2)] == [False, False]


def test_status_columns_are_updated_contact_by_contact(engine: Engine) -> None:
    ids = add_contacts(engine, 2)
    moved = states.columns_for(State.PENDING, effective_on=NEXT_UPDATE) | states.source_for(BY, AT)
    with engine.begin() as conn:
        states.update_by_id(conn, [{"id": ids[1], **moved}])
    assert contact(engine, "c0@example.com")["pending_non_marketing"] is False
    row = contact(engine, "c1@example.com")
    assert (row["pending_non_marketing"], row["effective_on"], row["status_source_type"]) == (
        True,
        NEXT_UPDATE,
        "bulk_action",
    )


def test_counting_the_contacts_due_by_a_day_reads_the_partial_index_of_pending_rows(engine: Engine) -> None:
    add_contacts(engine, 3, state="pending")
    add_contacts(engine, 3, prefix="m")
    query = select(func.count()).select_from(states.ROWS.right).where(states.due_by(NEXT_UPDATE))
    with engine.connect() as conn:
        compiled = query.compile(conn, compile_kwargs={"literal_binds": True})
        if conn.dialect.name == "sqlite":
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
        else:
            conn.exec_driver_sql("SET enable_seqscan = off")  # a table this small would be read whole anyway
            plan = " ".join(str(r[0]) for r in conn.exec_driver_sql(f"EXPLAIN {compiled}"))
        assert "ix_contact_status_due" in plan, plan
        assert states.count_due(conn, NEXT_UPDATE) == 3
