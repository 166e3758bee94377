"""Usage & limits, Forecast tab: contacts and marketing contacts on the coming update dates, with a band, the tier
and its price, the method in words and how it relates to the simulator. Renders core's forecast; no writes."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import streamlit as st
from babel.dates import format_date

from core.i18n import Translator
from core.rules.money import amount
from core.services.forecast import RELATION_TO_SIMULATOR, Forecast, get_forecast, one_decimal
from core.services.history import data_version
from core.settings import database_url
from pages.shared import i18n, session
from pages.shared.i18n import _
from pages.usage._charts import localise

MAX_TIER_LINES = 6


def _figure(forecast: Forecast, t: Translator) -> go.Figure:
    months, rows = [m.on for m in forecast.months], forecast.months
    shown = [t.month(d) for d in months]  # the hover's month, in the language (Plotly's %b is English)
    figure = go.Figure()
    figure.add_scatter(
        name=_("High"), x=months, y=[m.marketing_high for m in rows], line={"width": 0}, showlegend=False
    )
    figure.add_scatter(
        name=_("Band (low to high)"),
        x=months,
        y=[m.marketing_low for m in rows],
        fill="tonexty",
        fillcolor="rgba(46,125,50,0.15)",
        line={"width": 0},
    )
    figure.add_scatter(
        name=_("Projected marketing contacts"), x=months, y=[m.marketing for m in rows], line_color="#2e7d32"
    )
    figure.add_scatter(name=_("Projected contacts"), x=months, y=[m.total for m in rows], line_color="#9e9e9e")
    figure.add_scatter(
        name=_("If nothing else changes (simulator)"),
        x=months,
        y=[m.if_nothing_changes for m in rows],
        line={"color": "#1565c0", "dash": "dot"},
    )
    figure.add_scatter(
        name=_("Projected billed tier"),
        x=months,
        y=[m.tier for m in rows],
        line={"color": "#c62828", "dash": "dash"},
    )
    for tier in forecast.thresholds[:MAX_TIER_LINES]:
        figure.add_hline(y=tier, line_width=1, line_dash="dot", line_color="#bdbdbd", annotation_text=t.number(tier))
    figure.update_traces(customdata=shown, hovertemplate="%{customdata}: %{y:,}")
    figure.update_layout(height=420, margin={"t": 30}, yaxis_tickformat=",", legend={"orientation": "h", "y": -0.15})
    return localise(figure, t, ticks=months)


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
    t = i18n.t()
    if forecast.exceeds_on:
        st.warning(
            _(
                "At the expected pace the marketing count goes above the billed tier ({tier}) in {month}.",
                tier=forecast.billed_tier,
                month=format_date(forecast.exceeds_on, "LLLL y", locale=t.language),
            )
        )
    else:
        st.success(
            _(
                "At the expected pace the marketing count stays within the billed tier ({tier}).",
                tier=forecast.billed_tier,
            )
        )
    low, expected, high = forecast.pace.marketing
    st.markdown(
        _(
            "**Pace:** {arrivals} contacts arrive a day; **{expected}** of them become marketing (band {low} to "
            "{high}).",
            arrivals=one_decimal(forecast.arrivals_per_day, t),
            expected=one_decimal(expected, t),
            low=one_decimal(low, t),
            high=one_decimal(high, t),
        )
    )
    st.plotly_chart(_figure(forecast, t), key="forecast_chart")
    st.caption(_("**Method.** {method}", method=forecast.method_text(t)))
    st.caption(_("**The simulator.** {relation}", relation=t(RELATION_TO_SIMULATOR)))
    rows = [
        {
            _("Update date"): i18n.day(m.on),
            _("Contacts"): t.number(m.total),
            _("Marketing (low – high)"): (
                f"{t.number(m.marketing)} ({t.number(m.marketing_low)} – {t.number(m.marketing_high)})"
            ),
            _("If nothing else changes"): t.number(m.if_nothing_changes),
            _("Billed tier"): t.number(m.tier),
            _("Monthly price"): amount(m.monthly_price, forecast.currency, t),
            _("Monthly price (high)"): amount(m.monthly_price_high, forecast.currency, t),
        }
        for m in forecast.months
    ]
    st.table(rows)
