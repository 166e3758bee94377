"""What every page needs from the session: the cached engine, today, the acting user, running a core call."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import streamlit as st

from core import clock
from core.errors import DomainError
from core.rules.filters import FilterError
from core.services.setup import account_timezone, open_engine
from core.settings import database_url, default_actor

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
    signed_in_as: str | None = st.session_state.get("actor")
    return signed_in_as or default_actor()


def run(action: Callable[[], T]) -> T | None:
    """Run a core call; show a user error as a message instead of a traceback."""
    try:
        return action()
    except (DomainError, FilterError) as exc:  # a filter naming a deleted list, say
        st.error(str(exc))
        return None


def number(n: int | float) -> str:
    return f"{n:,}"
