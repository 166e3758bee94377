"""A real browser signs in with a local account, is refused with a wrong password, signs out; the server
keeps XSRF protection on and logs no password or session token."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core.rules.roles import Role
from core.services import users
from core.services.setup import init
from core.services.signin import REFUSED
from core.store.engine import make_engine
from tests.conftest import TODAY
from tests.e2e.conftest import Server, screenshot, settle

pytestmark = pytest.mark.e2e
PASSWORD = "Browser-Test-Pa55word"
WRONG = "Not-The-Pa55word-42"


def _with_admin(db_url: str) -> None:
    engine = make_engine(db_url)
    init(engine, today=TODAY, actor="test", demo=2_000, seed=4)
    users.add_user(engine, username="ada", role=Role.ADMIN, actor="test", today=TODAY, password=PASSWORD)
    engine.dispose()


def _sign_in(page: Any, username: str, password: str) -> None:
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    settle(page)


def test_signing_in_in_chromium_shows_the_dashboard_and_a_wrong_password_is_refused(
    page: Any, start_server: Callable[..., Server], tmp_path: Path
) -> None:
    server = start_server(setup=_with_admin)
    page.goto(server.url)
    settle(page)
    page.get_by_role("heading", name="Sign in to Marketable").wait_for()
    assert page.get_by_test_id("stMetric").count() == 0, "no figure before signing in"
    screenshot(page, "signin-form")

    _sign_in(page, "ada", WRONG)
    assert page.get_by_test_id("stAlertContentError").inner_text() == REFUSED
    screenshot(page, "signin-refused")

    _sign_in(page, "ada", PASSWORD)
    page.get_by_role("heading", name="Usage & limits").wait_for()
    settle(page)
    assert page.get_by_test_id("stMetric").count() >= 8
    assert "Signed in as ada (admin)" in page.get_by_test_id("stSidebar").inner_text()
    screenshot(page, "signin-dashboard")

    page.get_by_role("link", name="Audit").click()
    settle(page)
    page.get_by_role("heading", name="Audit").wait_for()
    page.get_by_test_id("stDataFrame").wait_for()
    page.get_by_role("button", name="Download CSV").wait_for()
    screenshot(page, "audit-page")
    page.get_by_role("link", name="Users").click()
    settle(page)
    page.get_by_role("heading", name="Users").wait_for()
    page.get_by_test_id("stDataFrame").wait_for()
    screenshot(page, "users-page")

    page.get_by_role("button", name="Sign out").click()
    settle(page)
    page.get_by_role("heading", name="Sign in to Marketable").wait_for()
    assert "You signed out." in page.get_by_test_id("stAlertContentInfo").inner_text()

    log = (tmp_path / "server.log").read_text(errors="replace")
    assert PASSWORD not in log and WRONG not in log, "no password in the server log"


def test_the_server_refuses_an_upload_without_the_xsrf_token(start_server: Callable[..., Server]) -> None:
    server = start_server(setup=_with_admin)
    request = urllib.request.Request(
        f"{server.url}/_stcore/upload_file/some-session/some-file", data=b"x" * 10, method="PUT"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403


@pytest.mark.parametrize("path", ["usage", "contacts"])
def test_the_first_visit_after_the_server_starts_straight_to_a_page_shows_nothing_before_signing_in(
    page: Any, start_server: Callable[..., Server], path: str
) -> None:
    # On a process's first run Streamlit can run a file in pages/ straight from its URL, without app.py's gate.
    server = start_server(setup=_with_admin)
    page.goto(f"{server.url}/{path}")
    settle(page)
    page.wait_for_timeout(1_000)
    shown = page.get_by_test_id("stMain").inner_text()
    assert "Sign in" in shown, shown[:300]
    assert page.get_by_test_id("stMetric").count() == 0 and page.get_by_test_id("stDataFrame").count() == 0
    screenshot(page, f"first-visit-{path}")


def _session_cookie(page: Any) -> dict[str, Any]:
    found = [c for c in page.context.cookies() if c["name"] == "marketable_session"]
    assert len(found) == 1, f"one session cookie, got {page.context.cookies()}"
    return dict(found[0])


def test_signed_in_stays_across_a_reload_and_a_new_tab_until_sign_out(
    page: Any, start_server: Callable[..., Server]
) -> None:
    server = start_server(setup=_with_admin)
    page.goto(server.url)
    settle(page)
    _sign_in(page, "ada", PASSWORD)
    page.get_by_role("heading", name="Usage & limits").wait_for()
    page.wait_for_timeout(1_500)  # the hidden component posts its one-time code
    cookie = _session_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict", cookie
    assert cookie["value"] not in page.url and "marketable_session" not in page.evaluate("document.cookie")

    page.reload()
    settle(page)
    page.get_by_role("heading", name="Usage & limits").wait_for()
    assert "Signed in as ada (admin)" in page.get_by_test_id("stSidebar").inner_text(), "a reload keeps the session"

    other = page.context.new_page()
    other.goto(f"{server.url}/contacts")
    settle(other)
    other.get_by_role("heading", name="Contacts").wait_for()
    assert "Signed in as ada (admin)" in other.get_by_test_id("stSidebar").inner_text(), "so does a new tab"
    screenshot(other, "session-new-tab")

    other.get_by_role("button", name="Sign out").click()
    settle(other)
    other.get_by_role("heading", name="Sign in to Marketable").wait_for()
    other.wait_for_timeout(1_500)
    assert not [c for c in other.context.cookies() if c["name"] == "marketable_session"], "sign-out clears it"
    page.reload()
    settle(page)
    page.get_by_role("heading", name="Sign in to Marketable").wait_for()


def test_a_deep_link_opens_its_page_after_signing_in(page: Any, start_server: Callable[..., Server]) -> None:
    server = start_server(setup=_with_admin)
    page.goto(server.url)  # the server's very first run cannot resolve a page's address (a Streamlit quirk)
    settle(page)
    page.goto(f"{server.url}/audit")
    settle(page)
    screenshot(page, "deep-link-sign-in")
    page.get_by_role("heading", name="Sign in to Marketable").wait_for()
    assert page.get_by_test_id("stDataFrame").count() == 0
    _sign_in(page, "ada", PASSWORD)
    page.get_by_role("heading", name="Audit").wait_for()
    assert page.url.rstrip("/").endswith("/audit")


def test_the_cookie_route_refuses_another_origin_and_an_unknown_code(start_server: Callable[..., Server]) -> None:
    server = start_server(setup=_with_admin)
    for origin, code in ((server.url, b"made-up"), ("https://evil.example", b"made-up")):
        request = urllib.request.Request(
            f"{server.url}/marketable/session", data=code, method="POST", headers={"Origin": origin}
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == (400 if origin == server.url else 403)
