"""Run now: enroll and apply every enabled workflow, as the scheduled run does, and say how it went."""

from __future__ import annotations

from decimal import Decimal

import streamlit as st
from babel.numbers import format_decimal

from core.services.workflows import engine as workflow_engine
from pages.shared import allowed, i18n, session
from pages.shared.allowed import Action
from pages.shared.i18n import _
from pages.shared.text import plain

RUN_DEADLINE_S = 60  # the button gives up retrying after this; the next run goes on from there


def _summary(result: workflow_engine.RunResult) -> None:
    counts = {
        "seconds": format_decimal(Decimal(f"{result.seconds:.1f}"), "0.0", locale=i18n.language()),
        "enrolled": result.enrolled,
        "changed": result.contacts_changed,
        "already": result.already_in_that_state,
        "completed": result.completed,
        "retrying": result.retrying,
        "failed": result.failed,
    }
    if result.transient_errors:
        text = _(
            "Run finished in {seconds} s: {enrolled} enrolled; {changed} changed, {already} already in that state; "
            "{completed} completed, {retrying} retrying, {failed} failed ({retried} attempts retried)",
            retried=result.transient_errors,
            **counts,
        )
    else:
        text = _(
            "Run finished in {seconds} s: {enrolled} enrolled; {changed} changed, {already} already in that state; "
            "{completed} completed, {retrying} retrying, {failed} failed",
            **counts,
        )
    t = i18n.t()
    problems = [plain(f"{b['name']}: {workflow_engine.said(str(b['reason']), t)}") for b in result.blocked]
    if result.stopped:
        problems.append(_("{reason}; the next run goes on from there.", reason=workflow_engine.said(result.stopped, t)))
    if problems:
        st.warning(f"{text}. " + " ".join(problems), icon=":material/warning:")
    else:
        st.success(f"{text}.", icon=":material/check_circle:")


def run_now(*, disabled: bool) -> bool:
    """The "Run now" button (drawn before the list, which then shows the new counts): returns whether it ran."""
    refused = allowed.blocked(Action.MANAGE_WORKFLOWS)
    clicked = st.button(
        _("Run now"),
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
    with st.spinner(_("Running workflows…")):
        result = session.run(
            lambda: workflow_engine.run(
                session.engine(), session.today(), actor=session.actor(), deadline=RUN_DEADLINE_S
            )
        )
    if result is not None:
        _summary(result)
