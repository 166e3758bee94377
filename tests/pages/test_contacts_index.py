"""The Contacts index in AppTest: filters, row selection, bulk status dialogs, the "apply to all" path, views, lists."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from core.rules.selection import Selection
from core.rules.status import MarketingStatus
from core.services.status import preview_status_change
from tests.conftest import TODAY, Cli
from tests.factories import add_contacts, state_of
from tests.pages.contacts_app import (
    dialog,
    dialog_metrics,
    dialog_text,
    known_database,
    metrics,
    open_contacts,
    select_rows,
    table,
    use_filter,
)
from tests.pages.usage_app import keep_running_app_py

LEADS = json.dumps([{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}])


def test_quick_filters_and_the_filter_builder_match_the_command_line(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    at = open_contacts(open_app)  # the demo database of a first start
    cli = Cli(app_env)
    everyone = cli("contacts", "page")["matching"]
    assert metrics(at)["Matching contacts"] == f"{everyone['total']:,}"
    assert len(table(at)) == 50
    at.radio(key="ct_quick").set_value("pending").run()
    pending = cli("contacts", "page", "--quick", "pending")["matching"]
    assert metrics(at)["Matching contacts"] == f"{pending['total']:,}"
    assert set(table(at)["Marketing status"].str.startswith("Marketing contact until next update (")) == {True}
    use_filter(at, LEADS)
    both = cli("contacts", "page", "--quick", "pending", "--filter", LEADS)
    assert metrics(at)["Matching contacts"] == f"{both['matching']['total']:,}"
    assert list(table(at)["ID"])[:5] == [c["id"] for c in both["contacts"][:5]]
    assert set(table(at)["Lifecycle stage"]) == {"Lead"}  # HubSpot's label for the stored internal name


def test_next_and_previous_walk_the_pages_by_keyset(open_app: Callable[..., AppTest]) -> None:
    at = open_contacts(open_app)
    first = list(table(at)["ID"])
    at.button(key="ct_next").click().run()
    second = list(table(at)["ID"])
    assert len(second) == 50 and not set(first) & set(second)
    assert any("Page 2: contacts 51–100" in c.value for c in at.caption)
    at.button(key="ct_prev").click().run()
    assert list(table(at)["ID"]) == first


def test_set_as_non_marketing_shows_the_service_preview_and_usage_agrees_after_confirming(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    engine = known_database(app_env)
    at = open_contacts(open_app)
    at.radio(key="ct_quick").set_value("marketing").run()
    ids = select_rows(at, [0, 1, 2, 6])  # marketing ones and a pending one (newest first: ids 8, 7, 6 ... )
    expected = preview_status_change(
        engine, selection=Selection(ids=tuple(ids)), to=MarketingStatus.NON_MARKETING, today=TODAY
    )
    at.menu_button(key="ct_more").click("non_marketing").run()
    shown = dialog_metrics(at)
    assert shown["Will be scheduled"] == f"{expected.scheduled:,}"
    assert shown["Not included"] == f"{expected.unchanged:,}"
    assert shown["Next update date"] == "01 Dec 2026"
    before = Cli(app_env)("usage")
    at.button(key="ct_dlg_confirm").click().run()
    assert dialog(at) is None
    assert f"Scheduled {expected.scheduled} contacts as non-marketing" in at.success[0].value
    after = Cli(app_env)("usage")
    assert after["pending"] == before["pending"] + expected.scheduled
    assert after["marketing"] == before["marketing"]
    assert metrics(at)["Marketing contacts until next update"] == f"{after['pending']:,}"
    assert "ct_dialog" not in at.session_state


def test_set_as_marketing_stays_locked_until_the_typed_count_matches(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    engine = known_database(app_env)
    at = open_contacts(open_app)
    at.radio(key="ct_quick").set_value("non_marketing").run()
    ids = select_rows(at, [0, 1, 2])
    at.menu_button(key="ct_more").click("marketing").run()
    shown = dialog_metrics(at)
    assert (shown["Become marketing now"], shown["Already marketing"], shown["Pending changes undone"]) == (
        "3",
        "0",
        "0",
    )
    confirm = at.button(key="ct_dlg_confirm")
    assert confirm.disabled
    at.text_input(key="ct_dlg_typed").set_value("2").run()
    assert at.button(key="ct_dlg_confirm").disabled
    at.text_input(key="ct_dlg_typed").set_value("3").run()
    assert not at.button(key="ct_dlg_confirm").disabled
    at.button(key="ct_dlg_confirm").click().run()
    assert "3 contacts became marketing" in at.success[0].value
    assert [state_of(engine, f"n{i}@example.com") for i in range(4)].count("marketing") == 3
    assert Cli(app_env)("usage")["marketing"] == 11
    assert set(ids) <= {int(i) for i in range(1, 13)}


def test_acting_on_all_matching_contacts_needs_the_apply_to_all_box(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    engine = known_database(app_env)
    add_contacts(engine, 60, state="marketing", prefix="bulk", lifecycle_stage="lead")  # beyond the first page
    at = open_contacts(open_app)
    use_filter(at, LEADS)
    assert metrics(at)["Matching contacts"] == "68"
    at.radio(key="ct_scope").set_value("all").run()
    at.menu_button(key="ct_more").click("non_marketing").run()
    assert dialog_metrics(at)["Will be scheduled"] == "66" and dialog_metrics(at)["Not included"] == "2"
    assert "all contacts matching this filter (68)" in dialog_text(at)
    assert at.button(key="ct_dlg_confirm").disabled
    at.checkbox(key="ct_dlg_all").check().run()
    at.button(key="ct_dlg_confirm").click().run()
    usage = Cli(app_env)("usage")
    assert usage["pending"] == 68 and state_of(engine, "bulk59@example.com") == "pending"


def test_a_bulk_change_that_raises_the_tier_says_so_and_needs_consent(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    engine = known_database(app_env)
    add_contacts(engine, 1992, state="marketing", prefix="full")  # 2,000 marketing: the tier is full
    at = open_contacts(open_app)
    at.radio(key="ct_quick").set_value("non_marketing").run()
    select_rows(at, [0])
    at.menu_button(key="ct_more").click("marketing").run()
    assert "raises the billed tier from **2,000** to **7,000**" in dialog_text(at)
    assert "**1,140 USD** a month" in dialog_text(at)
    at.text_input(key="ct_dlg_typed").set_value("1").run()
    assert at.button(key="ct_dlg_confirm").disabled, "typing the count is not consent to the upgrade"
    at.checkbox(key="ct_dlg_upgrade").check().run()
    at.button(key="ct_dlg_confirm").click().run()
    assert "Billed tier raised to 7,000" in at.success[0].value
    assert Cli(app_env)("usage")["tier_limit"] == 7000


def test_cancelling_a_dialog_changes_nothing(open_app: Callable[..., AppTest], app_env: str) -> None:
    known_database(app_env)
    at = open_contacts(open_app)
    select_rows(at, [0, 1])
    before = Cli(app_env)("usage")
    at.menu_button(key="ct_more").click("non_marketing").run()
    at.button(key="ct_dlg_cancel").click().run()
    assert dialog(at) is None and Cli(app_env)("usage") == before


def test_saved_views_round_trip(open_app: Callable[..., AppTest], app_env: str) -> None:
    known_database(app_env)
    at = open_contacts(open_app)
    use_filter(at, LEADS)
    at.radio(key="ct_quick").set_value("pending").run()
    at.selectbox(key="ct_sort").set_value("email").run()
    at.text_input(key="ct_view_name").set_value("Pending leads").run()
    at.button(key="ct_view_save").click().run()
    assert "Saved the view “Pending leads”" in at.success[0].value
    assert Cli(app_env)("views", "list")["views"][0]["sort"] == "email"
    at.radio(key="ct_quick").set_value("all").run()
    use_filter(at, "[]")
    assert metrics(at)["Matching contacts"] == "12"
    at.selectbox(key="ct_view").set_value("Pending leads").run()
    assert metrics(at)["Matching contacts"] == "2"
    assert at.radio(key="ct_quick").value == "pending" and at.selectbox(key="ct_sort").value == "email"
    assert list(table(at)["Email"]) == ["p1@example.com", "p0@example.com"]  # descending email order


def test_deleting_a_saved_view_from_the_page_is_in_the_audit_page_with_readable_labels(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    known_database(app_env)
    at = open_contacts(open_app)
    use_filter(at, LEADS)
    at.text_input(key="ct_view_name").set_value("Leads").run()
    at.button(key="ct_view_save").click().run()
    at.selectbox(key="ct_view").set_value("Leads").run()
    at.button(key="ct_view_delete").click().run()
    assert not at.exception, at.exception
    assert Cli(app_env)("views", "list")["views"] == []
    at.switch_page("pages/admin/audit.py").run()
    audit = at.dataframe[0].value
    views = audit[audit["Kind"].isin(["Saved view saved", "Saved view deleted"])]
    assert list(views["Kind"]) == ["Saved view deleted", "Saved view saved"]  # newest first
    assert set(views["Source ID"]) == {"Leads"}
    assert all("lifecycle stage is lead" in d for d in views["Details"])


def test_static_lists_round_trip(open_app: Callable[..., AppTest], app_env: str) -> None:
    known_database(app_env)
    at = open_contacts(open_app)
    at.text_input(key="ct_list_name").set_value("Webinar").run()
    at.button(key="ct_list_create").click().run()
    ids = select_rows(at, [0, 2, 4])
    at.menu_button(key="ct_more").click("add_list").run()
    at.selectbox(key="ct_dlg_list").set_value("Webinar").run()
    at.button(key="ct_dlg_confirm").click().run()
    assert "Added 3 contacts to “Webinar”" in at.success[0].value
    at.selectbox(key="ct_list_chosen").set_value("Webinar").run()
    at.button(key="ct_list_show").click().run()
    assert sorted(table(at)["ID"]) == sorted(ids)
    assert Cli(app_env)("lists", "list")["lists"][0]["size"] == 3
    select_rows(at, [0])
    at.menu_button(key="ct_more").click("remove_list").run()
    at.selectbox(key="ct_dlg_list").set_value("Webinar").run()
    at.button(key="ct_dlg_confirm").click().run()
    assert metrics(at)["Matching contacts"] == "2"
    at.selectbox(key="ct_list_chosen").set_value("Webinar").run()
    at.button(key="ct_list_delete").click().run()
    assert Cli(app_env)("lists", "list")["lists"] == []


def test_a_contact_created_by_hand_is_non_marketing_unless_ticked_and_errors_show_in_the_form(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    engine = known_database(app_env)
    at = open_contacts(open_app)
    at.text_input(key="ct_new_email").set_value("m0@example.com")
    at.button(key="FormSubmitter:ct_new_contact-Create contact").click().run()
    assert "already exists" in at.error[0].value
    at.text_input(key="ct_new_email").set_value("fresh@example.com")
    at.button(key="FormSubmitter:ct_new_contact-Create contact").click().run()
    assert "Created a non-marketing contact: fresh@example.com" in at.success[0].value
    assert state_of(engine, "fresh@example.com") == "non_marketing"
    at.text_input(key="ct_new_email").set_value("keen@example.com")
    at.checkbox(key="ct_new_marketing").check()
    at.button(key="FormSubmitter:ct_new_contact-Create contact").click().run()
    assert state_of(engine, "keen@example.com") == "marketing"


def test_deleting_contacts_drops_the_count_and_keeps_the_tier(open_app: Callable[..., AppTest], app_env: str) -> None:
    known_database(app_env)
    at = open_contacts(open_app)
    at.radio(key="ct_quick").set_value("marketing").run()
    select_rows(at, [0, 1])
    at.menu_button(key="ct_more").click("delete").run()
    assert dialog_metrics(at)["Marketing contacts among them"] == "2"
    at.text_input(key="ct_dlg_typed").set_value("2").run()
    at.button(key="ct_dlg_confirm").click().run()
    assert "Marketing contacts: 8 → 6" in at.success[0].value
    usage = Cli(app_env)("usage")
    assert (usage["marketing"], usage["tier_limit"]) == (6, 2000)


def test_a_saved_view_on_a_deleted_list_keeps_its_condition_and_says_so(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    known_database(app_env)
    cli = Cli(app_env)
    cli("lists", "create", "--name", "Webinar")
    cli("lists", "add", "--name", "Webinar", "--emails", "m0@example.com,m1@example.com")
    at = open_contacts(open_app)
    use_filter(at, '[{"property": "list", "operator": "eq", "value": "Webinar"}]')
    assert metrics(at)["Matching contacts"] == "2"
    at.text_input(key="ct_view_name").set_value("Webinar people").run()
    at.button(key="ct_view_save").click().run()
    cli("lists", "delete", "--name", "Webinar")
    at.selectbox(key="ct_view").set_value("").run()
    at.selectbox(key="ct_view").set_value("Webinar people").run()
    assert not at.exception, at.exception
    assert any("names a list that no longer exists (“Webinar”)" in w.value for w in at.warning)
    assert any("no static list named 'Webinar'" in e.value for e in at.error), "refused, not widened to everyone"
    assert not at.dataframe, "no table of contacts (and no bulk action) for a filter that cannot be applied"


def test_simulating_a_day_after_the_update_date_shows_the_pending_contacts_as_non_marketing(
    open_app: Callable[..., AppTest], app_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep_running_app_py(monkeypatch)  # the sidebar (and its "Simulate as of") comes from app.py
    known_database(app_env)  # 6 marketing, 2 pending (leaving on 01 Dec 2026), 4 non-marketing
    at = open_contacts(open_app)
    at.radio(key="ct_quick").set_value("pending").run()
    assert metrics(at)["Matching contacts"] == "2"
    at.toggle(key="simulate_on").set_value(True).run()
    at.date_input(key="simulate_day").set_value(date(2026, 12, 15)).run()
    assert not at.exception, at.exception
    simulated = Cli(app_env)("simulate", "--on", "2026-12-15")
    assert metrics(at)["Matching contacts"] == "0", "nobody is pending on 15 Dec any more"
    assert any("No contact matches this filter" in i.value for i in at.info), "a message, not an empty grid"
    at.radio(key="ct_quick").set_value("non_marketing").run()
    assert metrics(at)["Matching contacts"] == f"{simulated['non_marketing']:,}" == "6"
    statuses = list(table(at)["Marketing status"])
    assert statuses.count("Non-marketing contact (from 01 Dec)") == 2 and statuses.count("Non-marketing contact") == 4
    at.radio(key="ct_quick").set_value("marketing").run()
    assert metrics(at)["Matching contacts"] == f"{simulated['marketing']:,}" == "6"
    at.toggle(key="simulate_on").set_value(False).run()
    at.radio(key="ct_quick").set_value("pending").run()
    assert metrics(at)["Matching contacts"] == "2", "back to today"


def test_saving_a_view_under_a_name_in_use_asks_before_replacing_it(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    known_database(app_env)
    at = open_contacts(open_app)
    use_filter(at, LEADS)
    at.text_input(key="ct_view_name").set_value("Leads").run()
    at.button(key="ct_view_save").click().run()
    use_filter(at, "[]")
    at.text_input(key="ct_view_name").set_value("Leads").run()
    assert at.button(key="ct_view_save").disabled, "a name in use needs the replace box first"
    at.checkbox(key="ct_view_replace").check().run()
    at.button(key="ct_view_save").click().run()
    assert "Saved the view “Leads”" in at.success[0].value
    assert json.loads(Cli(app_env)("views", "list")["views"][0]["filter"]) == []


def test_source_filters_offer_the_tools_by_name_and_match_the_command_line(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    at = open_contacts(open_app)  # the demo database: contacts set by bulk actions among others
    condition = [{"property": "status_source_type", "operator": "eq", "value": "bulk_action"}]
    use_filter(at, json.dumps(condition))
    value = next(s for s in at.selectbox if "_value_status_source_type_eq" in str(s.key))
    assert value.value == "bulk_action" and "bulk action" in value.options and "connected app" in value.options
    expected = Cli(app_env)("contacts", "page", "--filter", json.dumps(condition))["matching"]["total"]
    assert expected > 0 and metrics(at)["Matching contacts"] == f"{expected:,}"
    value.set_value("integration").run()
    other = [{"property": "status_source_type", "operator": "eq", "value": "integration"}]
    assert (
        metrics(at)["Matching contacts"]
        == f"{Cli(app_env)('contacts', 'page', '--filter', json.dumps(other))['matching']['total']:,}"
    )


def test_opening_a_contact_while_simulating_keeps_the_simulated_day(
    open_app: Callable[..., AppTest], app_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep_running_app_py(monkeypatch)
    known_database(app_env)
    at = open_contacts(open_app)
    at.toggle(key="simulate_on").set_value(True).run()
    at.date_input(key="simulate_day").set_value(date(2026, 12, 15)).run()
    select_rows(at, [0])
    at.button(key="ct_open").click().run()
    assert not at.exception, at.exception
    assert at.session_state["as_of"] == date(2026, 12, 15), "the contact page is shown as of the simulated day"
    assert at.date_input(key="simulate_day").value == date(2026, 12, 15)


def test_the_counts_follow_a_change_made_elsewhere(open_app: Callable[..., AppTest], app_env: str) -> None:
    known_database(app_env)
    at = open_contacts(open_app)
    assert metrics(at)["Marketing contacts until next update"] == "2"
    Cli(app_env)("set-status", "--to", "non-marketing", "--ids", "1")  # another session, or the command line
    at.run()
    assert metrics(at)["Marketing contacts until next update"] == "3", "not the count cached before the change"
