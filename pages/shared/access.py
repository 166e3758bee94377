"""Who acts: the sign-in gate in front of every page, signing out, and the check each page makes first.

The checks themselves (who may do what) are in core; this module only keeps the session's user."""

from __future__ import annotations

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from core.i18n import N_
from core.rules.roles import Action
from core.services.permissions import permissions
from core.services.signin import UNVERIFIED, SignedIn, SignInRefused, local_mode, resume, sign_in_oidc
from core.services.signin import sign_out as end_session
from pages.shared import browser_session
from pages.shared.i18n import _
from pages.shared.messages import flash
from pages.shared.roles import role_name
from pages.shared.session import engine, per_run, real_today
from pages.shared.text import plain

SIGNIN_PAGE = "pages/admin/signin.py"
LOCAL_MODE_TEXT = N_(
    ":orange-background[**Local mode**] anyone who can reach this app acts as an admin. Create the first admin "
    "with `python -m core users add --username ... --role admin --password-stdin`."
)  # translated where shown


def oidc_configured() -> bool:
    """True when `.streamlit/secrets.toml` has an ``[auth]`` section: sign-in goes through the identity provider."""
    try:
        return bool(st.secrets.load_if_toml_exists()) and "auth" in st.secrets
    except Exception:  # a malformed secrets file is reported by Streamlit itself
        return False


def remember(user: SignedIn) -> None:
    st.session_state["signed_in"] = user
    st.session_state["auth_token"] = user.token
    st.session_state["actor"] = user.username


def signed_in_now(user: SignedIn) -> None:
    """Just signed in: remember the user here, and in the browser's cookie for a reload or a new tab."""
    remember(user)
    browser_session.keep(user.token)


def forget(notice: str | None = None) -> None:
    """Forget the signed-in user; ``notice`` is shown once, on the sign-in page."""
    for key in ("signed_in", "auth_token", "actor"):
        st.session_state.pop(key, None)
    if notice:
        flash(notice, level="info")


def _oidc_user() -> SignedIn | None:
    """The user the identity provider signed in, if any (a refusal is kept for the sign-in page to show)."""
    if not (oidc_configured() and st.user.is_logged_in) or st.session_state.get("oidc_refused"):
        return None
    if st.user.get("email_verified") is False:
        st.session_state["oidc_refused"] = SignInRefused(UNVERIFIED)
        return None
    try:
        return sign_in_oidc(engine(), email=str(st.user.get("email") or ""), today=real_today())
    except SignInRefused as exc:
        st.session_state["oidc_refused"] = exc  # the sign-in page says it in the reader's language
        return None


def _token() -> str | None:
    """This tab's session token, else the one the browser's cookie brought (a reload, a new tab) unless it was
    already found ended."""
    token: str | None = st.session_state.get("auth_token")
    cookie = browser_session.cookie_token()
    if token is None and cookie and cookie != st.session_state.get("ended_cookie"):
        st.session_state["ended_cookie"] = cookie  # until it resumes below: tried once per tab
        return cookie
    return token


def _current_user() -> SignedIn | None:
    token = _token()
    user = resume(engine(), token=token) if token else None
    if token and user is None:
        forget(_("Your session ended (signed out elsewhere, disabled, or 30 minutes without activity): sign in again."))
        browser_session.keep(None)
        if oidc_configured() and st.user.is_logged_in:
            st.logout()
        return None
    if user is None:
        user = _oidc_user()
        if user is not None:
            browser_session.keep(user.token)
    if user is not None:
        st.session_state.pop("ended_cookie", None)
        remember(user)
    return user


def sign_out() -> None:
    """End the session in the store (the token stops working), then forget it here."""
    token = st.session_state.get("auth_token")
    if token:
        end_session(engine(), token=token, today=real_today())
    forget(_("You signed out."))
    browser_session.keep(None)  # the browser forgets the cookie too
    if oidc_configured() and st.user.is_logged_in:
        st.logout()


def _sign_in_everywhere(sections: dict[str, list[StreamlitPage]]) -> list[StreamlitPage]:
    """Before signing in, every page's address shows the sign-in form: a deep link keeps its address, and the
    rerun after signing in opens the page it names."""
    here = st.Page(SIGNIN_PAGE, title=_("Sign in"), icon=":material/login:", url_path="sign-in", default=True)
    paths = [p.url_path for pages in sections.values() for p in pages if p.url_path and p.url_path != "sign-in"]
    return [here, *(st.Page(SIGNIN_PAGE, title=_("Sign in"), url_path=path, visibility="hidden") for path in paths)]


def gate(sections: dict[str, list[StreamlitPage]]) -> dict[str, list[StreamlitPage]] | list[StreamlitPage]:
    """The pages this session may open, by section: only the sign-in page until someone signs in (once users
    exist); afterwards every page, the Users page for admins only. Local mode (no users) shows a banner instead."""
    st.session_state["local_mode"] = per_run("local_mode", lambda: local_mode(engine()))
    if st.session_state["local_mode"]:
        forget()
        st.sidebar.markdown(_(LOCAL_MODE_TEXT))
        return sections
    user = _current_user()
    with st.sidebar:
        browser_session.sync()  # a cookie to set or clear, handed over with a one-time code
    if user is None:
        return _sign_in_everywhere(sections)
    with st.sidebar:
        st.markdown(_("Signed in as **{name}** ({role})", name=plain(user.name), role=role_name(user.role)))
        st.button(_("Sign out"), key="sign_out", icon=":material/logout:", on_click=sign_out)
    managing = permissions(engine(), actor=user.username).may(Action.MANAGE_USERS)  # core's rule, not the role
    allowed = {name: [p for p in pages if p.url_path != "users" or managing] for name, pages in sections.items()}
    return {name: pages for name, pages in allowed.items() if pages}


def require_access() -> None:
    """Stop a page that runs without the gate having let this session in (defence in depth: Streamlit can run
    a file in pages/ straight from its URL on the first run of a server process, before ``st.navigation``)."""
    if per_run("local_mode", lambda: local_mode(engine())):
        return
    token = st.session_state.get("auth_token")
    if token and resume(engine(), token=token) is not None:
        return
    st.warning(_("Sign in first: open the app's home page."))
    st.stop()
