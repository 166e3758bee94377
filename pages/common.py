"""Helpers shared by the pages: the cached engine, today, the acting user, formatting, error display."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import streamlit as st

from core import clock
from core.errors import DomainError
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


def run(action: Callable[[], T]) -> T | None:
    """Run a core call; show a user error as a message instead of a traceback."""
    try:
        return action()
    except DomainError as exc:
        st.error(str(exc))
        return None


def number(n: int | float) -> str:
    return f"{n:,}"
