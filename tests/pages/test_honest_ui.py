"""Issue 13, point 6: the UI is honest to each role. A control the person may not use is drawn disabled, with
the reason core gives (the same check the change would fail); the typed count starts empty; lifecycle stages are
chosen by HubSpot's label; a header click sorts every matching contact; one name per state; the simulation
banner on Contacts; the sources page lists the forms contacts came from (AppTest)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from core.rules.roles import Role
from core.services import users
from core.services.permissions import permissions
from tests.conftest import TODAY, Cli
from tests.pages.contacts_app import PAGE, _walk, dialog, known_database, select_rows, table

PASSWORD = "correct horse battery"


@pytest.fixture
def people(app_env: str) -> Any:
    """The known database (12 contacts) with an admin, a viewer and an editor without Marketing contact access."""
    engine = known_database(app_env)
    users.add_user(engine, username="ada", role=Role.ADMIN, actor="test", today=TODAY, password=PASSWORD)
    users.add_user(engine, username="vic", role=Role.VIEWER, actor="ada", today=TODAY, password=PASSWORD)
    users.add_user(engine, username="eve", role=Role.EDITOR, actor="ada", today=TODAY, password=PASSWORD)
    users.set_marketing_access(engine, username="eve", granted=False, actor="ada", today=TODAY)
    return engine


def signed_in(open_app: Callable[..., AppTest], username: str, page: str | None = None) -> AppTest:
    at = open_app()
    at.text_input[0].input(username)
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def _nodes(at: AppTest, kind: str) -> list[Any]:
    return [n for n in _walk(at._tree) if n.type == kind]


def _block(at: AppTest, kind: str, label: str) -> Any:
    """A popover (a block, not a widget) by its label: its proto says whether it is disabled, and why."""
    found = [n.proto for n in _walk(at._tree) if getattr(n, "type", None) == kind]
    found = [p for p in found if getattr(p, kind).label == label]
    assert found, f"no {kind} labelled {label!r}"
    return getattr(found[0], kind)


def _captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def test_a_viewer_sees_every_write_control_of_contacts_disabled_with_the_reason_core_gives(
    open_app: Callable[..., AppTest], people: Any
) -> None:
    at = signed_in(open_app, "vic", PAGE)
    asked = permissions(people, actor="vic")
    edit = f"Not available: {asked.why_not(users.Action.EDIT_CONTACTS)}."
    status = f"Not available: {asked.why_not(users.Action.CHANGE_STATUS)}."
    assert edit == "Not available: vic (viewer) may not create, edit or import contacts and lists: a viewer only reads."
    new_contact = _block(at, "popover", "New contact")
    assert new_contact.disabled and new_contact.help == edit
    assert [p.proto.disabled for p in _nodes(at, "page_link") if p.proto.label == "Import"] == [True]
    select_rows(at, [0])
    more = at.menu_button(key="ct_more")
    assert more.disabled and more.help == status, "a row is chosen, and still More is refused, with why"
    assert f":material/block: {status}" in _captions(at), "the reason is on the page, not only in a tooltip"
    assert at.button(key="ct_list_create").disabled and at.button(key="ct_list_create").help == edit
    assert at.button(key="ct_view_save").disabled


def test_an_editor_without_the_grant_is_offered_lists_and_delete_but_no_status_change(
    open_app: Callable[..., AppTest], people: Any
) -> None:
    at = signed_in(open_app, "eve", PAGE)
    select_rows(at, [0])
    more = at.menu_button(key="ct_more")
    assert not more.disabled
    assert list(more.proto.options) == ["Add to a static list", "Remove from a static list", "Delete contacts"]
    assert any("Marketing contact access permission is not granted" in c for c in _captions(at))
    assert not _block(at, "popover", "New contact").disabled, "an editor still creates contacts"


def test_the_viewer_sees_run_now_import_and_settings_disabled_with_why(
    open_app: Callable[..., AppTest], people: Any
) -> None:
    at = signed_in(open_app, "vic", "pages/workflows/workflows.py")
    run_now = at.button(key="wf_run_now")
    assert run_now.disabled and "vic (viewer) may not manage workflows" in run_now.help
    at.switch_page("pages/contacts/import_contacts.py").run()
    uploader = _nodes(at, "file_uploader")[0].proto
    assert uploader.disabled and "may not create, edit or import contacts" in uploader.help
    at.switch_page("pages/admin/settings.py").run()
    save = next(b for b in at.button if b.label == "Save settings")
    assert (
        save.disabled
        and save.help == "Not available: vic (viewer) may not change account settings: a viewer only reads."
    )


def test_the_typed_count_starts_empty_with_the_number_in_its_label(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    known_database(app_env)
    at = open_app(PAGE)
    at.radio(key="ct_quick").set_value("non_marketing").run()
    select_rows(at, [0, 1, 2])
    at.menu_button(key="ct_more").click("marketing").run()
    typed = at.text_input(key="ct_dlg_typed")
    assert (typed.value, typed.placeholder, typed.label) == ("", "", "Type **3** to confirm")
    assert at.button(key="ct_dlg_confirm").disabled


def test_a_header_click_sorts_every_matching_contact_on_the_server(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    known_database(app_env)
    at = open_app(PAGE)
    everyone = Cli(app_env)("contacts", "page", "--sort", "email", "--ascending", "--limit", "100")["contacts"]
    key = at.session_state["ct_table_key"]
    at.session_state[key] = {"selection": {"rows": [], "columns": ["Email"]}}  # what a header click sends
    at.run()
    assert (at.session_state["ct_sort"], at.session_state["ct_desc"]) == ("email", False)
    assert list(table(at)["Email"]) == [c["email"] for c in everyone][:50]
    key = at.session_state["ct_table_key"]
    at.session_state[key] = {"selection": {"rows": [], "columns": ["Email"]}}
    at.run()
    assert table(at)["Email"].iloc[0] == everyone[-1]["email"], "the same header again reverses the whole set"


def test_every_state_has_one_name_in_the_table_the_quick_filters_and_the_counts(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    known_database(app_env)
    at = open_app(PAGE)
    shown = set(table(at)["Marketing status"].str.replace(r" \(.*\)$", "", regex=True))
    names = {"Marketing contact", "Marketing contact until next update", "Non-marketing contact"}
    assert shown == names
    plural = {"Marketing contacts", "Marketing contacts until next update", "Non-marketing contacts"}
    assert {m.label for m in at.metric} >= plural
    assert set(at.radio(key="ct_quick").options) >= plural


def test_contacts_shows_the_simulation_banner(open_app: Callable[..., AppTest], app_env: str) -> None:
    known_database(app_env)
    at = open_app(PAGE)
    at.toggle(key="simulate_on").set_value(True).run()
    assert any(i.value.startswith("Simulating 01 Dec 2026") for i in at.info), [i.value for i in at.info]
    assert at.menu_button(key="ct_more").disabled


def test_lifecycle_stage_is_chosen_by_hubspot_label_and_stored_by_internal_name(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    known_database(app_env)
    at = open_app(PAGE)
    stage = at.selectbox(key="ct_new_stage")
    assert stage.value is None, "no stage until one is chosen"
    assert list(stage.options)[:3] == ["Subscriber", "Lead", "Marketing Qualified Lead"]
    at.text_input(key="ct_new_email").input("mql@example.com")
    stage.set_value("marketingqualifiedlead")
    next(b for b in at.button if b.label == "Create contact").click().run()
    assert not at.exception, at.exception
    made = Cli(app_env)(
        "contacts", "page", "--filter", '[{"property": "email", "operator": "eq", "value": "mql@example.com"}]'
    )
    assert [c["lifecycle_stage"] for c in made["contacts"]] == ["marketingqualifiedlead"]


def test_the_sources_page_lists_the_forms_contacts_came_from(open_app: Callable[..., AppTest], app_env: str) -> None:
    Cli(app_env)("init", "--demo", "300", "--seed", "3")
    tools = Cli(app_env)("sources", "list")["tools"]
    forms = {t["source_id"]: t["contacts"] for t in tools if t["source_type"] == "form"}
    assert len(forms) == 3 and sum(forms.values()) > 100, "the demo's forms, counted from the contacts"
    at = open_app("pages/contacts/sources.py")
    labels = [t.label for t in at.toggle if "new contacts are marketing" in t.label]
    assert all(any(f"(`{form}`, {n:,} contacts so far)" in label for label in labels) for form, n in forms.items())
    assert not any("No forms yet" in c for c in _captions(at))
    assert dialog(at) is None
