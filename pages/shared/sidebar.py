"""The sidebar every page shares: today's date, update dates that have come applied, Simulate as of."""

from __future__ import annotations

import streamlit as st

from core.services.background import UPDATES, due_updates, runs_in_background, updates_job
from core.services.jobs import running_job
from core.services.updates import apply_updates
from pages.shared import jobs, language
from pages.shared.i18n import _, ngettext
from pages.shared.session import engine, real_today, run
from pages.shared.simulation import simulate_as_of


def _apply_due_updates() -> None:
    """Opening the app applies update dates that have come (idempotent; each date applied once)."""
    day = real_today()
    if st.session_state.get("updates_applied_on") == day:
        return
    if runs_in_background(due := run(lambda: due_updates(engine(), today=day)) or 0):
        started = run(lambda: updates_job(engine(), today=day))  # None: another session or the worker has it
        if started is None and (other := running_job(engine(), kind=UPDATES)) is not None:
            started = other.id
        if started is not None:
            jobs.follow(started)
            st.toast(
                ngettext(
                    "Applying the update dates that have come ({n} contact) in the background.",
                    "Applying the update dates that have come ({n} contacts) in the background.",
                    due,
                )
            )
        st.session_state["updates_applied_on"] = day
        return
    result = run(lambda: apply_updates(engine(), today=day, actor="system"))  # refused: says why (domain.md §10)
    if result is None:
        return
    st.session_state["updates_applied_on"] = day
    if result.applied and any(a["became_non_marketing"] for a in result.applied):
        left = sum(int(str(a["became_non_marketing"])) for a in result.applied)
        st.toast(
            ngettext(
                "Update date applied: {n} contact became non-marketing.",
                "Update date applied: {n} contacts became non-marketing.",
                left,
            )
        )


def draw() -> None:
    engine()
    _apply_due_updates()
    with st.sidebar:
        st.caption(_("Today: {day}", day=real_today()))
        jobs.draw()
        simulate_as_of()
        language.picker()
