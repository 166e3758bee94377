"""The run log's chart: the enrollments each action did per run (stacked), and the attempts retried."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from babel.numbers import get_decimal_symbol, get_group_symbol

from core.i18n import Translator
from core.rules.workflows import action_label
from pages.shared import i18n
from pages.shared.i18n import _

COLOURS = ("#1565c0", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#ad1457")


def _run_start(t: Translator, at: Any) -> str:
    """A run's start on the chart's axis: ``05 Dec<br>14:05:09`` / ``5 gru<br>14:05:09``."""
    return f"{t.day_month(at)}<br>{at:%H:%M:%S}"


def chart(rows: list[dict[str, Any]]) -> None:
    t = i18n.t()
    frame = pd.DataFrame(rows)
    frame["at"] = [_run_start(t, at) for at in pd.to_datetime(frame["at"])]
    frame["action"] = [action_label(str(a), t) for a in frame["action"]]
    figure = go.Figure()
    for i, (action, part) in enumerate(frame.groupby("action", sort=True)):
        figure.add_bar(
            name=str(action), x=part["at"].tolist(), y=part["applied"].tolist(), marker_color=COLOURS[i % len(COLOURS)]
        )
    retried = frame.groupby("at", as_index=False)["retried"].sum()
    retried = retried[retried["retried"] > 0]
    if not retried.empty:
        figure.add_scatter(
            name=_("Attempts retried"),
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
        separators=get_decimal_symbol(t.language) + get_group_symbol(t.language),  # 1,583 / 1 583 on the axes
        yaxis={"title": _("Enrollments done"), "tickformat": ","},
        yaxis2={
            "title": _("Attempts retried"),
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "showgrid": False,
            "tickformat": ",d",
            "dtick": 1 if frame["retried"].max() < 10 else None,
        },
        legend={"orientation": "h", "y": -0.3, "traceorder": "normal"},
        # room for ten runs at least, so that one run is a bar and not the whole chart
        xaxis={"title": _("Run (start)"), "type": "category", "range": [-0.5, max(9.5, frame["at"].nunique() - 0.5)]},
    )
    st.plotly_chart(figure, key="wf_chart")
