"""Usage & limits, History and "why is my count this number" tabs: charts of core read models."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import plotly.graph_objects as go
import streamlit as st

from core.rules.hubspot_labels import stage_label
from core.services.breakdown import marketing_breakdown
from core.services.history import DEFAULT_DAYS, History, data_version, get_history
from core.settings import database_url
from pages.shared import session

MARKETING, NON_MARKETING, TIER = "#2e7d32", "#9e9e9e", "#c62828"


def _figure(history: History) -> go.Figure:
    days = [d.day for d in history.days]
    figure = go.Figure()
    figure.add_scatter(name="Marketing", x=days, y=[d.marketing for d in history.days], line_color=MARKETING)
    figure.add_scatter(
        name="Non-marketing", x=days, y=[d.non_marketing for d in history.days], line_color=NON_MARKETING
    )
    figure.add_scatter(
        name="Billed tier",
        x=days,
        y=[d.tier for d in history.days],
        line={"color": TIER, "dash": "dash", "shape": "hv"},
    )
    by_day = {d.day: d.marketing for d in history.days}
    marks = [m for m in history.updates if m.day in by_day]
    figure.add_scatter(
        name="Update dates",
        x=[m.day for m in marks],
        y=[by_day[m.day] for m in marks],
        mode="markers",
        marker={"symbol": "diamond", "size": 9, "color": "#1565c0"},
        customdata=[[m.became_non_marketing, "due" if m.projected else "became non-marketing"] for m in marks],
        hovertemplate="%{x|%d %b %Y}: %{customdata[0]:,} %{customdata[1]}<extra>Update date</extra>",
    )
    for mark in marks:
        figure.add_vline(x=mark.day, line_width=1, line_dash="dot", line_color="#90caf9")
    figure.update_layout(
        height=420,
        margin={"t": 30},
        yaxis_tickformat=",",
        hovermode="x unified",
        legend={"orientation": "h", "y": -0.15},
    )
    figure.update_traces(hovertemplate="%{y:,}", selector={"mode": "lines"})
    return figure


@st.cache_data(max_entries=32, ttl=600, show_spinner=False)
def _history(url: str, version: str, today: date, start: date, end: date) -> History:
    """The history, kept until any operation is recorded (``data_version``): reruns and other sessions reuse it.

    ``url`` and ``version`` are only part of the cache key (named without ``_`` so that Streamlit hashes them)."""
    del url, version
    return get_history(session.engine(), today=today, start=start, end=end)


def render_history(today: date) -> None:
    """Marketing and non-marketing contacts per day, the billed tier as a step line, update dates marked."""
    cols = st.columns([1, 1, 3])
    start = cols[0].date_input(
        "From", value=today - timedelta(days=DEFAULT_DAYS), key=f"history_from_{today}", format="YYYY-MM-DD"
    )
    end = cols[1].date_input("To", value=today, key=f"history_to_{today}", format="YYYY-MM-DD")
    version = data_version(session.engine())
    history = session.run(lambda: _history(database_url(), version, today, start, end))
    if history is None:
        return
    st.plotly_chart(_figure(history), key="history_chart")
    st.caption(
        "Exact for every past day: counted from the status events. A contact set non-marketing leaves the "
        "marketing line on the update date, not when it was scheduled. Days after today assume nothing else changes."
    )


def _plain(name: str) -> str:
    return name.replace("_", " ")


def _bars(title: str, rows: list[tuple[str, int]], key: str, label: Callable[[str], str] | None = None) -> None:
    labels = [(label or _plain)(name) for name, _ in rows][::-1]
    figure = go.Figure(go.Bar(x=[n for _, n in rows][::-1], y=labels, orientation="h", marker_color=MARKETING))
    figure.update_traces(texttemplate="%{x:,}", textposition="auto", hovertemplate="%{y}: %{x:,}<extra></extra>")
    figure.update_layout(
        title=title, height=max(240, 40 * len(rows) + 90), margin={"t": 50, "l": 10}, xaxis_tickformat=","
    )
    st.plotly_chart(figure, key=key)


def render_breakdown(today: date) -> None:
    """Marketing contacts by what made them marketing and by lifecycle stage."""
    breakdown = session.run(lambda: marketing_breakdown(session.engine(), today=today))
    if breakdown is None:
        return
    st.caption(
        f"The {breakdown.marketing:,} marketing contacts on {today:%d %b %Y} (pending ones included), by what made "
        "them marketing — never the tool that scheduled them to leave. Each contact's page says the same."
    )
    cols = st.columns(2)
    with cols[0]:
        _bars("By what made them marketing", breakdown.by_source, "breakdown_source")
    with cols[1]:
        _bars("By lifecycle stage", breakdown.by_stage, "breakdown_stage", stage_label)  # HubSpot's labels
