"""Filters and selections as SQL, on SQLite and PostgreSQL: the same contacts match on both engines."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select

from core.errors import UnknownContacts
from core.rules.filters import FilterError, parse_filter
from core.rules.selection import Selection
from core.store import states
from core.store.schema import contacts
from core.store.selection import where
from tests.factories import add_contacts, add_list

ALL = {"a", "b", "c", "d"}


@pytest.fixture
def people(engine: Engine) -> Engine:
    """Four contacts with known properties: a, b, c and d."""
    (a,) = add_contacts(
        engine,
        email="Ada@Example.com",
        first_name="Ada",
        last_name="Lovelace",
        lifecycle_stage="lead",
        created_at=datetime(2026, 1, 10, 8, 0),
        last_activity_at=datetime(2026, 6, 1, 12, 0),
        hard_bounced=True,
        source_type="form",
    )
    (b,) = add_contacts(
        engine,
        state="pending",
        email="bob@example.org",
        first_name="Bob",
        lifecycle_stage="customer",
        created_at=datetime(2026, 1, 11, 0, 0),
        unsubscribed_all=True,
        source_type="import",
        status_source_type="bulk_action",
    )
    add_contacts(
        engine,
        state="non_marketing",
        email="cy_100%@example.com",
        first_name="Cy",
        last_name="",
        created_at=datetime(2026, 1, 10, 23, 59, 59),
        last_activity_at=datetime(2026, 1, 10, 10, 0),
        source_type="manual",
    )
    (d,) = add_contacts(
        engine,
        state="non_marketing",
        email="dee@sub.example.com",
        first_name="DEE",
        last_name="Smith",
        lifecycle_stage="lead",
        created_at=datetime(2025, 12, 31, 23, 59, 59),
        source_type="chatflow",
    )
    add_list(engine, "VIP", [a, d])
    add_list(engine, "Other", [b])
    return engine


def matching(engine: Engine, selection: Selection) -> set[str]:
    with engine.connect() as conn:
        clause = where(conn, selection)
        emails = conn.execute(
            select(contacts.c.email_lower).select_from(states.rows_for(clause)).where(clause)
        ).scalars()
        return {e[0] for e in emails}  # each test contact's email starts with its letter


def c(prop: str, op: str, value: Any = None) -> dict[str, Any]:
    return {"property": prop, "operator": op, "value": value}


FILTERS = [
    pytest.param([c("email", "eq", "ADA@example.com")], {"a"}, id="email equals, any case"),
    pytest.param([c("email", "contains", "EXAMPLE.COM")], {"a", "c", "d"}, id="email contains, any case"),
    pytest.param([c("email", "contains", "_100%")], {"c"}, id="contains treats % and _ literally"),
    pytest.param([c("email", "contains", "%")], {"c"}, id="a lone percent sign"),
    pytest.param([c("first_name", "eq", "dee")], {"d"}, id="first name equals, any case"),
    pytest.param([c("first_name", "in", ["ada", "BOB"])], {"a", "b"}, id="first name among"),
    pytest.param([c("first_name", "neq", "Ada")], {"b", "c", "d"}, id="first name differs"),
    pytest.param([c("last_name", "is_unknown")], {"b", "c"}, id="last name empty or missing"),
    pytest.param([c("last_name", "is_known")], {"a", "d"}, id="last name known"),
    pytest.param([c("last_name", "neq", "Smith")], {"a", "b", "c"}, id="differs includes the unknown"),
    pytest.param([c("lifecycle_stage", "eq", "Lead")], {"a", "d"}, id="stage equals, any case"),
    pytest.param([c("lifecycle_stage", "neq", "lead")], {"b", "c"}, id="stage differs"),
    pytest.param([c("lifecycle_stage", "is_unknown")], {"c"}, id="stage unknown"),
    pytest.param([c("created_at", "eq", "2026-01-10")], {"a", "c"}, id="created on a day, to its last second"),
    pytest.param([c("created_at", "before", "2026-01-10")], {"d"}, id="created before a day"),
    pytest.param([c("created_at", "after", "2026-01-10")], {"b"}, id="created after a day"),
    pytest.param([c("last_activity_at", "is_unknown")], {"b", "d"}, id="never active"),
    pytest.param([c("last_activity_at", "after", "2026-01-10")], {"a"}, id="active after a day"),
    pytest.param([c("hard_bounced", "eq", True)], {"a"}, id="hard bounced"),
    pytest.param([c("hard_bounced", "neq", True)], {"b", "c", "d"}, id="not hard bounced"),
    pytest.param([c("unsubscribed_all", "eq", False)], {"a", "c", "d"}, id="still subscribed"),
    pytest.param([c("marketing_status", "eq", "marketing")], {"a", "b"}, id="marketing includes pending"),
    pytest.param([c("marketing_status", "eq", "non-marketing")], {"c", "d"}, id="non-marketing"),
    pytest.param([c("marketing_status", "neq", "marketing")], {"c", "d"}, id="not marketing"),
    pytest.param([c("marketing_status", "in", ["marketing", "non_marketing"])], ALL, id="either status"),
    pytest.param([c("pending_non_marketing", "eq", True)], {"b"}, id="pending"),
    pytest.param([c("source_type", "eq", "Import")], {"b"}, id="created by an import"),
    pytest.param([c("source_type", "in", ["form", "chatflow"])], {"a", "d"}, id="created by a form or chatflow"),
    pytest.param([c("status_source_type", "eq", "bulk_action")], {"b"}, id="last status change by a bulk action"),
    pytest.param([c("list", "eq", "VIP")], {"a", "d"}, id="in a list"),
    pytest.param([c("list", "neq", "VIP")], {"b", "c"}, id="not in a list"),
    pytest.param([c("list", "in", ["VIP", "Other"])], {"a", "b", "d"}, id="in any of two lists"),
    pytest.param(
        [c("lifecycle_stage", "eq", "lead"), c("marketing_status", "eq", "marketing")], {"a"}, id="all must hold"
    ),
    pytest.param([], ALL, id="an empty filter matches everyone"),
]


@pytest.mark.parametrize(("conditions", "expected"), FILTERS)
def test_a_filter_matches_the_same_contacts_on_every_engine(
    people: Engine, conditions: list[dict[str, Any]], expected: set[str]
) -> None:
    assert matching(people, Selection(conditions=parse_filter(json.dumps(conditions)))) == expected


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        pytest.param(Selection(unengaged=True), {"a", "b"}, id="unengaged: hard bounced or unsubscribed"),
        pytest.param(Selection(list_name="VIP"), {"a", "d"}, id="a static list"),
        pytest.param(Selection(emails=("BOB@example.org", " dee@sub.example.com ")), {"b", "d"}, id="emails"),
        pytest.param(Selection(), ALL, id="nothing chosen is everyone"),
        pytest.param(
            Selection(any_of=(Selection(unengaged=True), Selection(list_name="VIP"))), {"a", "b", "d"}, id="a union"
        ),
        pytest.param(
            Selection(list_name="VIP", extra=parse_filter([c("marketing_status", "eq", "marketing")])),
            {"a"},
            id="a list narrowed by a filter",
        ),
    ],
)
def test_each_selection_kind_picks_its_contacts(people: Engine, selection: Selection, expected: set[str]) -> None:
    assert matching(people, selection) == expected


def test_a_selection_by_ids_picks_exactly_those_contacts(people: Engine) -> None:
    with people.connect() as conn:
        ids = {email: i for email, i in conn.execute(select(contacts.c.email_lower, contacts.c.id))}
    assert matching(people, Selection(ids=(ids["ada@example.com"], ids["dee@sub.example.com"]))) == {"a", "d"}


@pytest.mark.parametrize("many", [3, 700], ids=["a few", "more than fit inline"])
def test_unknown_ids_and_emails_are_named(people: Engine, many: int) -> None:
    with pytest.raises(UnknownContacts) as info, people.connect() as conn:
        where(conn, Selection(ids=tuple(range(10_000, 10_000 + many))))
    assert "10000" in str(info.value)
    emails = tuple(f"ghost{i}@example.com" for i in range(many))
    with pytest.raises(UnknownContacts) as info, people.connect() as conn:
        where(conn, Selection(emails=("bob@example.org", *emails)))
    assert "ghost0@example.com" in str(info.value) and "bob@example.org" not in str(info.value)


def test_an_unknown_list_in_a_filter_is_a_filter_error(people: Engine) -> None:
    with pytest.raises(FilterError, match="Nope"), people.connect() as conn:
        where(conn, Selection(conditions=parse_filter([c("list", "eq", "Nope")])))


def test_dates_compare_as_dates_on_every_engine(people: Engine) -> None:
    on = Selection(conditions=parse_filter([c("created_at", "eq", date(2026, 1, 11).isoformat())]))
    assert matching(people, on) == {"b"}
