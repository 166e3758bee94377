"""Simulate as of: every page shows a future day if nothing else changes; nothing is written meanwhile."""

from __future__ import annotations

from datetime import date

import streamlit as st

from core.services.usage import get_usage
from pages.shared.i18n import _
from pages.shared.session import engine, real_today, today


def _default_simulation_day() -> date:
    return get_usage(engine(), today=real_today()).next_update_date


def _keep(widget: str, store: str) -> None:
    st.session_state[store] = st.session_state.get(widget)


def simulate_as_of() -> None:
    """Sidebar control "Simulate as of": sets the day ``today()`` returns; write actions are refused meanwhile.

    The choice is kept outside the widgets' own state too (``_sim_on``, ``_sim_day``): Streamlit resets a
    widget's state when a button switches pages mid-run (e.g. "Open contact"), which showed live figures under
    a switch that still looked on."""
    on = st.toggle(
        _("Simulate as of"),
        key="simulate_on",
        value=bool(st.session_state.get("_sim_on")),
        on_change=_keep,
        args=("simulate_on", "_sim_on"),
        help=_("Show every figure as it will be on a future day if nothing else changes. Changes are disabled."),
    )
    if not on:
        st.session_state["as_of"] = None
        return
    kept: date | None = st.session_state.get("_sim_day")
    if kept is None or kept < real_today():
        kept = _default_simulation_day()
    if st.session_state.get("simulate_day") is not None and st.session_state["simulate_day"] < real_today():
        del st.session_state["simulate_day"]  # a day that has passed since (a session left open overnight)
    day = st.date_input(
        _("Day to simulate"),
        key="simulate_day",
        value=kept,
        min_value=real_today(),
        format="YYYY-MM-DD",
        label_visibility="collapsed",
        on_change=_keep,
        args=("simulate_day", "_sim_day"),
    )
    st.session_state["as_of"] = day
    st.caption(_("Showing {day} if nothing else changes. Nothing is written while simulating.", day=day))


def simulating() -> bool:
    """True while the sidebar's "Simulate as of" is on: pages must not write."""
    return st.session_state.get("as_of") is not None


def banner() -> None:
    """The notice every page that shows figures draws at its top while simulating."""
    if simulating():
        st.info(
            _(
                "Simulating {day}: the figures assume nothing else changes until then. Changes are disabled.",
                day=today(),
            ),
            icon=":material/event:",
        )
