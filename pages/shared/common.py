"""Helpers shared by the pages: the cached engine, today, the acting user, formatting, error display."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import streamlit as st

from core import clock
from core.errors import DomainError
from core.rules.filters import FilterError
from core.services.setup import open_database
from core.services.updates import apply_updates
from core.settings import database_url, default_actor, pinned_today
from core.store.engine import make_engine

T = TypeVar("T")


@st.cache_resource(show_spinner="Opening the database…")
def _engine_for(url: str) -> Any:
    engine = make_engine(url)
    open_database(engine, today=real_today())
    return engine


def engine() -> Any:
    """The engine for the configured database (created with demo data on first start)."""
    return _engine_for(database_url())


def real_today() -> date:
    pinned = pinned_today()
    return date.fromisoformat(pinned) if pinned else clock.today_in("UTC")


def today() -> date:
    """The day the pages show: today, or the sidebar's 'simulate as of' day."""
    return st.session_state.get("as_of") or real_today()


def actor() -> str:
    return st.session_state.get("actor") or default_actor()


def _apply_due_updates() -> None:
    """Opening the app applies update dates that have come (idempotent; each date applied once)."""
    day = real_today()
    if st.session_state.get("updates_applied_on") == day:
        return
    result = apply_updates(engine(), today=day, actor="system")
    st.session_state["updates_applied_on"] = day
    if result.applied and any(a["became_non_marketing"] for a in result.applied):
        left = sum(int(str(a["became_non_marketing"])) for a in result.applied)
        st.toast(f"Update date applied: {left:,} contacts became non-marketing.")


def sidebar() -> None:
    engine()
    _apply_due_updates()
    with st.sidebar:
        st.caption(f"Today: {real_today():%d %b %Y}")
        simulate_as_of()


def run(action: Callable[[], T]) -> T | None:
    """Run a core call; show a user error as a message instead of a traceback."""
    try:
        return action()
    except (DomainError, FilterError) as exc:  # a filter naming a deleted list, say
        st.error(str(exc))
        return None


def number(n: int | float) -> str:
    return f"{n:,}"


# --- Signing in and access (who acts; the checks themselves are in core.store.access) ---

SIGNIN_PAGE = "pages/admin/signin.py"
LOCAL_MODE_TEXT = (
    ":orange-background[**Local mode**] anyone who can reach this app acts as an admin. Create the first admin "
    "with `python -m core users add --username ... --role admin --password-stdin`."
)


def oidc_configured() -> bool:
    """True when `.streamlit/secrets.toml` has an ``[auth]`` section: sign-in goes through the identity provider."""
    try:
        return bool(st.secrets.load_if_toml_exists()) and "auth" in st.secrets
    except Exception:  # a malformed secrets file is reported by Streamlit itself
        return False


def signed_in() -> Any:
    """The signed-in user (core.services.signin.SignedIn), or None in local mode or before signing in."""
    return st.session_state.get("signed_in")


def is_admin() -> bool:
    """Admins, and everyone in local mode, may manage users and settings."""
    user = signed_in()
    return user.role == "admin" if user is not None else bool(st.session_state.get("local_mode"))


def remember(user: Any) -> None:
    st.session_state["signed_in"] = user
    st.session_state["auth_token"] = user.token
    st.session_state["actor"] = user.username


def forget(notice: str | None = None) -> None:
    for key in ("signed_in", "auth_token", "actor"):
        st.session_state.pop(key, None)
    if notice:
        st.session_state["signin_notice"] = notice


def _current_user() -> Any:
    from core.services.signin import SignInRefused, resume, sign_in_oidc

    token = st.session_state.get("auth_token")
    user = resume(engine(), token=token) if token else None
    if token and user is None:
        forget("Your session ended (signed out elsewhere, disabled, or 30 minutes without activity): sign in again.")
        if oidc_configured() and st.user.is_logged_in:
            st.logout()
        return None
    if user is None and oidc_configured() and st.user.is_logged_in and not st.session_state.get("oidc_refused"):
        if st.user.get("email_verified") is False:
            st.session_state["oidc_refused"] = "your identity provider has not verified your email address"
            return None
        try:
            user = sign_in_oidc(engine(), email=str(st.user.get("email") or ""), today=real_today())
        except SignInRefused as exc:
            st.session_state["oidc_refused"] = str(exc)
            return None
    if user is not None:
        remember(user)
    return user


def sign_out() -> None:
    """End the session in the store (the token stops working), then forget it here."""
    from core.services.signin import sign_out as end_session

    token = st.session_state.get("auth_token")
    if token:
        end_session(engine(), token=token, today=real_today())
    forget("You signed out.")
    if oidc_configured() and st.user.is_logged_in:
        st.logout()


def gate(sections: dict[str, list[Any]]) -> dict[str, list[Any]] | list[Any]:
    """The pages this session may open, by section: only the sign-in page until someone signs in (once users
    exist); afterwards every page, the Users page for admins only. Local mode (no users) shows a banner instead."""
    from core.services.signin import local_mode

    st.session_state["local_mode"] = local_mode(engine())
    if st.session_state["local_mode"]:
        forget()
        st.sidebar.markdown(LOCAL_MODE_TEXT)
        return sections
    user = _current_user()
    if user is None:
        # Its own url path (not the file's name): after signing in, the rerun falls back to the default page.
        return [st.Page(SIGNIN_PAGE, title="Sign in", icon=":material/login:", url_path="sign-in")]
    with st.sidebar:
        st.markdown(f"Signed in as **{user.name}** ({user.role})")
        st.button("Sign out", key="sign_out", icon=":material/logout:", on_click=sign_out)
    allowed = {
        name: [p for p in pages if p.url_path != "users" or user.role == "admin"] for name, pages in sections.items()
    }
    return {name: pages for name, pages in allowed.items() if pages}


# --- Simulate as of: every page as of a future day; nothing is written meanwhile ---


def _default_simulation_day() -> date:
    from core.services.usage import get_usage

    return get_usage(engine(), today=real_today()).next_update_date


def _keep(widget: str, store: str) -> None:
    st.session_state[store] = st.session_state.get(widget)


def simulate_as_of() -> None:
    """Sidebar control "Simulate as of": sets the day ``today()`` returns; write actions are refused meanwhile.

    The choice is kept outside the widgets' own state too (``_sim_on``, ``_sim_day``): Streamlit resets a
    widget's state when a button switches pages mid-run (e.g. "Open contact"), which showed live figures under
    a switch that still looked on."""
    on = st.toggle(
        "Simulate as of",
        key="simulate_on",
        value=bool(st.session_state.get("_sim_on")),
        on_change=_keep,
        args=("simulate_on", "_sim_on"),
        help="Show every figure as it will be on a future day if nothing else changes. Changes are disabled.",
    )
    if not on:
        st.session_state["as_of"] = None
        return
    kept = st.session_state.get("_sim_day")
    if kept is None or kept < real_today():
        kept = _default_simulation_day()
    if st.session_state.get("simulate_day") is not None and st.session_state["simulate_day"] < real_today():
        del st.session_state["simulate_day"]  # a day that has passed since (a session left open overnight)
    day = st.date_input(
        "Day to simulate",
        key="simulate_day",
        value=kept,
        min_value=real_today(),
        format="YYYY-MM-DD",
        label_visibility="collapsed",
        on_change=_keep,
        args=("simulate_day", "_sim_day"),
    )
    st.session_state["as_of"] = day
    st.caption(f"Showing {day:%d %b %Y} if nothing else changes. Nothing is written while simulating.")


def simulating() -> bool:
    """True while the sidebar's "Simulate as of" is on: pages must not write."""
    return st.session_state.get("as_of") is not None


def writes_refused(action: str) -> bool:
    """While simulating, say why ``action`` is unavailable and return True (callers disable their button)."""
    if not simulating():
        return False
    st.info(
        f"{action} is disabled while simulating {today():%d %b %Y}. "
        "Switch off **Simulate as of** in the sidebar to make changes.",
        icon=":material/visibility:",
    )
    return True


def require_access() -> None:
    """Stop a page that runs without the gate having let this session in (defence in depth: Streamlit can run
    a file in pages/ straight from its URL on the first run of a server process, before ``st.navigation``)."""
    from core.services.signin import local_mode, resume

    if local_mode(engine()):
        return
    token = st.session_state.get("auth_token")
    if token and resume(engine(), token=token) is not None:
        return
    st.warning("Sign in first: open the app's home page.")
    st.stop()
