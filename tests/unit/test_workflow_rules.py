"""Workflow rules: definitions, what actions do to counts, backoff with jitter, transient vs permanent errors."""

from __future__ import annotations

import random
import sqlite3

import pytest

from core.rules.status import MarketingStatus, State
from core.rules.tiers import Edition
from core.rules.workflows import (
    ActionType,
    Backoff,
    ErrorKind,
    RateLimited,
    WorkflowError,
    classify,
    edition_allows_workflows,
    error_text,
    parse_definition,
    project,
)

LEADS = [{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}]


def _definition(**overrides: object) -> dict[str, object]:
    return {
        "name": "Clean up",
        "criteria": LEADS,
        "actions": [{"type": "set_marketing_status", "to": "non-marketing"}],
    } | overrides


def test_a_definition_is_parsed_with_its_actions_in_order() -> None:
    d = parse_definition(
        _definition(
            actions=[
                {"type": "add_to_list", "list": " VIP "},
                {"type": "set_marketing_status", "to": "non-marketing"},
                {"type": "remove_from_list", "list": "Old"},
            ],
            criteria=[*LEADS, {"property": "list", "operator": "eq", "value": "Imported"}],
        )
    )
    assert [a.type for a in d.actions] == [
        ActionType.ADD_TO_LIST,
        ActionType.SET_MARKETING_STATUS,
        ActionType.REMOVE_FROM_LIST,
    ]
    assert d.actions[0].list == "VIP"
    assert d.actions[1].to == MarketingStatus.NON_MARKETING
    assert d.reenroll is False, "re-enrollment is off by default"
    assert parse_definition(d.as_dict()) == d
    assert d.list_names == ("VIP", "Old")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": " "}, "needs a name"),
        ({"criteria": []}, "at least one enrollment condition"),
        ({"criteria": [{"property": "shoe_size", "operator": "eq", "value": "9"}]}, "unknown property"),
        ({"actions": []}, "at least one action"),
        ({"actions": [{"type": "send_email"}]}, "unknown type"),
        ({"actions": [{"type": "set_marketing_status", "to": "maybe"}]}, "marketing or non_marketing"),
        ({"actions": [{"type": "add_to_list"}]}, "must name a static list"),
        ({"actions": [{"type": "add_to_list", "list": "A", "to": "marketing"}]}, "unknown key"),
        ({"actions": [{"type": "add_to_list", "list": "A"}] * 21}, "at most 20"),
        ({"reenroll": "yes"}, "true or false"),
        ({"colour": "red"}, "unknown key"),
    ],
)
def test_an_invalid_definition_is_refused_with_a_reason(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(WorkflowError, match=message):
        parse_definition(_definition(**overrides))


@pytest.mark.parametrize(
    ("edition", "allowed"), [(Edition.STARTER, False), (Edition.PROFESSIONAL, True), (Edition.ENTERPRISE, True)]
)
def test_only_professional_and_enterprise_may_use_workflows(edition: Edition, allowed: bool) -> None:
    assert edition_allows_workflows(edition) is allowed


def _actions(*targets: str) -> tuple:  # type: ignore[type-arg]
    return parse_definition(_definition(actions=[{"type": "set_marketing_status", "to": t} for t in targets])).actions


STATES = {State.MARKETING: 10, State.PENDING: 4, State.NON_MARKETING: 6}


def test_setting_non_marketing_schedules_marketing_contacts_and_bills_nobody_new() -> None:
    p = project(STATES, _actions("non_marketing"))
    assert (p.billed_now, p.scheduled, p.undone) == (0, 10, 0)
    assert p.final == {State.MARKETING: 0, State.PENDING: 14, State.NON_MARKETING: 6}


def test_setting_marketing_bills_non_marketing_contacts_at_once_and_undoes_pending_ones() -> None:
    p = project(STATES, _actions("marketing"))
    assert (p.billed_now, p.scheduled, p.undone) == (6, 0, 4)
    assert p.final[State.MARKETING] == 20


def test_marketing_then_non_marketing_still_bills_for_the_period() -> None:
    p = project(STATES, _actions("marketing", "non_marketing"))
    assert p.billed_now == 6, "made marketing during the period, it counts until the next update date"
    assert p.final[State.PENDING] == 20


def test_backoff_grows_exponentially_with_jitter_and_is_reproducible() -> None:
    backoff = Backoff(base=0.1, factor=2, cap=1.0)
    first = [backoff.delay(n, random.Random(7)) for n in range(1, 7)]
    assert first == [backoff.delay(n, random.Random(7)) for n in range(1, 7)]
    for n, delay in enumerate(first, start=1):
        ceiling = min(1.0, 0.1 * 2 ** (n - 1))
        assert ceiling / 2 <= delay <= ceiling
    rng = random.Random(1)
    assert len({round(backoff.delay(3, rng), 6) for _ in range(20)}) > 1, "jitter spreads retries"


class SerializationFailure(Exception):
    sqlstate = "40001"


class Wrapper(Exception):
    def __init__(self, orig: BaseException) -> None:
        super().__init__(str(orig))
        self.orig = orig


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (sqlite3.OperationalError("database is locked"), ErrorKind.TRANSIENT),
        (Wrapper(sqlite3.OperationalError("database is locked")), ErrorKind.TRANSIENT),
        (SerializationFailure("could not serialize access"), ErrorKind.TRANSIENT),
        (Wrapper(Exception("canceling statement due to lock timeout")), ErrorKind.TRANSIENT),
        (Exception("deadlock detected"), ErrorKind.TRANSIENT),
        (RateLimited("429 Too Many Requests"), ErrorKind.TRANSIENT),
        (ValueError("no static list named 'VIP'"), ErrorKind.PERMANENT),
        (sqlite3.IntegrityError("UNIQUE constraint failed"), ErrorKind.PERMANENT),
    ],
)
def test_errors_are_transient_or_permanent(error: Exception, kind: ErrorKind) -> None:
    assert classify(error) == kind


def test_a_transient_error_behind_another_exception_is_found() -> None:
    try:
        try:
            raise RateLimited("slow down")
        except RateLimited as inner:
            raise RuntimeError("sync failed") from inner
    except RuntimeError as outer:
        assert classify(outer) == ErrorKind.TRANSIENT


def test_the_error_text_is_the_driver_message_first_line() -> None:
    text = error_text(Wrapper(sqlite3.OperationalError("database is locked\n[SQL: UPDATE ...]")))
    assert text == "OperationalError: database is locked"
