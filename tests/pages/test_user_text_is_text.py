"""User text is shown as text (issue 11, finding 9): a contact's name, a form's id, a display name in the sidebar, a
workflow's name, a saved view's name and an error echoing what was typed never become a link, an image (an outside
request), HTML, maths or a colour. Streamlit renders Markdown in ``st.markdown``, titles, captions, alerts, toasts
and widget labels: every such text on the page is checked, and the user's text must be there, escaped."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from streamlit.testing.v1 import AppTest

from core.rules.roles import Role
from core.services import users
from pages.shared.text import code, plain
from tests.conftest import TODAY, Cli
from tests.pages.contacts_app import known_database
from tests.pages.test_access_pages import PASSWORD, sign_in

PAYLOADS = ["[x](https://phish.example/login)", "![x](http://track.example/p.png)", "<b>b</b>", "$x$", ":red[x]"]
MARKDOWN_LISTS = ("markdown", "caption", "title", "header", "subheader", "error", "warning", "info", "success", "toast")
LABELLED_LISTS = ("button", "checkbox", "toggle", "radio", "expander", "text_input", "selectbox", "metric")


def rendered(at: AppTest) -> Iterator[str]:
    """Every text on the page that Streamlit renders as Markdown: bodies of text elements and widget labels."""
    for kind in MARKDOWN_LISTS:
        for element in getattr(at, kind, []):
            yield str(element.value)
    for kind in LABELLED_LISTS:
        for element in getattr(at, kind, []):
            yield str(getattr(element, "label", ""))
    for element in getattr(at, "radio", []):
        yield from (str(o) for o in element.options)


def assert_shown_as_text(at: AppTest, payload: str) -> None:
    assert not at.exception, at.exception
    texts = list(rendered(at))
    raw = [t for t in texts if payload in t.replace(code(payload), "")]  # inline code is never read as Markdown
    assert not raw, f"user text reaches Markdown unescaped: {raw}"
    assert any(plain(payload) in t for t in texts), f"the text is not shown at all: {texts}"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_contacts_name_on_its_page_is_text(open_app: Callable[..., AppTest], app_env: str, payload: str) -> None:
    known_database(app_env)
    made = Cli(app_env)("create-contact", "--source", "manual", "--email", "name@x.com", "--first-name", payload)
    at = open_app()
    at.session_state["contact_id"] = made["contact_id"]
    at.switch_page("pages/contacts/contact.py").run()
    assert_shown_as_text(at, payload)
    assert at.title[0].value == plain(payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_an_error_echoing_what_was_typed_is_text(open_app: Callable[..., AppTest], app_env: str, payload: str) -> None:
    known_database(app_env)
    at = open_app("pages/contacts/contact.py")
    at.text_input(key="cd_lookup").input(f"{payload}@x.com").run()
    assert_shown_as_text(at, payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_form_id_on_the_sources_page_is_text(open_app: Callable[..., AppTest], app_env: str, payload: str) -> None:
    known_database(app_env)
    Cli(app_env)("sources", "set", "--source", "form", "--source-id", payload, "--marketing", "false")
    at = open_app("pages/contacts/sources.py")
    assert_shown_as_text(at, payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_display_name_in_the_sidebar_is_text(open_app: Callable[..., AppTest], app_env: str, payload: str) -> None:
    engine = known_database(app_env)
    users.add_user(
        engine, username="ada", role=Role.ADMIN, actor="test", today=TODAY, password=PASSWORD, display_name=payload
    )
    at = sign_in(open_app(), "ada", PASSWORD)
    assert_shown_as_text(at, payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_workflow_name_is_text(open_app: Callable[..., AppTest], app_env: str, payload: str) -> None:
    known_database(app_env)
    criteria = json.dumps([{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}])
    made = Cli(app_env)(
        "workflows", "create", "--name", payload, "--filter", criteria, "--action", "set_marketing_status:non-marketing"
    )
    at = open_app("pages/workflows/workflows.py")
    at.selectbox(key="wf_pick").set_value(made["id"]).run()
    assert_shown_as_text(at, payload)


def test_the_import_preview_rejects_dates_an_offset_moves_out_of_range_and_a_long_file_name_imports(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    """Finding 6 in the dashboard (the preview showed a traceback with server paths) and finding 7 (a file name over
    100 characters raised a DataError with its SQL)."""
    known_database(app_env)
    at = open_app("pages/contacts/import_contacts.py")
    data = b"Email,Create Date\nearly@x.com,0001-01-01T00:00:00+05:00\nfine@x.com,2026-01-02T10:00:00+01:00\n"
    at.file_uploader(key="imp_file").set_value(("q" * 150 + ".csv", data, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    rejected = at.dataframe[2].value
    assert list(rejected["Line"]) == [2] and "out of range" in rejected["Reason"][0]
    at.button(key="imp_run").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    report = {m.label: m.value for m in at.metric}
    assert (report["Created"], report["Rejected"]) == ("1", "1")
    assert Cli(app_env)("audit", "--kind", "import")["entries"][0]["source_id"].endswith("q.csv")
