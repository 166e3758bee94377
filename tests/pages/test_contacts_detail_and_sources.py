"""The contact detail page and the Default status by source page, in AppTest."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.conftest import Cli
from tests.factories import state_of
from tests.pages.contacts_app import known_database, open_contacts, select_rows

DETAIL = "pages/contacts/contact.py"
SOURCES = "pages/contacts/sources.py"


def test_opening_a_contact_shows_why_it_is_marketing_and_its_history(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    known_database(app_env)
    cli = Cli(app_env)
    made = cli("create-contact", "--source", "form", "--source-id", "webinar", "--email", "w@example.com")
    cli("--actor", "ops", "set-status", "--to", "non-marketing", "--ids", str(made["contact_id"]))
    at = open_contacts(open_app)
    select_rows(at, [0])  # newest first: the contact the form just created
    at.button(key="ct_open").click().run()
    assert at.title[0].value == "Contact 13" and at.caption[0].value.startswith("w@example.com · ID 13")
    why = " ".join(m.value for m in at.markdown)
    assert "**Marketing status:** Marketing contact until next update (non-marketing from 01 Dec 2026)" in why
    assert "Made marketing by form webinar" in why and "until 01 Dec 2026" in why and "by ops" in why
    history = at.dataframe[0].value
    assert list(history["To"]) == ["Marketing contact until next update", "Marketing contact"]
    assert list(history["By"]) == ["ops", "cli"]
    assert list(history["Source"]) == ["bulk action", "form webinar"]
    assert any(c.value == "Record ID mk-13 (created here)" for c in at.caption)  # docs/domain.md §11


def test_editing_a_contact_shows_email_errors_in_the_form_and_saves_valid_fields(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    engine = known_database(app_env)
    at = open_app()
    at.session_state["contact_id"] = 1
    at.switch_page(DETAIL).run()
    at.text_input(key="cd_email").set_value("m1@example.com")
    at.button(key="FormSubmitter:cd_edit-Save").click().run()
    assert "already has the email m1@example.com" in at.error[0].value
    at.text_input(key="cd_email").set_value("renamed@example.com")
    at.text_input(key="cd_first").set_value("Mia")
    at.button(key="FormSubmitter:cd_edit-Save").click().run()
    assert "Saved 2 change(s)." in at.success[0].value
    assert at.title[0].value == "Mia" and "renamed@example.com" in at.caption[0].value
    assert state_of(engine, "renamed@example.com") == "marketing"


def test_deleting_from_the_detail_page_keeps_the_history_visible(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    known_database(app_env)
    at = open_app()
    at.switch_page(DETAIL).run()
    at.text_input(key="cd_lookup").set_value("p0@example.com").run()
    assert "p0@example.com" in at.caption[0].value
    assert at.button(key="cd_delete").disabled
    at.checkbox(key="cd_delete_sure").check().run()
    at.button(key="cd_delete").click().run()
    assert "Marketing contacts: 8 → 7" in at.success[0].value
    assert at.title[0].value == "Contact (deleted)"
    assert list(at.dataframe[0].value["To"]) == ["deleted"]
    assert Cli(app_env)("usage")["tier_limit"] == 2000


def test_one_contacts_status_changes_from_its_own_page_through_the_same_dialog(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    engine = known_database(app_env)
    cli = Cli(app_env)
    at = open_app()
    at.session_state["contact_id"] = 9  # n0@example.com: non-marketing
    at.switch_page(DETAIL).run()
    at.button(key="cd_to_marketing").click().run()
    assert not at.exception, at.exception
    assert at.button(key="ct_dlg_confirm").disabled, "set as marketing waits for the typed count"
    at.text_input(key="ct_dlg_typed").set_value("1").run()
    at.button(key="ct_dlg_confirm").click().run()
    assert "1 contact became marketing" in at.success[0].value
    assert state_of(engine, "n0@example.com") == "marketing" and cli("usage")["marketing"] == 9
    at.button(key="cd_to_non_marketing").click().run()
    at.button(key="ct_dlg_confirm").click().run()
    assert "Scheduled 1 contact as non-marketing" in at.success[0].value
    assert state_of(engine, "n0@example.com") == "pending"
    assert any("Marketing contact until next update" in m.value for m in at.markdown), "the page shows the new status"


def test_switching_a_form_on_needs_consent_and_off_applies_at_once(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    known_database(app_env)
    cli = Cli(app_env)
    cli("sources", "set", "--source", "form", "--source-id", "contact-us", "--marketing", "false")
    cli("create-contact", "--source", "integration", "--source-id", "crm", "--email", "early@example.com")
    at = open_app(SOURCES)
    switch = at.toggle(key="src_form_contact-us")
    assert switch.value is False and at.toggle(key="src_integration_crm").value is False
    switch.set_value(True).run()
    assert at.toggle(key="src_form_contact-us").value is False, "on only after confirming"
    assert "8 marketing contacts on a 2,000-contact tier: 1,992 more fit" in at.warning[0].value
    assert at.button(key="src_confirm_on").disabled
    at.checkbox(key="src_agree").check().run()
    at.button(key="src_confirm_on").click().run()
    assert at.toggle(key="src_form_contact-us").value is True
    assert (
        cli("create-contact", "--source", "form", "--source-id", "contact-us", "--email", "x@example.com")["status"]
        == "marketing"
    )
    at.toggle(key="src_form_contact-us").set_value(False).run()
    assert "new contacts are now non-marketing" in at.success[0].value
    assert {(t["source_id"], t["marketing"]) for t in cli("sources", "list")["tools"]} == {
        ("contact-us", False),
        ("crm", False),
    }
    fixed = at.dataframe[0].value
    assert "Logged 1:1 email" in set(fixed["Source"]) and "Always non-marketing" in set(fixed["New contacts"])


def test_adding_a_connected_app_lists_it_with_its_default(open_app: Callable[..., AppTest], app_env: str) -> None:
    known_database(app_env)
    at = open_app(SOURCES)
    at.selectbox(key="src_add_type").set_value("integration")
    at.text_input(key="src_add_id").set_value("shopify")
    at.text_input(key="src_add_name").set_value("Shop")
    at.button(key="FormSubmitter:src_add-Add with its default").click().run()
    assert "Added Shop." in at.success[0].value
    assert at.toggle(key="src_integration_shopify").value is False
    at.selectbox(key="src_add_type").set_value("integration")
    at.text_input(key="src_add_id").set_value("shopify")
    at.text_input(key="src_add_name").set_value("Another name")
    at.button(key="FormSubmitter:src_add-Add with its default").click().run()
    assert "is already listed above" in at.error[0].value, "not renamed behind the user's back"
    assert any("Shop" in t.label for t in at.toggle)
    at.text_input(key="src_add_id").set_value("  ")
    at.button(key="FormSubmitter:src_add-Add with its default").click().run()
    assert "Give the connected app its ID" in at.error[0].value and "--" not in at.error[0].value
