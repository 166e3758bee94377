"""Binding confirmations on SQLite and PostgreSQL (docs/domain.md §10): what a person confirmed — the contacts
that change, the tier and price after — travels with the request; a change that would now differ is refused
inside its transaction with nothing written (no contact, event, operation or tier change) and the new figures."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine

from core.errors import ConfirmationOutdated, TierUpgradeRequired
from core.rules.confirmation import Confirmed
from core.rules.filters import parse_filter
from core.rules.selection import Selection
from core.rules.status import MarketingStatus
from core.services import wizard
from core.services.contacts import create_contact_by_hand, delete_contacts
from core.services.status import preview_status_change, set_status
from core.services.usage import get_usage
from core.services.workflows import definitions as workflows
from tests.conftest import TODAY
from tests.factories import add_contacts, count, snapshot, state_of

LEADS = [{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}]
LEAD_FILTER = Selection(conditions=parse_filter(json.dumps(LEADS)))  # "all matching contacts" of a filter
TO = MarketingStatus.MARKETING


def _preview(engine: Engine, selection: Selection, to: MarketingStatus = TO) -> Confirmed:
    """What a dialog shows and the person confirms: every figure of the preview."""
    return Confirmed.of(preview_status_change(engine, selection=selection, to=to, today=TODAY).figures)


def _set(engine: Engine, selection: Selection, confirmed: Confirmed, to: MarketingStatus = TO) -> object:
    return set_status(engine, selection=selection, to=to, today=TODAY, actor="ana", confirmed=confirmed)


def test_the_issue_a_change_that_grew_between_preview_and_confirm_is_refused_with_nothing_written(
    engine: Engine,
) -> None:
    add_contacts(engine, 600, state="marketing", prefix="m", lifecycle_stage="customer")
    add_contacts(engine, 1_448, state="non_marketing", prefix="a", lifecycle_stage="lead")
    confirmed = _preview(engine, LEAD_FILTER)
    assert (confirmed.changes, confirmed.tier_limit, confirmed.monthly_price) == (1_448, 7_000, 1_140)
    add_contacts(engine, 20_000, state="non_marketing", prefix="b", lifecycle_stage="lead")  # tab B imports
    before = snapshot(engine)
    with pytest.raises(ConfirmationOutdated) as refused:
        _set(engine, LEAD_FILTER, confirmed)
    assert refused.value.differences == [
        "1,448 contacts were confirmed, 21,448 would now change",
        "the billed tier would rise to 27,000, 7,000 was agreed to",
        "the monthly price would be 2,140 USD, 1,140 USD was agreed to",
    ]
    figures = refused.value.payload
    assert (figures["will_change"], figures["tier_limit_after"], figures["monthly_price_after"]) == (
        21_448,
        27_000,
        2_140,
    )
    assert snapshot(engine) == before, "no contact, event, operation or tier change"
    assert get_usage(engine, today=TODAY).tier_limit == 2_000


def test_a_change_equal_to_what_was_confirmed_goes_through_and_the_confirmed_tier_is_the_consent(
    engine: Engine,
) -> None:
    add_contacts(engine, 1_999, state="marketing", prefix="m", lifecycle_stage="customer")
    add_contacts(engine, 2, state="non_marketing", prefix="n", lifecycle_stage="lead")
    confirmed = _preview(engine, LEAD_FILTER)
    done = _set(engine, LEAD_FILTER, confirmed)  # no allow_tier_upgrade: the confirmed tier consents
    assert (done.changed, done.tier_limit_after) == (2, 7_000)  # type: ignore[attr-defined]
    assert get_usage(engine, today=TODAY).tier_limit == 7_000
    assert count(engine, "tier_changes") == 1


def test_a_tier_beyond_the_consented_one_is_refused_though_the_same_contacts_change(engine: Engine) -> None:
    add_contacts(engine, 1_999, state="marketing", prefix="m", lifecycle_stage="customer")
    ids = add_contacts(engine, 2, state="non_marketing", prefix="n", lifecycle_stage="lead")
    chosen = Selection(ids=tuple(ids))
    confirmed = _preview(engine, chosen)
    assert confirmed.tier_limit == 7_000
    add_contacts(engine, 5_000, state="marketing", prefix="x", lifecycle_stage="customer")  # elsewhere, meanwhile
    before = snapshot(engine)
    with pytest.raises(ConfirmationOutdated) as refused:
        _set(engine, chosen, confirmed)
    assert refused.value.differences[0] == "the billed tier would rise to 12,000, 7,000 was agreed to"
    assert refused.value.payload["will_change"] == 2
    assert snapshot(engine) == before
    assert [state_of(engine, f"n{i}@example.com") for i in range(2)] == ["non_marketing", "non_marketing"]


def test_the_typed_count_binds_even_when_the_tier_does_not_move(engine: Engine) -> None:
    ids = add_contacts(engine, 3, state="non_marketing", prefix="n", lifecycle_stage="lead")
    chosen = Selection(ids=tuple(ids))
    typed = Confirmed(changes=3)  # the number typed in the dialog
    set_status(engine, selection=Selection(ids=(ids[0],)), to=TO, today=TODAY, actor="bo")  # another tab
    before = snapshot(engine)
    with pytest.raises(ConfirmationOutdated, match="3 contacts were confirmed, 2 would now change"):
        _set(engine, chosen, typed)
    assert snapshot(engine) == before
    done = _set(engine, chosen, Confirmed(changes=2))  # the new figure, typed again
    assert (done.changed, done.unchanged) == (2, 1)  # type: ignore[attr-defined]


def test_without_a_tier_in_the_confirmation_a_rise_still_needs_consent(engine: Engine) -> None:
    add_contacts(engine, 2_000, state="marketing", prefix="m", lifecycle_stage="customer")
    ids = add_contacts(engine, 1, state="non_marketing", prefix="n", lifecycle_stage="lead")
    with pytest.raises(TierUpgradeRequired):
        _set(engine, Selection(ids=tuple(ids)), Confirmed(changes=1))
    assert state_of(engine, "n0@example.com") == "non_marketing"


def test_the_wizard_binds_the_reviewed_count_of_contacts_set_non_marketing(engine: Engine) -> None:
    add_contacts(engine, 3, state="marketing", prefix="u", hard_bounced=True)
    selection = wizard.wizard_selection(unengaged=True)
    review = wizard.review(engine, selection=selection, today=TODAY)
    shown = Confirmed(changes=review.change.will_change)
    add_contacts(engine, 1, state="marketing", prefix="late", hard_bounced=True)  # bounced meanwhile
    before = snapshot(engine)
    with pytest.raises(ConfirmationOutdated, match="3 contacts were confirmed, 4 would now change"):
        wizard.update_contacts(engine, selection=selection, today=TODAY, actor="ana", confirmed=shown)
    assert snapshot(engine) == before
    again = wizard.review(engine, selection=selection, today=TODAY).change
    done = wizard.update_contacts(
        engine, selection=selection, today=TODAY, actor="ana", confirmed=Confirmed(changes=again.will_change)
    )
    assert done.scheduled == 4


def test_a_marketing_contact_created_by_hand_binds_the_consented_tier(engine: Engine) -> None:
    add_contacts(engine, 2_000, state="marketing", prefix="m")  # the 2,000 tier is full
    consented = Confirmed(tier_limit=7_000, monthly_price=1_140)  # what the New contact form showed
    add_contacts(engine, 5_000, state="marketing", prefix="x")  # meanwhile, elsewhere
    before = snapshot(engine)
    with pytest.raises(ConfirmationOutdated, match="the billed tier would rise to 12,000, 7,000 was agreed to"):
        create_contact_by_hand(
            engine, email="new@example.com", marketing=True, today=TODAY, actor="ana", confirmed=consented
        )
    assert snapshot(engine) == before, "no contact created"
    created = create_contact_by_hand(
        engine,
        email="new@example.com",
        marketing=True,
        today=TODAY,
        actor="ana",
        confirmed=Confirmed(tier_limit=12_000, monthly_price=1_390),
    )
    assert (created.status, created.tier_limit_after) == ("marketing", 12_000)
    assert get_usage(engine, today=TODAY).tier_limit == 12_000


def _leads_in(engine: Engine) -> workflows.Workflow:
    to_marketing = [{"type": "set_marketing_status", "to": "marketing"}]
    flow = {"name": "Leads in", "criteria": LEADS, "actions": to_marketing}
    return workflows.create_workflow(engine, definition=flow, today=TODAY, actor="ana")


def test_enabling_a_workflow_binds_its_dry_run_and_stores_the_consented_tier(engine: Engine) -> None:
    add_contacts(engine, 2_500, state="non_marketing", prefix="n", lifecycle_stage="lead")
    flow = _leads_in(engine)
    dry = workflows.dry_run(engine, today=TODAY, workflow_id=flow.id)
    shown = Confirmed.of(dry.figures)
    assert (shown.changes, shown.tier_limit) == (2_500, 7_000)
    add_contacts(engine, 5_000, state="non_marketing", prefix="late", lifecycle_stage="lead")
    before = snapshot(engine)
    with pytest.raises(ConfirmationOutdated) as refused:
        workflows.enable_workflow(engine, flow.id, today=TODAY, actor="ana", confirmed=shown)
    assert refused.value.differences[:2] == [
        "2,500 contacts were confirmed, 7,500 would now enroll",
        "the billed tier would rise to 12,000, 7,000 was agreed to",
    ]
    assert refused.value.payload["workflow_id"] == flow.id
    assert snapshot(engine) == before, "still disabled, no consent stored"
    again = workflows.dry_run(engine, today=TODAY, workflow_id=flow.id)
    workflows.enable_workflow(engine, flow.id, today=TODAY, actor="ana", confirmed=Confirmed.of(again.figures))
    enabled = workflows.get_workflow(engine, flow.id)
    assert (enabled.enabled, enabled.max_tier) == (True, 12_000)


def test_editing_an_enabled_workflow_binds_the_consented_tier(engine: Engine) -> None:
    add_contacts(engine, 1_000, state="non_marketing", prefix="n", lifecycle_stage="lead")
    add_contacts(engine, 4_000, state="non_marketing", prefix="s", lifecycle_stage="subscriber")
    flow = _leads_in(engine)
    workflows.enable_workflow(engine, flow.id, today=TODAY, actor="ana")
    everyone = [{"property": "email", "operator": "is_known"}]
    wider = {"name": "Leads in", "criteria": everyone, "actions": [{"type": "set_marketing_status", "to": "marketing"}]}
    consented = Confirmed(tier_limit=7_000, monthly_price=1_140)  # what the editor showed
    add_contacts(engine, 5_000, state="non_marketing", prefix="x", lifecycle_stage="subscriber")
    with pytest.raises(ConfirmationOutdated, match="would rise to 12,000, 7,000 was agreed to"):
        workflows.update_workflow(engine, flow.id, definition=wider, today=TODAY, actor="ana", confirmed=consented)
    assert workflows.get_workflow(engine, flow.id).revision == 1
    edited = workflows.update_workflow(
        engine, flow.id, definition=wider, today=TODAY, actor="ana", confirmed=Confirmed(tier_limit=12_000)
    )
    assert (edited.revision, edited.max_tier) == (2, 12_000)


def test_a_delete_confirmed_for_some_contacts_deletes_those_or_none(engine: Engine) -> None:
    add_contacts(engine, 12, state="non_marketing", prefix="n", lifecycle_stage="lead")
    typed = Confirmed(changes=12)  # "Type 12 to confirm"
    add_contacts(engine, 2_000, state="non_marketing", prefix="late", lifecycle_stage="lead")  # imported meanwhile
    before = snapshot(engine)
    with pytest.raises(ConfirmationOutdated, match="12 contacts were confirmed, 2,012 would now be deleted"):
        delete_contacts(engine, selection=LEAD_FILTER, today=TODAY, actor="ana", confirmed=typed)
    assert snapshot(engine) == before
    done = delete_contacts(engine, selection=LEAD_FILTER, today=TODAY, actor="ana", confirmed=Confirmed(changes=2_012))
    assert done.deleted == 2_012
