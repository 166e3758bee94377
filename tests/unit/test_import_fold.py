"""Folding an import's rows in file order (docs/domain.md §2, §9), through the one transition table. Pure."""

from __future__ import annotations

from datetime import date

import pytest

from core.rules.csvformat import StatusRequest
from core.rules.status import MarketingStatus, Outcome, State, transition
from core.services.imports.fold import Record, event_counts, fold_rows
from core.services.imports.parse import ParsedRow

TODAY, NEXT_UPDATE = date(2026, 11, 26), date(2026, 12, 1)
M, P, N = State.MARKETING, State.PENDING, State.NON_MARKETING


def row(email: str, request: StatusRequest | None = None, line: int = 2, **fields: object) -> ParsedRow:
    return ParsedRow(line, email, email.lower(), dict(fields), request)


def existing(state: State, **fields: object) -> dict[str, Record]:
    return {"old@example.com": Record(7, {"email": "old@example.com", **fields}, state, [])}


def fold(rows: list[ParsedRow], known: dict[str, Record] | None = None, *, as_marketing: bool = False) -> Record:
    folded = fold_rows(rows, known or {}, as_marketing=as_marketing, today=TODAY, effective=NEXT_UPDATE)
    (record,) = folded.records.values()
    return record


@pytest.mark.parametrize("request_", list(MarketingStatus), ids=str)
@pytest.mark.parametrize("state", list(State), ids=str)
def test_a_status_in_a_row_moves_an_existing_contact_as_the_transition_table_says(
    state: State, request_: MarketingStatus
) -> None:
    move = transition(state, request_)
    record = fold([row("OLD@example.com", StatusRequest(request_.value))], existing(state))
    assert record.state == move.new
    day = NEXT_UPDATE if move.new == P else TODAY
    assert record.events == ([] if move.outcome == Outcome.UNCHANGED else [(state, move.new, day)])


EXISTING = [
    pytest.param(M, StatusRequest.UNTIL_UPDATE, P, [(M, P, NEXT_UPDATE)], id="marketing until next update schedules"),
    pytest.param(P, StatusRequest.UNTIL_UPDATE, P, [], id="a pending contact already is until next update"),
    pytest.param(
        N, StatusRequest.UNTIL_UPDATE, P, [(N, M, TODAY), (M, P, NEXT_UPDATE)], id="non-marketing until next update"
    ),
    pytest.param(M, StatusRequest.LEAVE_AT_UPDATE, P, [(M, P, NEXT_UPDATE)], id="until next update alone schedules"),
    pytest.param(N, StatusRequest.LEAVE_AT_UPDATE, N, [], id="until next update alone on non-marketing"),
    pytest.param(P, None, P, [], id="no status leaves the contact as it is"),
]


@pytest.mark.parametrize(("before", "request_", "after", "events"), EXISTING)
def test_until_next_update_on_an_existing_contact_is_marketing_now_then_non_marketing(
    before: State, request_: StatusRequest | None, after: State, events: list[object]
) -> None:
    record = fold([row("old@example.com", request_)], existing(before))
    assert (record.state, record.events) == (after, events)


MADE = (None, M, TODAY)
NEW = [
    pytest.param(None, False, N, [], id="without a status a new contact is non-marketing"),
    pytest.param(None, True, M, [MADE], id="with as-marketing a new contact is marketing"),
    pytest.param(StatusRequest.NON_MARKETING, True, N, [], id="an explicit status beats the default"),
    pytest.param(StatusRequest.MARKETING, False, M, [MADE], id="a new contact imported as marketing"),
    pytest.param(StatusRequest.UNTIL_UPDATE, False, P, [MADE, (M, P, NEXT_UPDATE)], id="a new contact marked pending"),
    pytest.param(StatusRequest.LEAVE_AT_UPDATE, True, P, [MADE, (M, P, NEXT_UPDATE)], id="as-marketing then pending"),
    pytest.param(StatusRequest.LEAVE_AT_UPDATE, False, N, [], id="until next update alone on the default"),
]


@pytest.mark.parametrize(("request_", "as_marketing", "state", "events"), NEW)
def test_a_new_contact_is_created_in_its_rows_status_or_the_default_then_its_request_applies(
    request_: StatusRequest | None, as_marketing: bool, state: State, events: list[object]
) -> None:
    record = fold([row("new@example.com", request_)], as_marketing=as_marketing)
    assert (record.id, record.state, record.events) == (None, state, events)


def test_a_later_row_updates_the_contact_an_earlier_row_created() -> None:
    rows = [
        row("Ada@example.com", StatusRequest.MARKETING, first_name="Ada", lifecycle_stage="lead"),
        row("ADA@example.com", StatusRequest.NON_MARKETING, line=3, first_name="Augusta"),
    ]
    folded = fold_rows(rows, {}, as_marketing=False, today=TODAY, effective=NEXT_UPDATE)
    assert (folded.created, folded.updated) == (1, 1)
    record = folded.records["ada@example.com"]
    assert record.fields == {"email": "Ada@example.com", "first_name": "Augusta", "lifecycle_stage": "lead"}
    assert (record.state, record.events) == (P, [MADE, (M, P, NEXT_UPDATE)])


def test_an_existing_contact_keeps_the_fields_its_row_leaves_empty() -> None:
    record = fold([row("old@example.com", last_name="King")], existing(M, first_name="Ada", last_name="Lovelace"))
    assert record.fields == {"email": "old@example.com", "first_name": "Ada", "last_name": "King"}
    assert (record.id, record.state, record.events) == (7, M, [])


def test_new_contacts_created_by_the_same_request_do_not_share_their_events() -> None:
    rows = [row(f"n{i}@example.com", StatusRequest.MARKETING) for i in range(2)] + [
        row("n0@example.com", StatusRequest.NON_MARKETING, line=4)
    ]
    folded = fold_rows(rows, {}, as_marketing=False, today=TODAY, effective=NEXT_UPDATE)
    assert folded.records["n0@example.com"].events == [MADE, (M, P, NEXT_UPDATE)]
    assert folded.records["n1@example.com"].events == [MADE]


@pytest.mark.parametrize(
    ("events", "counts"),
    [
        pytest.param([MADE], (1, 0, 0), id="created marketing"),
        pytest.param([(N, M, TODAY)], (1, 0, 0), id="made marketing"),
        pytest.param([(M, P, NEXT_UPDATE)], (0, 1, 0), id="scheduled"),
        pytest.param([(P, M, TODAY)], (0, 0, 1), id="undone"),
        pytest.param([MADE, (M, P, NEXT_UPDATE)], (1, 1, 0), id="created until next update"),
        pytest.param([], (0, 0, 0), id="nothing moved"),
    ],
)
def test_the_events_are_counted_as_made_marketing_scheduled_and_undone(
    events: list[tuple[State | None, State, date]], counts: tuple[int, int, int]
) -> None:
    found = event_counts([Record(1, {}, M, events)])
    assert (found["made_marketing"], found["scheduled"], found["undone"]) == counts
