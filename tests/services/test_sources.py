"""Default status of new contacts by the tool that creates them (docs/domain.md §5), through create-contact and
services."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from core.errors import DomainError
from core.services.contacts import create_contact_by_hand
from core.services.sources import FIXED_SOURCES, create_contact, list_source_settings, set_source_default
from tests.conftest import TODAY, Cli
from tests.factories import NEXT_UPDATE, add_contacts, contact, events_of, state_of


def _create(cli: Cli, source: str, email: str, *extra: str, source_id: str | None = None) -> dict:
    ids = ["--source-id", source_id] if source_id else []
    return cli("create-contact", "--source", source, *ids, "--email", email, *extra)


def test_a_form_makes_new_contacts_marketing_by_default_and_says_why(cli: Cli, engine: Engine) -> None:
    out = _create(cli, "form", "ada@example.com", "--first-name", "Ada", source_id="contact-us")
    assert out["created"] is True and out["status"] == "marketing" and out["changed"] is True
    assert "form contact-us" in out["reason"] and "by default" in out["reason"]
    assert state_of(engine, "ada@example.com") == "marketing"
    found = contact(engine, "ada@example.com")
    assert (found["source_type"], found["source_id"], found["first_name"]) == ("form", "contact-us", "Ada")
    assert (found["status_source_type"], found["status_source_id"]) == ("form", "contact-us")
    [event] = events_of(engine, out["contact_id"])
    assert (event["old_state"], event["new_state"], event["source_type"], event["actor"]) == (
        None,
        "marketing",
        "form",
        "cli",
    )
    assert cli("usage")["marketing"] == 1


def test_a_form_switched_off_creates_non_marketing_contacts(cli: Cli, engine: Engine) -> None:
    cli("sources", "set", "--source", "form", "--source-id", "quiet", "--marketing", "false")
    out = _create(cli, "form", "bo@example.com", source_id="quiet")
    assert out["status"] == "non_marketing"
    assert "switched off" in out["reason"]
    assert cli("usage")["marketing"] == 0


def test_submitting_a_form_that_is_on_makes_an_existing_non_marketing_contact_marketing(
    cli: Cli, engine: Engine
) -> None:
    [cid] = add_contacts(engine, 1, state="non_marketing", prefix="old")
    out = _create(cli, "form", "old0@example.com", source_id="webinar")
    assert (out["created"], out["previous_status"], out["status"]) == (False, "non_marketing", "marketing")
    assert out["contact_id"] == cid
    assert "makes the contact marketing" in out["reason"]
    assert events_of(engine, cid)[-1]["old_state"] == "non_marketing"
    assert cli("usage")["marketing"] == 1


def test_submitting_a_form_that_is_on_undoes_a_pending_change_without_new_billing(cli: Cli, engine: Engine) -> None:
    [cid] = add_contacts(engine, 1, state="pending", prefix="p")
    before = cli("usage")
    out = _create(cli, "form", "p0@example.com", source_id="webinar")
    assert (out["previous_status"], out["status"]) == ("pending", "marketing")
    assert "undoes the pending change" in out["reason"]
    found = contact(engine, "p0@example.com")
    assert found["pending_non_marketing"] is False and found["effective_on"] is None
    after = cli("usage")
    assert (after["marketing"], after["pending"]) == (before["marketing"], before["pending"] - 1)
    assert events_of(engine, cid)[-1]["new_state"] == "marketing"


def test_submitting_a_form_leaves_a_marketing_contact_as_it_is(cli: Cli, engine: Engine) -> None:
    [cid] = add_contacts(engine, 1, state="marketing", prefix="m")
    out = _create(cli, "form", "M0@example.com", source_id="webinar")
    assert (out["changed"], out["status"], out["contact_id"]) == (False, "marketing", cid)
    assert events_of(engine, cid) == []


def test_a_form_that_is_off_leaves_an_existing_contact_as_it_is(cli: Cli, engine: Engine) -> None:
    add_contacts(engine, 1, state="non_marketing", prefix="n")
    cli("sources", "set", "--source", "form", "--source-id", "quiet", "--marketing", "false")
    out = _create(cli, "form", "n0@example.com", source_id="quiet")
    assert (out["changed"], out["status"]) == (False, "non_marketing")
    assert "keeps its status" in out["reason"]


def test_a_chatflow_creates_non_marketing_contacts_until_switched_on_and_never_changes_existing_ones(
    cli: Cli, engine: Engine
) -> None:
    assert _create(cli, "chatflow", "c1@example.com", source_id="bot")["status"] == "non_marketing"
    cli("sources", "set", "--source", "chatflow", "--source-id", "bot", "--marketing", "true")
    assert _create(cli, "chatflow", "c2@example.com", source_id="bot")["status"] == "marketing"
    again = _create(cli, "chatflow", "c1@example.com", source_id="bot")
    assert (again["changed"], again["status"]) == (False, "non_marketing")


def test_an_app_switched_on_affects_only_contacts_it_creates_afterwards(cli: Cli, engine: Engine) -> None:
    before = _create(cli, "integration", "early@example.com", source_id="crm-sync")
    assert before["status"] == "non_marketing" and "by default" in before["reason"]
    switched = cli("sources", "set", "--source", "integration", "--source-id", "crm-sync", "--marketing", "true")
    assert switched["marketing"] is True and switched["switched_on_at"] is not None
    assert state_of(engine, "early@example.com") == "non_marketing", "switching on changes no existing contact"
    later = _create(cli, "integration", "late@example.com", source_id="crm-sync")
    assert later["status"] == "marketing" and "switched on" in later["reason"]
    resync = _create(cli, "integration", "early@example.com", source_id="crm-sync")
    assert (resync["changed"], resync["status"]) == (False, "non_marketing")
    assert "only contacts it creates" in resync["reason"]


def test_switching_an_app_off_keeps_the_contacts_it_made_marketing(cli: Cli, engine: Engine) -> None:
    cli("sources", "set", "--source", "integration", "--source-id", "app", "--marketing", "true")
    _create(cli, "integration", "a@example.com", source_id="app")
    off = cli("sources", "set", "--source", "integration", "--source-id", "app", "--marketing", "false")
    assert off["switched_on_at"] is None
    assert state_of(engine, "a@example.com") == "marketing"
    assert _create(cli, "integration", "b@example.com", source_id="app")["status"] == "non_marketing"


def test_manual_creation_is_non_marketing_unless_the_creator_picks_marketing(cli: Cli, engine: Engine) -> None:
    assert _create(cli, "manual", "m1@example.com")["status"] == "non_marketing"
    picked = _create(cli, "manual", "m2@example.com", "--marketing")
    assert picked["status"] == "marketing" and "by hand as marketing" in picked["reason"]
    existing = _create(cli, "manual", "m1@example.com", "--marketing")
    assert (existing["created"], existing["status"]) == (False, "non_marketing"), "an existing contact keeps it"


def test_creating_by_hand_in_the_app_refuses_an_email_that_exists(engine: Engine) -> None:
    create_contact_by_hand(engine, email="dup@example.com", today=TODAY, actor="ann")
    with pytest.raises(DomainError, match="already exists"):
        create_contact_by_hand(engine, email="DUP@example.com", today=TODAY, actor="ann", marketing=True)
    with pytest.raises(DomainError, match=r"(?i)invalid email"):
        create_contact_by_hand(engine, email="not-an-email", today=TODAY, actor="ann")


@pytest.mark.parametrize("source", FIXED_SOURCES)
def test_fixed_sources_always_create_non_marketing_contacts(cli: Cli, engine: Engine, source: str) -> None:
    out = _create(cli, source, f"{source}@example.com", source_id="x1")
    assert out["status"] == "non_marketing" and "always creates non-marketing" in out["reason"]
    cli("create-contact", "--source", source, "--email", "y@example.com", "--marketing", expect=2)
    assert "manual creation" in cli.message


def test_a_fixed_source_leaves_an_existing_marketing_contact_marketing(cli: Cli, engine: Engine) -> None:
    add_contacts(engine, 1, state="marketing", prefix="k")
    out = _create(cli, "logged_email", "k0@example.com")
    assert (out["changed"], out["status"]) == (False, "marketing")


def test_an_import_creates_non_marketing_contacts_unless_it_sets_all_as_marketing(cli: Cli, engine: Engine) -> None:
    assert _create(cli, "import", "i1@example.com", source_id="7")["status"] == "non_marketing"
    assert _create(cli, "import", "i2@example.com", "--marketing", source_id="7")["status"] == "marketing"


def test_create_contact_errors_are_plain_messages(cli: Cli) -> None:
    cli("create-contact", "--source", "form", "--email", "a@example.com", expect=2)
    assert "needs its ID" in cli.message
    cli("create-contact", "--source", "form", "--source-id", "f", "--email", "a@example.com", "--marketing", expect=2)
    cli("create-contact", "--source", "carrier_pigeon", "--email", "a@example.com", expect=2)
    assert "unknown source" in cli.message
    cli("create-contact", "--source", "manual", "--email", "nope", expect=2)
    assert "invalid email" in cli.message.lower()
    cli("sources", "set", "--source", "manual", "--source-id", "x", "--marketing", "true", expect=2)


def test_automated_sources_raise_the_tier_at_once_but_a_person_must_consent(cli: Cli, engine: Engine) -> None:
    add_contacts(engine, 2000, state="marketing", prefix="full")
    out = _create(cli, "form", "over@example.com", source_id="signup")
    assert (out["tier_limit_before"], out["tier_limit_after"]) == (2000, 7000)
    assert cli("usage")["tier_limit"] == 7000
    add_contacts(engine, 4999, state="marketing", prefix="more")
    refused = cli("create-contact", "--source", "manual", "--email", "h@example.com", "--marketing", expect=3)
    assert refused["tier_limit_after"] == 12000 and "raise the billed tier" in cli.message
    ok = _create(cli, "manual", "h@example.com", "--marketing", "--allow-tier-upgrade")
    assert ok["tier_limit_after"] == 12000 and cli("usage")["tier_limit"] == 12000


def test_tools_are_registered_when_first_seen_and_can_be_named(engine: Engine) -> None:
    create_contact(engine, source="form", source_id="f1", email="x@example.com", today=TODAY, actor="t")
    set_source_default(
        engine, source="chatflow", source_id="c1", marketing=None, name="Help bot", today=TODAY, actor="t"
    )
    found = {(s.source_type, s.source_id): s for s in list_source_settings(engine)}
    assert found[("form", "f1")].marketing is True and found[("form", "f1")].is_default
    assert found[("chatflow", "c1")].name == "Help bot" and found[("chatflow", "c1")].marketing is False
    with pytest.raises(DomainError, match="no per-tool setting"):
        set_source_default(engine, source="import", source_id="1", marketing=True, today=TODAY, actor="t")


def test_a_due_pending_contact_is_caught_up_before_a_form_submission(cli: Cli, engine: Engine) -> None:
    add_contacts(engine, 1, state="pending", prefix="due", effective_on=NEXT_UPDATE)
    out = _create(cli, "chatflow", "due0@example.com", source_id="bot")
    assert out["status"] == "pending"
    later = cli(
        "create-contact", "--source", "form", "--source-id", "f", "--email", "due0@example.com", today=date(2026, 12, 2)
    )
    assert (later["previous_status"], later["status"]) == ("non_marketing", "marketing")
