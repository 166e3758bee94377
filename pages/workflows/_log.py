"""The run log: the chart of actions per run, attempts with their errors, runs, failed enrollments."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.services.workflows import log as workflow_log
from core.services.workflows.definitions import Workflow
from pages.shared.text import plain

COLOURS = ("#1565c0", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#ad1457")


def _chart(rows: list[dict[str, Any]]) -> None:
    frame = pd.DataFrame(rows)
    frame["at"] = pd.to_datetime(frame["at"]).dt.strftime("%d %b<br>%H:%M:%S")
    figure = go.Figure()
    for i, (action, part) in enumerate(frame.groupby("action", sort=True)):
        figure.add_bar(
            name=str(action), x=part["at"].tolist(), y=part["applied"].tolist(), marker_color=COLOURS[i % len(COLOURS)]
        )
    retried = frame.groupby("at", as_index=False)["retried"].sum()
    retried = retried[retried["retried"] > 0]
    if not retried.empty:
        figure.add_scatter(
            name="Attempts retried",
            x=retried["at"].tolist(),
            y=retried["retried"].tolist(),
            mode="markers",
            yaxis="y2",
            marker={"symbol": "x", "size": 11, "color": "#c62828"},
        )
    figure.update_layout(
        barmode="stack",
        showlegend=True,
        height=320,
        margin={"t": 30, "b": 10},
        yaxis={"title": "Enrollments done", "tickformat": ","},
        yaxis2={
            "title": "Attempts retried",
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "showgrid": False,
            "tickformat": ",d",
            "dtick": 1 if frame["retried"].max() < 10 else None,
        },
        legend={"orientation": "h", "y": -0.3, "traceorder": "normal"},
        # room for ten runs at least, so that one run is a bar and not the whole chart
        xaxis={"title": "Run (start)", "type": "category", "range": [-0.5, max(9.5, frame["at"].nunique() - 0.5)]},
    )
    st.plotly_chart(figure, key="wf_chart")


def _attempts(engine: Any, chosen: Workflow | None) -> None:
    rows = workflow_log.attempts(engine, workflow_id=chosen.id if chosen else None, limit=200)
    if not rows:
        st.caption("No attempt yet.")
        return
    frame = pd.DataFrame([r.as_json() for r in rows])
    frame["started_at"] = pd.to_datetime(frame["started_at"])
    frame["error"] = frame["error"].fillna("")
    columns = {"started_at": "Started"} | ({} if chosen else {"workflow": "Workflow"})
    columns |= {"action": "Action", "attempt": "Attempt", "outcome": "Outcome", "error": "Error"}
    columns |= {"enrollments": "Size", "applied": "Done", "duration_ms": "ms", "batch": "Batch"}
    number = st.column_config.NumberColumn(format="localized", width="small")
    st.dataframe(
        frame[list(columns)].rename(columns=columns),
        hide_index=True,
        key="wf_attempts",
        column_config={
            "Started": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss"),
            "Error": st.column_config.TextColumn(width="medium"),
            "Size": st.column_config.NumberColumn(format="localized", width="small", help="Enrollments in the batch"),
        }
        | {k: number for k in ("Attempt", "Done", "ms")},
    )


RUN_COLUMNS = {
    "started_at": "Started",
    "finished_at": "Finished",
    "actor": "By",
    "enrolled": "Enrolled",
    "contacts_changed": "Changed",
    "already_in_that_state": "Already in that state",
    "completed": "Completed",
    "retrying": "Retrying",
    "failed": "Failed",
    "attempts": "Attempts",
    "transient_errors": "Retried",
    "seconds": "Seconds",
}


def _runs(engine: Any) -> None:
    runs = workflow_log.runs(engine)
    if not runs:
        st.caption("No run yet.")
        return
    frame = pd.DataFrame(runs)[list(RUN_COLUMNS)].rename(columns=RUN_COLUMNS)
    st.caption("A run without a finish time was stopped before its end (or is still running); the next run goes on.")
    number = st.column_config.NumberColumn(format="localized", width="small")
    time = st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss")
    st.dataframe(
        frame,
        hide_index=True,
        key="wf_runs",
        column_config={"Started": time, "Finished": time}
        | {k: number for k in ("Enrolled", "Changed", "Already in that state", "Completed", "Retrying", "Failed")}
        | {k: number for k in ("Attempts", "Retried")},
    )


def _failed(engine: Any, chosen: Workflow | None) -> None:
    """Enrollments that failed for good, with the action that failed and why."""
    if chosen is None:
        st.caption("Choose a workflow to see its failed enrollments.")
        return
    failed = workflow_log.failures(engine, chosen.id)
    if not failed:
        st.caption("No failed enrollment.")
        return
    frame = pd.DataFrame(failed)
    frame["action_index"] = [chosen.definition.actions[i].describe() for i in frame["action_index"]]
    frame["email"] = frame["email"].fillna("(deleted)")
    names = {"contact_id": "Contact ID", "email": "Email", "action_index": "Action", "error": "Error"}
    frame = frame[[*names, "applied_at"]].rename(columns=names | {"applied_at": "At"})
    st.dataframe(frame, hide_index=True, key="wf_failed")


def log(engine: Any, chosen: Workflow | None) -> None:
    """The run log of ``chosen`` (None: every workflow): chart, attempts, runs, permanent failures."""
    st.subheader("Run log" + (f": {plain(chosen.name)}" if chosen else ""))
    per_run = workflow_log.actions_per_run(engine, workflow_id=chosen.id if chosen else None)
    if per_run:
        _chart(per_run)
    tabs = st.tabs(["Attempts", "Runs (all workflows)", "Failed enrollments"])
    with tabs[0]:
        _attempts(engine, chosen)
    with tabs[1]:
        _runs(engine)
    with tabs[2]:
        _failed(engine, chosen)
