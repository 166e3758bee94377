"""Binding confirmations in the dashboard (docs/domain.md §10), with two sessions on one database as two tabs
would be: what one session's dialog showed is what its confirmation applies; when another session (or the
command line) changed the contacts meanwhile, nothing is written, the dialog stays open with the new figures,
and confirming those goes through."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from core.services.workflows import definitions as workflows
from core.store.engine import make_engine
from tests.conftest import TODAY, Cli
from tests.factories import add_contacts, state_of
from tests.pages.contacts_app import dialog, dialog_metrics, dialog_text, known_database, open_contacts, select_rows
from tests.pages.usage_app import click, keep_running_app_py, metrics, number, open_tab

CREATE = "FormSubmitter:ct_new_contact-Create contact"


def _create_by_hand(at: AppTest, email: str, *, marketing: bool = False) -> None:
    at.text_input(key="ct_new_email").set_value(email)
    if marketing:
        at.checkbox(key="ct_new_marketing").check()
    at.button(key=CREATE).click().run()
    assert not at.exception, at.exception


def test_a_bulk_change_that_another_session_grew_is_refused_shown_anew_and_then_applied(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    engine = known_database(app_env)  # 6 marketing, 2 pending, 4 non-marketing
    tab_a, tab_b = open_contacts(open_app), open_contacts(open_app)
    tab_a.radio(key="ct_quick").set_value("non_marketing").run()
    tab_a.radio(key="ct_scope").set_value("all").run()
    tab_a.menu_button(key="ct_more").click("marketing").run()
    assert dialog_metrics(tab_a)["Become marketing now"] == "4"
    tab_a.checkbox(key="ct_dlg_all").check().run()
    tab_a.text_input(key="ct_dlg_typed").set_value("4").run()
    _create_by_hand(tab_b, "late@example.com")  # tab B adds a non-marketing contact meanwhile
    assert state_of(engine, "late@example.com") == "non_marketing"
    before = Cli(app_env)("usage")

    tab_a.button(key="ct_dlg_confirm").click().run()
    assert dialog(tab_a) is not None, "the dialog stays open"
    assert (
        "Someone changed these contacts meanwhile: 4 contacts were confirmed, 5 would now change. "
        "Nothing was changed. Review the new figures and confirm again." in dialog_text(tab_a)
    )
    assert dialog_metrics(tab_a)["Become marketing now"] == "5"
    assert "all contacts matching this filter (5)" in dialog_text(tab_a)
    assert tab_a.text_input(key="ct_dlg_typed").value == "", "the new count is typed again"
    assert tab_a.button(key="ct_dlg_confirm").disabled
    assert Cli(app_env)("usage") == before, "nothing written"

    tab_a.checkbox(key="ct_dlg_all").check().run()
    tab_a.text_input(key="ct_dlg_typed").set_value("5").run()
    tab_a.button(key="ct_dlg_confirm").click().run()
    assert "5 contacts became marketing" in tab_a.success[0].value
    assert Cli(app_env)("usage")["marketing"] == 13 and state_of(engine, "late@example.com") == "marketing"


def test_a_delete_whose_matching_contacts_another_session_grew_is_refused_and_recounted(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    engine = known_database(app_env)
    tab_a, tab_b = open_contacts(open_app), open_contacts(open_app)
    tab_a.radio(key="ct_quick").set_value("non_marketing").run()
    tab_a.radio(key="ct_scope").set_value("all").run()
    tab_a.menu_button(key="ct_more").click("delete").run()
    tab_a.checkbox(key="ct_dlg_all").check().run()
    tab_a.text_input(key="ct_dlg_typed").set_value("4").run()
    _create_by_hand(tab_b, "late@example.com")
    tab_a.button(key="ct_dlg_confirm").click().run()
    assert "4 contacts were confirmed, 5 would now be deleted. Nothing was deleted." in dialog_text(tab_a)
    assert "Delete **5** contacts (all contacts matching this filter (5))" in dialog_text(tab_a)
    assert state_of(engine, "late@example.com") == "non_marketing" and Cli(app_env)("usage")["total"] == 13
    tab_a.checkbox(key="ct_dlg_all").check().run()
    tab_a.text_input(key="ct_dlg_typed").set_value("5").run()
    tab_a.button(key="ct_dlg_confirm").click().run()
    assert "Deleted 5 contacts" in tab_a.success[0].value and Cli(app_env)("usage")["total"] == 8


def test_a_tier_consented_in_the_dialog_binds_when_the_command_line_raised_the_count_meanwhile(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    engine = known_database(app_env)
    add_contacts(engine, 1_992, state="marketing", prefix="full")  # 2,000 marketing: the tier is full
    tab_a = open_contacts(open_app)
    tab_a.radio(key="ct_quick").set_value("non_marketing").run()
    select_rows(tab_a, [0])
    tab_a.menu_button(key="ct_more").click("marketing").run()
    assert "raises the billed tier from **2,000** to **7,000**" in dialog_text(tab_a)
    tab_a.text_input(key="ct_dlg_typed").set_value("1").run()
    tab_a.checkbox(key="ct_dlg_upgrade").check().run()
    add_contacts(engine, 5_000, state="non_marketing", prefix="x", lifecycle_stage="event")
    cli = Cli(app_env)  # meanwhile, a script makes 5,000 more contacts marketing (7,000 in all)
    cli("set-status", "--to", "marketing", "--filter", json.dumps([{"property": "lifecycle_stage", "operator": "eq",
        "value": "event"}]), "--allow-tier-upgrade")  # fmt: skip
    before = cli("usage")
    assert (before["marketing"], before["tier_limit"]) == (7_000, 7_000)

    tab_a.button(key="ct_dlg_confirm").click().run()
    text = dialog_text(tab_a)
    assert "the billed tier would rise to 12,000, 7,000 was agreed to" in text
    assert "raises the billed tier from **7,000** to **12,000**" in text, "the new figures"
    assert not tab_a.checkbox(key="ct_dlg_upgrade").value, "consent is asked again"
    assert cli("usage") == before, "nothing written"
    tab_a.text_input(key="ct_dlg_typed").set_value("1").run()
    tab_a.checkbox(key="ct_dlg_upgrade").check().run()
    tab_a.button(key="ct_dlg_confirm").click().run()
    assert "Billed tier raised to 12,000" in tab_a.success[0].value
    assert cli("usage")["tier_limit"] == 12_000


def test_a_marketing_contact_created_by_hand_binds_the_tier_the_form_showed(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    engine = known_database(app_env)
    add_contacts(engine, 1_992, state="marketing", prefix="full")
    tab_a = open_contacts(open_app)
    consent = tab_a.checkbox(key="ct_new_upgrade")
    assert consent.label == "I agree to the 7,000-contact tier at 1,140 USD a month"
    consent.check()
    add_contacts(engine, 5_000, state="marketing", prefix="x")  # meanwhile, elsewhere
    _create_by_hand(tab_a, "keen@example.com", marketing=True)
    warning = tab_a.warning[0].value
    assert (
        "Someone changed the contacts meanwhile: the billed tier would rise to 12,000, 7,000 was agreed to" in warning
    )
    assert "Nothing was created" in warning
    assert tab_a.checkbox(key="ct_new_upgrade").label == "I agree to the 12,000-contact tier at 1,390 USD a month"
    assert not tab_a.checkbox(key="ct_new_upgrade").value
    assert Cli(app_env)("contacts", "page", "--filter", '[{"property": "email", "operator": "eq", "value": '
        '"keen@example.com"}]')["contacts"] == []  # fmt: skip
    tab_a.checkbox(key="ct_new_upgrade").check()
    tab_a.button(key=CREATE).click().run()
    assert state_of(engine, "keen@example.com") == "marketing"
    assert Cli(app_env)("usage")["tier_limit"] == 12_000


def test_the_wizard_refuses_an_update_whose_reviewed_count_changed_and_shows_the_new_one(
    open_app: Callable[..., AppTest], app_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep_running_app_py(monkeypatch)
    engine = known_database(app_env)
    add_contacts(engine, 3, state="marketing", prefix="u", hard_bounced=True)
    at = click(open_tab(open_app(), "Manage marketing contacts"), "wiz_start")
    click(click(at, "wiz_next"), "wiz_next")  # the unengaged contacts, no filter, no list
    assert number(metrics(at)["Become non-marketing"]) == 3
    add_contacts(engine, 1, state="marketing", prefix="late", hard_bounced=True)  # bounced meanwhile
    before = Cli(app_env)("usage")
    click(at, "wiz_update")
    assert "4 contacts" not in (at.success[0].value if at.success else "")
    assert any("3 contacts were confirmed, 4 would now change" in w.value for w in at.warning)
    assert number(metrics(at)["Become non-marketing"]) == 4, "the Review shows the new figures"
    assert Cli(app_env)("usage") == before, "nothing written"
    click(at, "wiz_update")
    assert at.success[0].value.startswith("Contacts updated: 4 become non-marketing")


def test_enabling_a_workflow_is_refused_when_its_dry_run_changed_and_the_new_one_is_shown(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    engine = known_database(app_env)
    add_contacts(engine, 2_500, state="non_marketing", prefix="w", lifecycle_stage="event")
    flow = {
        "name": "Events in",
        "criteria": [{"property": "lifecycle_stage", "operator": "eq", "value": "event"}],
        "actions": [{"type": "set_marketing_status", "to": "marketing"}],
    }
    made = workflows.create_workflow(make_engine(app_env), definition=flow, today=TODAY, actor="ana")
    at = open_app("pages/workflows/workflows.py")
    at.selectbox(key="wf_pick").select(made.id).run()
    click(at, "wf_dry_run")
    assert number(metrics(at)["Would enroll now"]) == 2_500
    at.checkbox(key="wf_consent").check().run()
    add_contacts(engine, 5_000, state="non_marketing", prefix="late", lifecycle_stage="event")
    click(at, "wf_enable")
    assert any("2,500 contacts were confirmed, 7,500 would now enroll" in w.value for w in at.warning)
    assert number(metrics(at)["Would enroll now"]) == 7_500 and number(metrics(at)["Billed tier"]) == 12_000
    assert not at.checkbox(key="wf_consent").value and at.button(key="wf_enable").disabled
    assert Cli(app_env)("workflows", "show", str(made.id))["enabled"] is False
    at.checkbox(key="wf_consent").check().run()
    click(at, "wf_enable")
    shown = Cli(app_env)("workflows", "show", str(made.id))
    assert (shown["enabled"], shown["max_tier"]) == (True, 12_000)
