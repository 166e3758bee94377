"""The filter model of the set-status command: which filters are valid, and clear errors for the rest."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from core.rules.filters import Condition, FilterError, filter_to_json, parse_filter


def cond(prop: str, op: str, value: Any = None) -> dict[str, Any]:
    return {"property": prop, "operator": op, "value": value}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(cond("email", "eq", "a@x.com"), ("email", "eq", "a@x.com"), id="email equals"),
        pytest.param(cond("email", "contains", "@x.com"), ("email", "contains", "@x.com"), id="email contains"),
        pytest.param(cond("first_name", "neq", "Ada"), ("first_name", "neq", "Ada"), id="first name differs"),
        pytest.param(cond("last_name", "is_known"), ("last_name", "is_known", None), id="last name known"),
        pytest.param(cond("last_name", "is_unknown"), ("last_name", "is_unknown", None), id="last name unknown"),
        pytest.param(
            cond("lifecycle_stage", "in", ["lead", "customer"]),
            ("lifecycle_stage", "in", ("lead", "customer")),
            id="lifecycle stage among values",
        ),
        pytest.param(
            cond("created_at", "before", "2026-01-01"), ("created_at", "before", date(2026, 1, 1)), id="created before"
        ),
        pytest.param(
            cond("last_activity_at", "after", "2026-06-30"),
            ("last_activity_at", "after", date(2026, 6, 30)),
            id="last activity after",
        ),
        pytest.param(cond("created_at", "eq", "2026-03-01"), ("created_at", "eq", date(2026, 3, 1)), id="created on"),
        pytest.param(
            cond("last_activity_at", "is_unknown"), ("last_activity_at", "is_unknown", None), id="never active"
        ),
        pytest.param(cond("hard_bounced", "eq", True), ("hard_bounced", "eq", True), id="hard bounced"),
        pytest.param(cond("unsubscribed_all", "neq", False), ("unsubscribed_all", "neq", False), id="unsubscribed"),
        pytest.param(cond("pending_non_marketing", "eq", True), ("pending_non_marketing", "eq", True), id="pending"),
        pytest.param(
            cond("marketing_status", "eq", "marketing"), ("marketing_status", "eq", "marketing"), id="marketing"
        ),
        pytest.param(
            cond("marketing_status", "eq", "non-marketing"),
            ("marketing_status", "eq", "non_marketing"),
            id="non-marketing written with a hyphen",
        ),
        pytest.param(cond("source_type", "eq", "form"), ("source_type", "eq", "form"), id="created by a form"),
        pytest.param(cond("source_type", "in", ["import"]), ("source_type", "in", ("import",)), id="source among"),
        pytest.param(cond("list", "eq", "Newsletter"), ("list", "eq", "Newsletter"), id="member of a list"),
        pytest.param(cond("list", "neq", "Newsletter"), ("list", "neq", "Newsletter"), id="not a member of a list"),
    ],
)
def test_a_valid_condition_is_read_into_its_typed_value(raw: dict[str, Any], expected: tuple) -> None:
    (parsed,) = parse_filter(json.dumps([raw]))
    assert (parsed.property, parsed.operator, parsed.value) == expected


def test_an_empty_list_is_a_filter_that_matches_everything() -> None:
    assert parse_filter("[]") == ()


def test_several_conditions_are_kept_in_order() -> None:
    parsed = parse_filter([cond("hard_bounced", "eq", True), cond("lifecycle_stage", "eq", "lead")])
    assert [c.property for c in parsed] == ["hard_bounced", "lifecycle_stage"]


def test_a_filter_survives_its_json_round_trip() -> None:
    parsed = parse_filter(
        [cond("created_at", "before", "2026-01-01"), cond("lifecycle_stage", "in", ["lead", "customer"])]
    )
    assert parse_filter(filter_to_json(parsed)) == parsed
    assert all(isinstance(c, Condition) for c in parsed)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        pytest.param("[{", "not valid JSON", id="text that is not JSON"),
        pytest.param('"hard_bounced"', "list of conditions", id="a bare string"),
        pytest.param("42", "list of conditions", id="a number"),
        pytest.param("[42]", "expected an object", id="a condition that is not an object"),
        pytest.param([cond("phone", "eq", "1")], "unknown property 'phone'", id="an unknown property"),
        pytest.param([{"operator": "eq", "value": "x"}], "unknown property None", id="a missing property"),
        pytest.param([cond("email", "like", "x")], "unknown operator 'like'", id="an unknown operator"),
        pytest.param([cond("email", None, "x")], "unknown operator None", id="a missing operator"),
        pytest.param(
            [{**cond("email", "eq", "x"), "negate": True}], "unknown key(s) negate", id="an unknown key in a condition"
        ),
        pytest.param([cond("created_at", "contains", "2026")], "does not apply", id="contains on a date"),
        pytest.param([cond("email", "before", "2026-01-01")], "does not apply", id="before on a text"),
        pytest.param([cond("hard_bounced", "in", [True])], "does not apply", id="in on a boolean"),
        pytest.param([cond("hard_bounced", "is_known")], "does not apply", id="is_known on a boolean"),
        pytest.param([cond("marketing_status", "contains", "mark")], "does not apply", id="contains on the status"),
        pytest.param([cond("list", "after", "2026-01-01")], "does not apply", id="after on a list"),
        pytest.param([cond("hard_bounced", "eq", "true")], "expected true or false", id="a boolean given as text"),
        pytest.param([cond("hard_bounced", "eq", 1)], "expected true or false", id="a boolean given as a number"),
        pytest.param([cond("created_at", "before", "2026-13-01")], "expected a date", id="an impossible date"),
        pytest.param([cond("created_at", "before", "01/02/2026")], "expected a date", id="a date in another form"),
        pytest.param([cond("created_at", "after", 20260101)], "expected a date", id="a date given as a number"),
        pytest.param([cond("email", "eq", 5)], "expected a non-empty text", id="a text given as a number"),
        pytest.param([cond("email", "eq", True)], "expected a non-empty text", id="a text given as a boolean"),
        pytest.param([cond("first_name", "eq", "  ")], "expected a non-empty text", id="a blank text"),
        pytest.param([cond("first_name", "eq")], "expected a non-empty text", id="a missing value"),
        pytest.param([cond("lifecycle_stage", "in", "lead")], "non-empty list", id="in without a list"),
        pytest.param([cond("lifecycle_stage", "in", [])], "non-empty list", id="in with an empty list"),
        pytest.param([cond("lifecycle_stage", "in", ["lead", 3])], "non-empty text", id="in with an ill-typed item"),
        pytest.param([cond("marketing_status", "eq", "pending")], "marketing or non_marketing", id="a bad status"),
        pytest.param([cond("last_name", "is_known", "Smith")], "takes no value", id="is_known with a value"),
        pytest.param([cond("list", "eq", 7)], "non-empty text", id="a list named by a number"),
    ],
)
def test_an_invalid_filter_is_refused_with_a_message_saying_why(raw: Any, message: str) -> None:
    with pytest.raises(FilterError, match=None) as info:
        parse_filter(raw)
    assert message in str(info.value)


def test_the_error_names_the_condition_that_is_wrong() -> None:
    with pytest.raises(FilterError, match="condition 2"):
        parse_filter([cond("hard_bounced", "eq", True), cond("created_at", "before", "soon")])


def test_a_filter_error_is_a_value_error_for_callers_that_only_know_that() -> None:
    assert issubclass(FilterError, ValueError)
