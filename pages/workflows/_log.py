"""The run log: the chart of actions per run, attempts with their errors, runs, failed enrollments."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.rules.workflows import action_label
from core.services.workflows import log as workflow_log
from core.services.workflows.definitions import Workflow
from core.services.workflows.engine import said
from pages.shared import i18n
from pages.shared.i18n import N_, _, pgettext
from pages.shared.text import plain
from pages.workflows._log_chart import chart


def _outcome(outcome: str) -> str:
    """An attempt's outcome as the log shows it: ok, transient, permanent (ErrorKind) or blocked."""
    words = {
        "ok": pgettext("attempt outcome", "ok"),
        "transient": pgettext("attempt outcome", "transient"),
        "permanent": pgettext("attempt outcome", "permanent"),
        "blocked": pgettext("attempt outcome", "blocked"),
    }
    return words.get(outcome, outcome)


def _attempts(engine: Any, chosen: Workflow | None) -> None:
    rows = workflow_log.attempts(engine, workflow_id=chosen.id if chosen else None, limit=200)
    if not rows:
        st.caption(_("No attempt yet."))
        return
    t = i18n.t()
    frame = pd.DataFrame([r.as_json() for r in rows])
    frame["started_at"] = pd.to_datetime(frame["started_at"])
    frame["error"] = [said(e, t) if isinstance(e, str) else "" for e in frame["error"]]
    frame["action"] = [action_label(str(a), t) for a in frame["action"]]
    frame["outcome"] = [_outcome(str(o)) for o in frame["outcome"]]
    keys = ["started_at"] + ([] if chosen else ["workflow"])
    keys += ["action", "attempt", "outcome", "error", "enrollments", "applied", "duration_ms", "batch"]
    columns = {k: _(ATTEMPT_COLUMNS[k]) for k in keys}
    number = st.column_config.NumberColumn(format="localized", width="small")
    st.dataframe(
        frame[keys].rename(columns=columns),
        hide_index=True,
        key="wf_attempts",
        column_config={
            columns["started_at"]: st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss"),
            columns["error"]: st.column_config.TextColumn(width="medium"),
            columns["enrollments"]: st.column_config.NumberColumn(
                format="localized", width="small", help=_("Enrollments in the batch")
            ),
        }
        | {columns[k]: number for k in ("attempt", "applied", "duration_ms")},
    )


ATTEMPT_COLUMNS = {
    "started_at": N_("Started"),
    "workflow": N_("Workflow"),
    "action": N_("Action"),
    "attempt": N_("Attempt"),
    "outcome": N_("Outcome"),
    "error": N_("Error"),
    "enrollments": N_("Size"),
    "applied": N_("Done"),
    "duration_ms": N_("ms"),
    "batch": N_("Batch"),
}
RUN_COLUMNS = {
    "started_at": N_("Started"),
    "finished_at": N_("Finished"),
    "actor": N_("By"),
    "enrolled": N_("Enrolled"),
    "contacts_changed": N_("Changed"),
    "already_in_that_state": N_("Already in that state"),
    "completed": N_("Completed"),
    "retrying": N_("Retrying"),
    "failed": N_("Failed"),
    "attempts": N_("Attempts"),
    "transient_errors": N_("Retried"),
    "seconds": N_("Seconds"),
}


def _runs(engine: Any) -> None:
    runs = workflow_log.runs(engine)
    if not runs:
        st.caption(_("No run yet."))
        return
    columns = {k: _(v) for k, v in RUN_COLUMNS.items()}
    frame = pd.DataFrame(runs)[list(columns)].rename(columns=columns)
    st.caption(_("A run without a finish time was stopped before its end (or is still running); the next run goes on."))
    number = st.column_config.NumberColumn(format="localized", width="small")
    time = st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss")
    counted = ("enrolled", "contacts_changed", "already_in_that_state", "completed", "retrying", "failed")
    st.dataframe(
        frame,
        hide_index=True,
        key="wf_runs",
        column_config={columns["started_at"]: time, columns["finished_at"]: time}
        | {columns[k]: number for k in (*counted, "attempts", "transient_errors")},
    )


def _failed(engine: Any, chosen: Workflow | None) -> None:
    """Enrollments that failed for good, with the action that failed and why."""
    if chosen is None:
        st.caption(_("Choose a workflow to see its failed enrollments."))
        return
    failed = workflow_log.failures(engine, chosen.id)
    if not failed:
        st.caption(_("No failed enrollment."))
        return
    t = i18n.t()
    frame = pd.DataFrame(failed)
    frame["action_index"] = [chosen.definition.actions[i].describe(t) for i in frame["action_index"]]
    frame["email"] = frame["email"].fillna(_("(deleted)"))
    frame["error"] = [said(e, t) if isinstance(e, str) else e for e in frame["error"]]
    names = {"contact_id": _("Contact ID"), "email": _("Email"), "action_index": _("Action"), "error": _("Error")}
    frame = frame[[*names, "applied_at"]].rename(columns=names | {"applied_at": _("At")})
    st.dataframe(frame, hide_index=True, key="wf_failed")


def log(engine: Any, chosen: Workflow | None) -> None:
    """The run log of ``chosen`` (None: every workflow): chart, attempts, runs, permanent failures."""
    st.subheader(_("Run log: {name}", name=plain(chosen.name)) if chosen else _("Run log"))
    per_run = workflow_log.actions_per_run(engine, workflow_id=chosen.id if chosen else None)
    if per_run:
        chart(per_run)
    tabs = st.tabs([_("Attempts"), _("Runs (all workflows)"), _("Failed enrollments")])
    with tabs[0]:
        _attempts(engine, chosen)
    with tabs[1]:
        _runs(engine)
    with tabs[2]:
        _failed(engine, chosen)
