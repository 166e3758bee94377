"""Run now: enroll and apply every enabled workflow, as the scheduled run does, and say how it went."""

from __future__ import annotations

import streamlit as st

from core.services.workflows import engine as workflow_engine
from pages.shared import allowed, session
from pages.shared.allowed import Action
from pages.shared.text import plain

RUN_DEADLINE_S = 60  # the button gives up retrying after this; the next run goes on from there


def _summary(result: workflow_engine.RunResult) -> None:
    text = (
        f"Run finished in {result.seconds:.1f} s: {result.enrolled:,} enrolled; {result.contacts_changed:,} changed, "
        f"{result.already_in_that_state:,} already in that state; {result.completed:,} completed, "
        f"{result.retrying:,} retrying, {result.failed:,} failed"
    )
    if result.transient_errors:
        text += f" ({result.transient_errors:,} attempts retried)"
    problems = [plain(f"{b['name']}: {b['reason']}") for b in result.blocked]
    if result.stopped:
        problems.append(f"{result.stopped}; the next run goes on from there.")
    if problems:
        st.warning(f"{text}. " + " ".join(problems), icon=":material/warning:")
    else:
        st.success(f"{text}.", icon=":material/check_circle:")


def run_now(*, disabled: bool) -> bool:
    """The "Run now" button (drawn before the list, which then shows the new counts): returns whether it ran."""
    refused = allowed.blocked(Action.MANAGE_WORKFLOWS)
    clicked = st.button(
        "Run now",
        key="wf_run_now",
        type="primary",
        icon=":material/play_arrow:",
        disabled=disabled or bool(refused),
        help=refused,
    )
    allowed.note(refused)
    return bool(clicked)


def run_all() -> None:
    """Enroll and apply every enabled workflow, as the scheduled run does, and say how it went."""
    with st.spinner("Running workflows…"):
        result = session.run(
            lambda: workflow_engine.run(
                session.engine(), session.today(), actor=session.actor(), deadline=RUN_DEADLINE_S
            )
        )
    if result is not None:
        _summary(result)
