"""Every row of docs/domain.md §2: what a status request does to a contact in each state."""

from __future__ import annotations

import pytest

from core.rules.status import MarketingStatus, Outcome, State, UpdateDate, changes, transition

M, P, N = State.MARKETING, State.PENDING, State.NON_MARKETING
TO_M, TO_N = MarketingStatus.MARKETING, MarketingStatus.NON_MARKETING

# (request, current state, resulting state, outcome = the set-status JSON key it counts under)
SECTION_2 = [
    pytest.param(TO_N, M, P, Outcome.SCHEDULED, id="non-marketing on a marketing contact schedules it as pending"),
    pytest.param(TO_N, P, P, Outcome.UNCHANGED, id="non-marketing on a pending contact is not included"),
    pytest.param(TO_N, N, N, Outcome.UNCHANGED, id="non-marketing on a non-marketing contact is not included"),
    pytest.param(TO_M, N, M, Outcome.CHANGED, id="marketing on a non-marketing contact makes it marketing now"),
    pytest.param(TO_M, P, M, Outcome.UNDONE, id="marketing on a pending contact undoes the scheduled change"),
    pytest.param(TO_M, M, M, Outcome.UNCHANGED, id="marketing on a marketing contact leaves it unchanged"),
]


@pytest.mark.parametrize(("target", "state", "expected", "outcome"), SECTION_2)
def test_each_request_on_each_state_follows_the_table_of_section_2(
    target: MarketingStatus, state: State, expected: State, outcome: Outcome
) -> None:
    result = transition(state, target)
    assert (result.old, result.new, result.outcome) == (state, expected, outcome)


def test_the_table_covers_every_state_and_every_request() -> None:
    covered = {(p.values[1], p.values[0]) for p in SECTION_2}
    assert covered == {(s, t) for s in State for t in MarketingStatus}


def apply_update(state: State) -> State:
    return transition(state, UpdateDate.COME).new


@pytest.mark.parametrize("state", list(State))
def test_setting_non_marketing_never_makes_a_contact_non_marketing_at_once(state: State) -> None:
    assert transition(state, TO_N).new != N or state == N


@pytest.mark.parametrize(
    ("state", "billed_after"),
    [
        pytest.param(M, True, id="a scheduled contact stays billed until the update date"),
        pytest.param(N, True, id="a contact made marketing is billed from now"),
        pytest.param(P, True, id="an undone contact was billed and stays billed"),
    ],
)
def test_billing_after_a_change_follows_the_new_state(state: State, billed_after: bool) -> None:
    target = TO_N if state == M else TO_M
    assert transition(state, target).new.is_billed is billed_after


def test_undoing_a_pending_contact_adds_no_new_billing() -> None:
    assert P.is_billed and transition(P, TO_M).new.is_billed


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        pytest.param(TO_N, {M: Outcome.SCHEDULED}, id="non-marketing changes only marketing contacts"),
        pytest.param(TO_M, {N: Outcome.CHANGED, P: Outcome.UNDONE}, id="marketing changes non-marketing and pending"),
    ],
)
def test_the_states_a_request_changes_are_the_ones_the_table_changes(target: MarketingStatus, expected: dict) -> None:
    assert {t.old: t.outcome for t in changes(target)} == expected


@pytest.mark.parametrize(
    ("state", "after_update"),
    [
        pytest.param(P, N, id="a due pending contact becomes non-marketing on the update date"),
        pytest.param(M, M, id="a marketing contact stays marketing on the update date"),
        pytest.param(N, N, id="a non-marketing contact stays non-marketing on the update date"),
    ],
)
def test_the_update_date_only_moves_pending_contacts(state: State, after_update: State) -> None:
    assert apply_update(state) == after_update


def test_the_update_date_moves_pending_contacts_and_counts_them_as_left() -> None:
    assert changes(UpdateDate.COME) == (transition(P, UpdateDate.COME),)
    assert transition(P, UpdateDate.COME).outcome == Outcome.LEFT


def test_once_non_marketing_takes_effect_it_stays_until_someone_sets_it_marketing() -> None:
    state = apply_update(transition(M, TO_N).new)
    for _ in range(3):
        state = apply_update(state)
        state = transition(state, TO_N).new
    assert state == N
    assert transition(state, TO_M).new == M


@pytest.mark.parametrize(
    ("status", "pending", "state"),
    [
        pytest.param("marketing", False, M, id="marketing without the flag is marketing"),
        pytest.param("marketing", True, P, id="marketing with the flag is pending"),
        pytest.param("non_marketing", False, N, id="non-marketing is non-marketing"),
        pytest.param(MarketingStatus.NON_MARKETING, True, N, id="a stray flag on non-marketing is ignored"),
    ],
)
def test_the_stored_fields_give_the_state(status: str, pending: bool, state: State) -> None:
    assert State.of(status, pending) == state


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("marketing", TO_M),
        ("Marketing", TO_M),
        ("non-marketing", TO_N),
        ("non_marketing", TO_N),
        (" NON-MARKETING ", TO_N),
    ],
)
def test_a_requested_status_is_read_in_its_usual_spellings(text: str, target: MarketingStatus) -> None:
    assert MarketingStatus.parse(text) == target


@pytest.mark.parametrize("text", ["", "pending", "nonmarketing", "true"])
def test_an_unknown_requested_status_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="unknown status"):
        MarketingStatus.parse(text)
