"""What every page needs from the session: the cached engine, today, the acting user, running a core call."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import streamlit as st

from core import clock
from core.errors import ConfirmationOutdated, DomainError
from core.rules.filters import FilterError
from core.services.setup import account_timezone, open_engine
from core.settings import database_url, default_actor
from pages.shared import i18n
from pages.shared.text import plain

T = TypeVar("T")


@st.cache_resource(show_spinner="Opening the database…")
def _engine_for(url: str) -> Any:
    return open_engine(url)  # a first start creates the demo account on the deployment's day


def engine() -> Any:
    """The engine for the configured database (created with demo data on first start)."""
    return _engine_for(database_url())


@st.cache_data(ttl=60, show_spinner=False)
def _timezone(url: str) -> str:
    return account_timezone(engine())


def real_today() -> date:
    """The deployment's day: ``MARKETABLE_TODAY`` when pinned, else today in the account's time zone (the same
    function the command line and every change use, ``core.clock.deployment_today``)."""
    return clock.deployment_today(_timezone(database_url()))


def today() -> date:
    """The day the pages show: today, or the sidebar's 'simulate as of' day."""
    as_of: date | None = st.session_state.get("as_of")
    return as_of or real_today()


def actor() -> str:
    """Who acts: the user signed in, else (local mode) the configured default actor."""
    user = st.session_state.get("signed_in")
    signed_in_as: str | None = getattr(user, "username", None) or st.session_state.get("actor")
    return signed_in_as or default_actor()


_RUN_MEMO = "_run_memo"


def start_run() -> None:
    """Called by app.py at the top of every script run: reads memoised with ``per_run`` are read afresh."""
    st.session_state[_RUN_MEMO] = {}


def per_run(key: str, read: Callable[[], T]) -> T:
    """A read made once per script run however many parts of the page ask for it (a run is one snapshot of
    what the user sees; the next run, after any change, reads again)."""
    memo: dict[str, Any] = st.session_state.setdefault(_RUN_MEMO, {})
    if key not in memo:
        memo[key] = read()
    value: T = memo[key]
    return value


def run(action: Callable[[], T], *, outdated: Callable[[ConfirmationOutdated], None] | None = None) -> T | None:
    """Run a core call; show a user error as a message instead of a traceback. ``outdated`` handles a change
    refused because it no longer matches what was confirmed (a dialog then shows the new figures)."""
    try:
        return action()
    except ConfirmationOutdated as exc:
        if outdated is None:
            st.error(plain(i18n.error_text(exc)))
        else:
            outdated(exc)
        return None
    except (DomainError, FilterError) as exc:  # a filter naming a deleted list, say
        st.error(plain(i18n.error_text(exc)))  # errors echo what was typed
        return None


RESETS = "widget_resets"


def reset_later(**values: Any) -> None:
    """Give widgets these values on the next run. A browser keeps the value of a widget still on screen (a ticked
    consent, a typed count) and sends it back; only a value set before the widget is drawn replaces it there."""
    st.session_state[RESETS] = {**st.session_state.get(RESETS, {}), **values}


def apply_resets(*keys: str) -> None:
    """Before drawing the widgets ``keys``: set those that ``reset_later`` asked for."""
    pending: dict[str, Any] = st.session_state.get(RESETS, {})
    for key in keys:
        if key in pending:
            st.session_state[key] = pending.pop(key)


def number(n: int | float) -> str:
    """``1,583`` / ``1 583``: in the session's language."""
    return i18n.number(n)
