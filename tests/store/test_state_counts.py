"""The counts of contacts per state that the database keeps (migration 0013_state_counts), on SQLite and PostgreSQL.

Triggers on ``contact_status`` keep ``contact_state_counts``; the account's counts read it instead of counting
millions of status rows. Whatever writes the status rows, the kept counts must equal a count of the rows: the
application's own writers (also checked after every test that uses the ``engine`` fixture, in tests/conftest.py),
and here the writers it does not control: raw SQL of every kind, a cascade from a deleted contact, TRUNCATE, and
random sequences of changes (Hypothesis). The reads of the Usage page and of ``usage`` touch no per-contact table.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from core.rules.status import State
from core.services import updates
from core.services.setup import init
from core.services.usage import get_usage
from core.store import states
from core.store.counts import counts_on, stored_counts
from core.store.engine import make_engine
from tests.conftest import TODAY, Cli, pin_today
from tests.factories import NEXT_UPDATE, add_contacts

LATER = date(2027, 1, 1)


def kept(engine: Engine) -> dict[tuple[State, date | None], int]:
    with engine.connect() as conn:
        return states.counted(conn)


def scanned(engine: Engine) -> dict[tuple[State, date | None], int]:
    with engine.connect() as conn:
        return states.scanned(conn)


def run(engine: Engine, sql: str, **params: Any) -> None:
    with engine.begin() as conn:
        conn.execute(text(sql), params)


@pytest.fixture
def mixed(engine: Engine) -> list[int]:
    """3 marketing, 2 pending on the next update date, 1 pending on a later one, 2 non-marketing."""
    return [
        *add_contacts(engine, 3, state="marketing", prefix="m"),
        *add_contacts(engine, 2, state="pending", prefix="p"),
        *add_contacts(engine, 1, state="pending", prefix="q", effective_on=LATER),
        *add_contacts(engine, 2, state="non_marketing", prefix="n"),
    ]


def test_the_kept_counts_are_per_state_and_update_date(engine: Engine, mixed: list[int]) -> None:
    assert kept(engine) == {
        (State.MARKETING, None): 3,
        (State.PENDING, NEXT_UPDATE): 2,
        (State.PENDING, LATER): 1,
        (State.NON_MARKETING, None): 2,
    }
    with engine.connect() as conn:
        counts = stored_counts(conn)
        assert (counts.marketing, counts.pending, counts.non_marketing) == (6, 3, 2)
        assert states.count_due(conn, NEXT_UPDATE) == 2
        assert states.count_due(conn, LATER) == 3
        assert states.count_due(conn, TODAY) == 0
        assert counts_on(conn, NEXT_UPDATE).marketing == 4


RAW_CHANGES = {
    "set pending": "UPDATE contact_status SET pending_non_marketing = :t, effective_on = :d "
    "WHERE marketing_status = 'marketing' AND pending_non_marketing = :f",
    "set non-marketing": "UPDATE contact_status SET marketing_status = 'non_marketing', "
    "pending_non_marketing = :f, effective_on = NULL WHERE contact_id % 2 = 0",
    "move the update date": "UPDATE contact_status SET effective_on = :d WHERE pending_non_marketing = :t",
    "change only who changed it": "UPDATE contact_status SET status_source_type = 'manual'",
    "delete status rows": "DELETE FROM contact_status WHERE marketing_status = 'non_marketing'",
    "delete contacts (cascade)": "DELETE FROM contacts WHERE id % 3 = 0",
    "a stray flag on a non-marketing contact": "UPDATE contact_status SET pending_non_marketing = :t, "
    "effective_on = :d WHERE marketing_status = 'non_marketing'",
    "pending without a date": "UPDATE contact_status SET effective_on = NULL WHERE pending_non_marketing = :t",
}


UNCOUNTED = {"change only who changed it", "a stray flag on a non-marketing contact"}  # no contact changes state


@pytest.mark.parametrize("name", RAW_CHANGES)
def test_raw_sql_keeps_the_counts_equal_to_the_rows(engine: Engine, mixed: list[int], name: str) -> None:
    before = kept(engine)
    run(engine, RAW_CHANGES[name], t=True, f=False, d=LATER)
    assert kept(engine) == scanned(engine)
    assert (kept(engine) == before) == (name in UNCOUNTED)


def test_a_contact_deleted_by_hand_leaves_every_count(engine: Engine, mixed: list[int]) -> None:
    run(engine, "DELETE FROM contacts")
    assert kept(engine) == {} == scanned(engine)
    with engine.connect() as conn:
        assert stored_counts(conn).total == 0


@pytest.mark.postgres
def test_truncate_empties_the_counts(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    init(engine, today=TODAY, actor="test")
    add_contacts(engine, 4, state="pending")
    run(engine, "TRUNCATE contacts CASCADE")
    assert kept(engine) == {} == scanned(engine)
    engine.dispose()


def test_recount_puts_right_counts_that_bypassed_triggers_left_wrong(engine: Engine, mixed: list[int]) -> None:
    run(engine, "UPDATE contact_state_counts SET n = n + 5 WHERE state = 'marketing'")
    run(engine, "DELETE FROM contact_state_counts WHERE state = 'pending'")
    with engine.begin() as conn:
        wrong = states.recount(conn)
    assert wrong == {
        (State.MARKETING, None): (8, 3),
        (State.PENDING, NEXT_UPDATE): (0, 2),
        (State.PENDING, LATER): (0, 1),
    }
    assert kept(engine) == scanned(engine)
    with engine.begin() as conn:
        assert states.recount(conn) == {}


def test_usage_reads_no_status_row(engine: Engine, mixed: list[int], statements: list[str]) -> None:
    """Failed before the kept counts: each count was a GROUP BY over every status row (0.34 s at 10,000,000)."""
    usage = get_usage(engine, today=TODAY)
    assert (usage.marketing, usage.pending, usage.non_marketing) == (6, 3, 2)
    assert statements and not [s for s in statements if "contact_status" in s]


def test_an_update_date_counts_the_marketing_contacts_it_leaves_without_reading_status_rows(
    engine: Engine, mixed: list[int], statements: list[str]
) -> None:
    """After the UPDATE of an update date, the marketing count it records and reports came from a count of every
    status row: at 10,000,000 contacts after moving 3,000,000 that count alone took seconds."""
    pin_today(NEXT_UPDATE)
    result = updates.apply_updates(engine, today=NEXT_UPDATE)
    assert result.marketing == 4 and result.applied[0]["became_non_marketing"] == 2
    reads = [s for s in statements if "contact_status" in s and s.lstrip().upper().startswith("SELECT")]
    assert not reads, reads


SERIAL = itertools.count()
CHANGES: list[Callable[[Engine, int], None]] = [
    lambda e, k: run(
        e,
        "UPDATE contact_status SET marketing_status = 'non_marketing', pending_non_marketing = :f, "
        "effective_on = NULL WHERE contact_id % :k = 0",
        f=False,
        k=k,
    ),
    lambda e, k: run(
        e,
        "UPDATE contact_status SET marketing_status = 'marketing', pending_non_marketing = :f, "
        "effective_on = NULL WHERE contact_id % :k = 1",
        f=False,
        k=k,
    ),
    lambda e, k: run(
        e,
        "UPDATE contact_status SET pending_non_marketing = :t, effective_on = :d "
        "WHERE marketing_status = 'marketing' AND contact_id % :k = 2",
        t=True,
        d=date(2027, 1 + k % 12, 1),
        k=k,
    ),
    lambda e, k: run(e, "DELETE FROM contacts WHERE id % :k = 3", k=k + 3),
    lambda e, k: add_contacts(e, k % 4 + 1, state=list(State)[k % 3].value, prefix=f"h{next(SERIAL)}-"),
]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, len(CHANGES) - 1), st.integers(2, 7)), min_size=1, max_size=8))
def test_any_sequence_of_changes_keeps_the_counts_equal_to_the_rows(
    engine: Engine, steps: list[tuple[int, int]]
) -> None:
    run(engine, "DELETE FROM contacts")
    add_contacts(engine, 12, state="marketing", prefix=f"base{next(SERIAL)}-")
    for change, k in steps:
        CHANGES[change](engine, k)
        assert kept(engine) == scanned(engine)


def test_init_on_an_existing_database_puts_wrong_counts_right(engine: Engine, db_url: str, mixed: list[int]) -> None:
    """What an operator runs after a restore that bypassed the triggers: ``python -m core init``."""
    run(engine, "DELETE FROM contact_state_counts")
    assert Cli(db_url)("init")["counts_corrected"] == 4  # the four (state, update date) rows
    assert kept(engine) == scanned(engine)
    assert Cli(db_url)("init")["counts_corrected"] == 0


@pytest.mark.postgres
def test_a_session_with_another_search_path_still_keeps_the_counts(postgres_url: str) -> None:
    """pg_restore and other tools write with an empty search_path: the triggers still find the counts table."""
    engine = make_engine(postgres_url)
    init(engine, today=TODAY, actor="test")
    add_contacts(engine, 3, state="marketing")
    schema = postgres_url.rsplit("search_path%3D", 1)[1]
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL search_path = ''"))
        conn.execute(text(f"UPDATE \"{schema}\".contact_status SET marketing_status = 'non_marketing'"))
    assert kept(engine) == {(State.NON_MARKETING, None): 3} == scanned(engine)
    engine.dispose()


def test_pending_rows_without_a_date_and_on_the_last_date_are_one_count_that_init_leaves_alone(
    engine: Engine, db_url: str, mixed: list[int]
) -> None:
    """Hand-edited pending rows with no date and with 9999-12-31 share the kept count "pending, never due": init
    failed on a duplicate key, or reported a correction on every run, before (found in review)."""
    run(engine, "UPDATE contact_status SET effective_on = NULL WHERE contact_id = :i", i=mixed[3])
    run(engine, "UPDATE contact_status SET effective_on = :d WHERE contact_id = :i", d=date(9999, 12, 31), i=mixed[4])
    assert kept(engine) == scanned(engine)
    assert kept(engine)[(State.PENDING, None)] == 2
    assert Cli(db_url)("init")["counts_corrected"] == 0
    assert Cli(db_url)("init")["counts_corrected"] == 0


def test_a_stray_pending_flag_on_a_non_marketing_contact_is_neither_due_nor_moved(
    engine: Engine, mixed: list[int]
) -> None:
    """``State.of`` ignores the flag on a non-marketing row: the kept counts, the count of due contacts and the update
    date all agree (the update date moved such a row, with a "pending" event, while the count said it was not due)."""
    stray = mixed[6]
    run(engine, "UPDATE contact_status SET pending_non_marketing = :t, effective_on = :d WHERE contact_id = :i",
        t=True, d=NEXT_UPDATE, i=stray)  # fmt: skip
    with engine.connect() as conn:
        assert states.count_due(conn, NEXT_UPDATE) == 2
    pin_today(NEXT_UPDATE)
    result = updates.apply_updates(engine, today=NEXT_UPDATE)
    assert result.applied[0]["became_non_marketing"] == 2
    with engine.connect() as conn:
        events = conn.execute(text("SELECT count(*) FROM status_events WHERE contact_id = :i"), {"i": stray}).scalar()
    assert events == 0, "the non-marketing contact was not moved"


def test_sqlite_replace_counts_the_row_it_replaces(sqlite_url: str) -> None:
    """REPLACE removes the old row without its delete trigger unless recursive triggers are on (the engine turns
    them on): the count of the replaced row's state stayed one too high (found in review)."""
    engine = make_engine(sqlite_url)
    init(engine, today=TODAY, actor="test")
    ids = add_contacts(engine, 2, state="marketing")
    run(engine, "INSERT OR REPLACE INTO contact_status (contact_id, marketing_status, pending_non_marketing) "
        "VALUES (:i, 'non_marketing', 0)", i=ids[0])  # fmt: skip
    run(engine, "UPDATE OR REPLACE contact_status SET contact_id = :a WHERE contact_id = :b", a=ids[0], b=ids[1])
    assert kept(engine) == scanned(engine) == {(State.MARKETING, None): 1}
    engine.dispose()
