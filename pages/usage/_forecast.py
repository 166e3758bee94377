"""Usage & limits, Forecast tab: contacts and marketing contacts on the coming update dates, with a band, the tier
and its price, the method in words and how it relates to the simulator. Renders core's forecast; no writes."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import streamlit as st

from core.rules.money import amount
from core.services.forecast import RELATION_TO_SIMULATOR, Forecast, get_forecast
from core.services.history import data_version
from core.settings import database_url
from pages.shared import session

MAX_TIER_LINES = 6


def _figure(forecast: Forecast) -> go.Figure:
    months, rows = [m.on for m in forecast.months], forecast.months
    figure = go.Figure()
    figure.add_scatter(name="High", x=months, y=[m.marketing_high for m in rows], line={"width": 0}, showlegend=False)
    figure.add_scatter(
        name="Band (low to high)",
        x=months,
        y=[m.marketing_low for m in rows],
        fill="tonexty",
        fillcolor="rgba(46,125,50,0.15)",
        line={"width": 0},
    )
    figure.add_scatter(
        name="Projected marketing contacts", x=months, y=[m.marketing for m in rows], line_color="#2e7d32"
    )
    figure.add_scatter(name="Projected contacts", x=months, y=[m.total for m in rows], line_color="#9e9e9e")
    figure.add_scatter(
        name="If nothing else changes (simulator)",
        x=months,
        y=[m.if_nothing_changes for m in rows],
        line={"color": "#1565c0", "dash": "dot"},
    )
    figure.add_scatter(
        name="Projected billed tier", x=months, y=[m.tier for m in rows], line={"color": "#c62828", "dash": "dash"}
    )
    for tier in forecast.thresholds[:MAX_TIER_LINES]:
        figure.add_hline(y=tier, line_width=1, line_dash="dot", line_color="#bdbdbd", annotation_text=f"{tier:,}")
    figure.update_traces(hovertemplate="%{x|%b %Y}: %{y:,}")
    figure.update_layout(height=420, margin={"t": 30}, yaxis_tickformat=",", legend={"orientation": "h", "y": -0.15})
    return figure


@st.cache_data(max_entries=8, ttl=600, show_spinner=False)
def _forecast(url: str, version: str, today: date) -> Forecast:
    """Kept until any operation is recorded (``data_version``); ``url`` and ``version`` are only the cache key."""
    del url, version
    return get_forecast(session.engine(), today=today)


def render_forecast() -> None:
    """The forecast always starts from today, also while "Simulate as of" shows another day."""
    version = data_version(session.engine())
    forecast = session.run(lambda: _forecast(database_url(), version, session.real_today()))
    if forecast is None:
        return
    if forecast.exceeds_on:
        st.warning(
            f"At the expected pace the marketing count goes above the billed tier ({forecast.billed_tier:,}) "
            f"in {forecast.exceeds_on:%B %Y}."
        )
    else:
        st.success(f"At the expected pace the marketing count stays within the billed tier ({forecast.billed_tier:,}).")
    low, expected, high = forecast.pace.marketing
    st.markdown(
        f"**Pace:** {forecast.arrivals_per_day:,.1f} contacts arrive a day; **{expected:,.1f}** of them become "
        f"marketing (band {low:,.1f} to {high:,.1f})."
    )
    st.plotly_chart(_figure(forecast), key="forecast_chart")
    st.caption(f"**Method.** {forecast.method}")
    st.caption(f"**The simulator.** {RELATION_TO_SIMULATOR}")
    rows = [
        {
            "Update date": f"{m.on:%d %b %Y}",
            "Contacts": f"{m.total:,}",
            "Marketing (low – high)": f"{m.marketing:,} ({m.marketing_low:,} – {m.marketing_high:,})",
            "If nothing else changes": f"{m.if_nothing_changes:,}",
            "Billed tier": f"{m.tier:,}",
            "Monthly price": amount(m.monthly_price, forecast.currency),
            "Monthly price (high)": amount(m.monthly_price_high, forecast.currency),
        }
        for m in forecast.months
    ]
    st.table(rows)
