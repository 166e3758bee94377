"""Usage & limits, History and "why is my count this number" tabs: charts of core read models."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import plotly.graph_objects as go
import streamlit as st

from core.i18n import Translator
from core.rules.hubspot_labels import LIFECYCLE_STAGES, stage_label
from core.services.breakdown import UNKNOWN, marketing_breakdown, source_label
from core.services.history import DEFAULT_DAYS, History, data_version, get_history
from core.settings import database_url
from pages.shared import i18n, session
from pages.shared.i18n import _, ngettext, pgettext
from pages.usage._charts import localise

MARKETING, NON_MARKETING, TIER = "#2e7d32", "#9e9e9e", "#c62828"


def _mark_text(t: Translator, day: date, n: int, projected: bool) -> str:
    """An update date's hover text: ``01 Dec 2026: 69 became non-marketing`` (or ``due``, still to come)."""
    if projected:
        return t.ngettext("{day}: {n} due", "{day}: {n} due", n, day=day)
    return t.ngettext("{day}: {n} became non-marketing", "{day}: {n} became non-marketing", n, day=day)


def _figure(history: History, t: Translator) -> go.Figure:
    days = [d.day for d in history.days]
    figure = go.Figure()
    figure.add_scatter(
        name=pgettext("contacts", "Marketing"), x=days, y=[d.marketing for d in history.days], line_color=MARKETING
    )
    figure.add_scatter(
        name=pgettext("contacts", "Non-marketing"),
        x=days,
        y=[d.non_marketing for d in history.days],
        line_color=NON_MARKETING,
    )
    figure.add_scatter(
        name=_("Billed tier"),
        x=days,
        y=[d.tier for d in history.days],
        line={"color": TIER, "dash": "dash", "shape": "hv"},
    )
    by_day = {d.day: d.marketing for d in history.days}
    marks = [m for m in history.updates if m.day in by_day]
    figure.add_scatter(
        name=_("Update dates"),
        x=[m.day for m in marks],
        y=[by_day[m.day] for m in marks],
        mode="markers",
        marker={"symbol": "diamond", "size": 9, "color": "#1565c0"},
        customdata=[_mark_text(t, m.day, m.became_non_marketing, m.projected) for m in marks],
        hovertemplate="%{customdata}<extra>" + _("Update date") + "</extra>",
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
    return localise(figure, t, days=days)


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
        pgettext("date range", "From"),
        value=today - timedelta(days=DEFAULT_DAYS),
        key=f"history_from_{today}",
        format="YYYY-MM-DD",
    )
    end = cols[1].date_input(pgettext("date range", "To"), value=today, key=f"history_to_{today}", format="YYYY-MM-DD")
    version = data_version(session.engine())
    history = session.run(lambda: _history(database_url(), version, today, start, end))
    if history is None:
        return
    st.plotly_chart(_figure(history, i18n.t()), key="history_chart")
    st.caption(
        _(
            "Exact for every past day: counted from the status events. A contact set non-marketing leaves the "
            "marketing line on the update date, not when it was scheduled. Days after today assume nothing else "
            "changes."
        )
    )


def _stage(name: str) -> str:
    """HubSpot's label of a default stage in the session's language; a custom stage as stored."""
    if name in LIFECYCLE_STAGES:
        return _(stage_label(name))
    return _("unknown") if name == UNKNOWN else stage_label(name)  # UNKNOWN: contacts without a stage


def _bars(title: str, rows: list[tuple[str, int]], key: str, label: Callable[[str], str]) -> None:
    labels = [label(name) for name, _n in rows][::-1]
    figure = go.Figure(go.Bar(x=[n for _s, n in rows][::-1], y=labels, orientation="h", marker_color=MARKETING))
    figure.update_traces(texttemplate="%{x:,}", textposition="auto", hovertemplate="%{y}: %{x:,}<extra></extra>")
    figure.update_layout(
        title=title, height=max(240, 40 * len(rows) + 90), margin={"t": 50, "l": 10}, xaxis_tickformat=","
    )
    st.plotly_chart(localise(figure, i18n.t()), key=key)


def render_breakdown(today: date) -> None:
    """Marketing contacts by what made them marketing and by lifecycle stage."""
    breakdown = session.run(lambda: marketing_breakdown(session.engine(), today=today))
    if breakdown is None:
        return
    st.caption(
        ngettext(
            "The {n} marketing contacts on {day} (pending ones included), by what made them marketing — never the "
            "tool that scheduled them to leave. Each contact's page says the same.",
            "The {n} marketing contacts on {day} (pending ones included), by what made them marketing — never the "
            "tool that scheduled them to leave. Each contact's page says the same.",
            breakdown.marketing,
            day=today,
        )
    )
    t = i18n.t()
    cols = st.columns(2)
    with cols[0]:
        _bars(_("By what made them marketing"), breakdown.by_source, "breakdown_source", lambda s: source_label(s, t))
    with cols[1]:
        _bars(_("By lifecycle stage"), breakdown.by_stage, "breakdown_stage", _stage)  # HubSpot's labels
