"""The Contacts page's More → Send to HubSpot list: the selected contacts go to a HubSpot static list (the local
HubSpot of tests/hubspot_fake.py), and the dialog says plainly that the person finishes it in HubSpot's "Manage
marketing contacts → Use a list" step (docs/domain.md §12)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from streamlit.testing.v1 import AppTest

from core.settings import HUBSPOT_TOKEN_ENV, HUBSPOT_URL_ENV
from tests.conftest import Cli
from tests.factories import add_contacts
from tests.hubspot_fake import HubSpotState, running
from tests.pages.contacts_app import dialog, dialog_text, known_database, open_contacts, select_rows, table
from tests.pages.usage_app import keep_running_app_py

TOKEN = "pat-eu1-12121212-3434-5656-7878-909090909090"


@pytest.fixture(autouse=True)
def _every_run_starts_from_app_py(monkeypatch: pytest.MonkeyPatch) -> None:
    keep_running_app_py(monkeypatch)


@pytest.fixture
def hubspot(monkeypatch: pytest.MonkeyPatch) -> Iterator[HubSpotState]:
    with running(TOKEN) as (url, state):
        monkeypatch.setenv(HUBSPOT_TOKEN_ENV, TOKEN)
        monkeypatch.setenv(HUBSPOT_URL_ENV, url)
        yield state


def test_sending_selected_contacts_to_a_hubspot_list_says_where_to_finish_and_changes_nothing_here(
    open_app: Callable[..., AppTest], app_env: str, hubspot: HubSpotState
) -> None:
    engine = known_database(app_env)
    for record_id in (7001, 7002):
        hubspot.add_contact(record_id, email=f"hs{record_id}@example.com")
        add_contacts(engine, email=f"hs{record_id}@example.com", hubspot_id=record_id, state="marketing")
    engine.dispose()
    before = Cli(app_env)("usage")
    at = open_contacts(open_app)
    rows = table(at)
    wanted = [i for i, email in enumerate(rows["Email"]) if email.startswith("hs")]
    local = next(i for i, email in enumerate(rows["Email"]) if not email.startswith("hs"))
    select_rows(at, [*wanted, local])
    at.menu_button(key="ct_more").click("hubspot_list").run()
    text = dialog_text(at)
    assert "Manage marketing contacts → Use a list" in text and "HubSpot's API cannot change a marketing status" in text
    assert at.button(key="ct_dlg_confirm").disabled, "a list name first"
    at.text_input(key="ct_dlg_hubspot_list").set_value("Leave in January").run()
    at.button(key="ct_dlg_confirm").click().run()
    assert not at.exception, at.exception
    message = at.success[0].value
    assert "Sent 2 contacts to the HubSpot list “Leave in January”" in message
    assert "1 have no HubSpot Record ID" in message and "Use a list → “Leave in January”" in message
    assert dialog(at) is None
    (made,) = hubspot.lists.values()
    assert made["name"] == "Leave in January" and sorted(hubspot.memberships[int(made["listId"])]) == [7001, 7002]
    assert Cli(app_env)("usage") == before


def test_without_a_token_the_dialog_says_how_to_configure_one(
    open_app: Callable[..., AppTest], app_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(HUBSPOT_TOKEN_ENV, raising=False)
    known_database(app_env).dispose()
    at = open_contacts(open_app)
    select_rows(at, [0])
    at.menu_button(key="ct_more").click("hubspot_list").run()
    at.text_input(key="ct_dlg_hubspot_list").set_value("Plan").run()
    at.button(key="ct_dlg_confirm").click().run()
    assert "no HubSpot access token: set HUBSPOT_ACCESS_TOKEN" in at.error[0].value
    assert dialog(at) is not None, "the dialog stays open"
