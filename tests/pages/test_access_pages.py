"""Signing in and out, the Users and Audit pages, and a refused action shown as a message (AppTest)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from core.rules.roles import Role
from core.services import signin, users
from core.services.account_settings import current_settings
from core.services.setup import init
from core.store.engine import make_engine
from tests.conftest import TODAY
from tests.pages.conftest import ROOT

PASSWORD = "correct horse battery"


@pytest.fixture
def with_users(app_env: str) -> Any:
    """An initialised database with an admin (ada) and a viewer (vic), both with local passwords."""
    engine = make_engine(app_env)
    init(engine, today=TODAY, actor="test", demo=300, seed=3)
    users.add_user(engine, username="ada", role=Role.ADMIN, actor="test", today=TODAY, password=PASSWORD)
    users.add_user(engine, username="vic", role=Role.VIEWER, actor="ada", today=TODAY, password=PASSWORD)
    yield engine
    engine.dispose()


def _by_label(elements: Any, label: str) -> Any:
    found = [e for e in elements if e.label == label]
    assert found, f"no element labelled {label!r} among {[e.label for e in elements]}"
    return found[0]


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    _by_label(at.text_input, "Username").input(username)
    _by_label(at.text_input, "Password").input(password)
    _by_label(at.button, "Sign in").click()
    at.run()
    assert not at.exception, at.exception
    return at


def _texts(at: AppTest) -> str:
    return " ".join(str(m.value) for m in [*at.markdown, *at.error, *at.info, *at.success, *at.title])


def test_local_mode_shows_the_banner_and_every_page_without_signing_in(open_app: Callable[..., AppTest]) -> None:
    at = open_app()
    assert "Local mode" in _texts(at)
    assert "python -m core users add" in _texts(at)
    assert [m.label for m in at.metric][:1] == ["Marketing contacts"], "the dashboard works as before"
    at.switch_page("pages/admin/users.py").run()
    assert not at.exception
    assert at.title[0].value == "Users"


def test_adding_the_first_admin_ends_local_mode_and_the_sign_in_page_says_so(
    open_app: Callable[..., AppTest],
) -> None:
    at = open_app("pages/admin/users.py")
    at.text_input(key="new_username").input("ada")
    at.selectbox(key="new_role").select("admin")
    _by_label(at.text_input, "Password (leave empty for identity-provider sign-in only)").input(PASSWORD)
    _by_label(at.button, "Add user").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Sign in to Marketable"
    assert [i.value for i in at.info] == ["Local mode has ended: sign in with the admin account you added."]
    at = sign_in(at, "ada", PASSWORD)
    assert not at.info and not at.success, "the message was shown once"
    assert at.title[0].value == "Users", "signing in opens the page the address named"


def test_once_users_exist_only_the_sign_in_page_is_shown(open_app: Callable[..., AppTest], with_users: Any) -> None:
    at = open_app()
    assert at.title[0].value == "Sign in to Marketable"
    assert not at.metric, "no figure is shown before signing in"
    assert "Local mode" not in _texts(at)


def test_a_wrong_password_is_refused_with_a_message(open_app: Callable[..., AppTest], with_users: Any) -> None:
    at = sign_in(open_app(), "ada", "not the password")
    assert [e.value for e in at.error] == [signin.REFUSED]
    assert at.title[0].value == "Sign in to Marketable"
    assert "actor" not in at.session_state


def test_signing_in_shows_the_dashboard_and_signing_out_ends_the_session(
    open_app: Callable[..., AppTest], with_users: Any
) -> None:
    at = sign_in(open_app(), "ada", PASSWORD)
    assert at.title[0].value == "Usage & limits"
    assert "Signed in as **ada** (admin)" in _texts(at)
    assert at.session_state["actor"] == "ada"
    token = at.session_state["auth_token"]
    at.button(key="sign_out").click().run()
    assert "auth_token" not in at.session_state and "actor" not in at.session_state
    assert at.title[0].value == "Sign in to Marketable"
    assert "You signed out." in _texts(at)
    assert signin.resume(with_users, token=token) is None, "the token no longer signs anyone in"


def test_the_users_page_is_hidden_from_a_viewer(open_app: Callable[..., AppTest], with_users: Any) -> None:
    at = sign_in(open_app(), "vic", PASSWORD)
    assert at.title[0].value == "Usage & limits"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/admin/users.py")


def test_the_users_and_audit_pages_refuse_a_session_that_did_not_sign_in_or_is_no_admin(
    app_env: str, with_users: Any
) -> None:
    for page in ("pages/admin/users.py", "pages/admin/audit.py"):  # run straight from the file, as Streamlit can by URL
        at = AppTest.from_file(str(ROOT / page), default_timeout=60).run()
        assert [w.value for w in at.warning] == ["Sign in first: open the app's home page."]
        assert not at.dataframe
    viewer = signin.sign_in(with_users, username="vic", password=PASSWORD, today=TODAY)
    at = AppTest.from_file(str(ROOT / "pages/admin/users.py"), default_timeout=60)
    at.session_state["auth_token"] = viewer.token
    at.session_state["signed_in"] = viewer
    at.run()
    assert [e.value for e in at.error] == ["Not available: vic (viewer) may not manage users: a viewer only reads."]
    assert not at.dataframe


def test_an_admin_adds_a_user_and_revokes_then_grants_marketing_access(
    open_app: Callable[..., AppTest], with_users: Any
) -> None:
    at = sign_in(open_app(), "ada", PASSWORD)
    at.switch_page("pages/admin/users.py").run()
    at.text_input(key="new_username").input("Eve")
    at.selectbox(key="new_role").select("editor")
    _by_label(at.button, "Add user").click().run()
    assert not at.exception, at.exception
    assert "Added eve (editor)." in _texts(at)
    eve = {u.username: u for u in users.list_users(with_users)}["eve"]
    assert eve.marketing_access, "editors get Marketing contact access by default"
    at.selectbox(key="change_user").select("eve").run()
    at.button(key="toggle_access").click().run()
    assert "Marketing contact access revoked from eve." in _texts(at)
    assert not {u.username: u for u in users.list_users(with_users)}["eve"].marketing_access
    at.button(key="toggle_access").click().run()
    assert "Marketing contact access granted to eve." in _texts(at)
    assert {u.username: u for u in users.list_users(with_users)}["eve"].marketing_access


def test_a_user_demoted_meanwhile_loses_the_users_page_and_adds_nobody(
    open_app: Callable[..., AppTest], with_users: Any
) -> None:
    users.add_user(with_users, username="bea", role=Role.ADMIN, actor="ada", today=TODAY, password=PASSWORD)
    at = sign_in(open_app(), "bea", PASSWORD)
    at.switch_page("pages/admin/users.py").run()
    users.set_role(with_users, username="bea", role=Role.EDITOR, actor="ada", today=TODAY)  # while bea's page is open
    at.text_input(key="new_username").input("mallory")
    _by_label(at.button, "Add user").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Usage & limits", "the gate no longer offers the Users page to an editor"
    assert "mallory" not in {u.username for u in users.list_users(with_users)}


def test_the_audit_page_lists_sign_ins_and_user_changes_and_filters_by_actor(
    open_app: Callable[..., AppTest], with_users: Any
) -> None:
    at = sign_in(open_app(), "ada", PASSWORD)
    at.switch_page("pages/admin/audit.py").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert {"Sign-in", "User added"} <= set(table["Kind"])
    assert not any("_" in d or "=" in d for d in table["Details"]), "details read as words, not codes"
    at.selectbox(key="audit_actor").select("ada").run()
    table = at.dataframe[0].value
    assert set(table["Actor"]) == {"ada"}
    assert "vic" in set(table["Source ID"]), "ada added vic"


OIDC = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "not-a-real-secret",
        "client_id": "marketable",
        "client_secret": "not-a-real-secret",
        "server_metadata_url": "https://id.example.com/.well-known/openid-configuration",
    }
}


def _oidc_app(user: dict[str, Any]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets = OIDC
    at.user = user
    return at.run()


def test_with_an_identity_provider_the_sign_in_page_offers_it_instead_of_a_password(
    app_env: str, with_users: Any
) -> None:
    at = _oidc_app({"is_logged_in": False})
    assert at.title[0].value == "Sign in to Marketable"
    assert [b.label for b in at.button] == ["Sign in with your identity provider"]
    assert not at.text_input, "no password form when OIDC is configured"


def test_an_identity_provider_email_of_a_user_signs_them_in(app_env: str, with_users: Any) -> None:
    users.add_user(with_users, username="ed", role=Role.EDITOR, actor="ada", today=TODAY, email="ed@example.com")
    at = _oidc_app({"is_logged_in": True, "email": "Ed@Example.com", "email_verified": True})
    assert not at.exception, at.exception
    assert at.title[0].value == "Usage & limits"
    assert at.session_state["actor"] == "ed"


def test_an_unknown_identity_provider_email_gets_no_access(app_env: str, with_users: Any) -> None:
    at = _oidc_app({"is_logged_in": True, "email": "stranger@example.com"})
    assert at.title[0].value == "Sign in to Marketable"
    assert [e.value for e in at.error] == [
        "stranger@example.com has no access to Marketable: ask an admin to add a user with this email"
    ]
    assert "actor" not in at.session_state
    assert not at.metric


def test_an_editor_sees_save_settings_disabled_with_the_reason_core_gives(
    open_app: Callable[..., AppTest], with_users: Any
) -> None:
    users.add_user(with_users, username="ed", role=Role.EDITOR, actor="ada", today=TODAY, password=PASSWORD)
    before = current_settings(with_users)
    at = sign_in(open_app(), "ed", PASSWORD)
    at.switch_page("pages/admin/settings.py").run()
    save = _by_label(at.button, "Save settings")
    reason = "Not available: ed (editor) may not change account settings: only admins may."
    assert save.disabled and save.help == reason
    assert reason in [i.value for i in at.info], "the reason is on the page, not only in a tooltip"
    assert current_settings(with_users) == before, "nothing was saved"
