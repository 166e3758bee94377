"""What every page needs from the session: the cached engine, today, the acting user, running a core call."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import streamlit as st

from core import clock
from core.errors import DomainError
from core.rules.filters import FilterError
from core.services.setup import open_engine
from core.settings import database_url, default_actor, pinned_today

T = TypeVar("T")


@st.cache_resource(show_spinner="Opening the database…")
def _engine_for(url: str) -> Any:
    return open_engine(url, today=real_today())


def engine() -> Any:
    """The engine for the configured database (created with demo data on first start)."""
    return _engine_for(database_url())


def real_today() -> date:
    pinned = pinned_today()
    return date.fromisoformat(pinned) if pinned else clock.today_in("UTC")


def today() -> date:
    """The day the pages show: today, or the sidebar's 'simulate as of' day."""
    as_of: date | None = st.session_state.get("as_of")
    return as_of or real_today()


def actor() -> str:
    signed_in_as: str | None = st.session_state.get("actor")
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


def run(action: Callable[[], T]) -> T | None:
    """Run a core call; show a user error as a message instead of a traceback."""
    try:
        return action()
    except (DomainError, FilterError) as exc:  # a filter naming a deleted list, say
        st.error(str(exc))
        return None


def number(n: int | float) -> str:
    return f"{n:,}"
