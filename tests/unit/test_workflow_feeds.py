"""Which changes can feed a workflow that changes status (docs/domain.md §6): what criteria read, and chains."""

from __future__ import annotations

from typing import Any

import pytest

from core.rules.workflows import (
    WHOLE_CONTACTS,
    Touch,
    WorkflowDefinition,
    lists_read,
    parse_definition,
    reaching_status,
)

MARKETING = {"type": "set_marketing_status", "to": "marketing"}
NON_MARKETING = {"type": "set_marketing_status", "to": "non_marketing"}


def _in(name: Any, operator: str = "eq") -> dict[str, Any]:
    return {"property": "list", "operator": operator, "value": name}


def _workflow(criteria: list[dict[str, Any]], *actions: dict[str, Any]) -> WorkflowDefinition:
    return parse_definition({"name": "W", "criteria": criteria, "actions": list(actions or (MARKETING,))})


def _adds(name: str) -> dict[str, Any]:
    return {"type": "add_to_list", "list": name}


STAGE = {"property": "lifecycle_stage", "operator": "eq", "value": "lead"}


def test_the_lists_a_workflow_reads_are_those_its_criteria_name_whatever_the_operator() -> None:
    definition = _workflow([_in("A"), _in("B", "neq"), _in(["C", "D"], "in"), STAGE], _adds("E"))
    assert lists_read(definition) == {"A", "B", "C", "D"}, "the list it adds to is written, not read"


@pytest.mark.parametrize(
    ("touch", "criteria", "read"),
    [
        pytest.param(Touch(frozenset({"lifecycle_stage"})), [STAGE], True, id="an edit of the stage it reads"),
        pytest.param(Touch(frozenset({"first_name"})), [STAGE], False, id="an edit of a field it does not read"),
        pytest.param(Touch(lists=frozenset({"A"})), [_in("A")], True, id="a change of a list it reads"),
        pytest.param(
            Touch(lists=frozenset({"A"})), [_in("A", "neq")], True, id="a change of a list it reads as not in"
        ),
        pytest.param(Touch(lists=frozenset({"A"})), [_in(["B", "A"], "in")], True, id="one of the lists it reads"),
        pytest.param(Touch(lists=frozenset({"A"})), [_in("B"), STAGE], False, id="another list"),
        pytest.param(Touch(frozenset({"list"})), [_in("A")], False, id="a field named list is no list"),
        pytest.param(WHOLE_CONTACTS, [_in("A")], True, id="a new contact is read by any criteria"),
        pytest.param(Touch(), [STAGE], False, id="nothing written"),
    ],
)
def test_a_change_is_read_by_a_workflow_when_its_criteria_read_what_it_wrote(
    touch: Touch, criteria: list[dict[str, Any]], read: bool
) -> None:
    assert touch.read_by(_workflow(criteria)) is read


@pytest.mark.parametrize(
    ("workflows", "reaching"),
    [
        pytest.param([([STAGE], [MARKETING])], [0], id="a status action sets marketing"),
        pytest.param([([STAGE], [NON_MARKETING])], [0], id="a status action sets non-marketing"),
        pytest.param([([STAGE], [_adds("A")])], [], id="a list action feeding nobody"),
        pytest.param(
            [([STAGE], [_adds("A")]), ([_in("A")], [MARKETING])], [0, 1], id="a list action feeding a status workflow"
        ),
        pytest.param(
            [([STAGE], [_adds("A")]), ([_in("A")], [_adds("B")]), ([_in("B", "neq")], [NON_MARKETING])],
            [0, 1, 2],
            id="a chain of two list workflows ending in a status one",
        ),
        pytest.param(
            [([_in("A")], [MARKETING]), ([STAGE], [{"type": "remove_from_list", "list": "A"}])],
            [0, 1],
            id="a removal from a list a status workflow reads",
        ),
        pytest.param([([_in("A")], [_adds("B")]), ([_in("B")], [_adds("A")])], [], id="a loop of list workflows"),
    ],
)
def test_the_workflows_that_can_change_a_status_include_those_feeding_one_through_a_list(
    workflows: list[tuple[list[dict[str, Any]], list[dict[str, Any]]]], reaching: list[int]
) -> None:
    assert reaching_status([_workflow(criteria, *actions) for criteria, actions in workflows]) == reaching
