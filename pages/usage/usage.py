"""Usage & limits: where the account stands against its contact tier, how it got here, what comes next."""

import plotly.graph_objects as go
import streamlit as st

from core.rules.money import amount
from core.rules.status import STATE_PLURALS, State
from core.services.history import recent_update_runs
from core.services.usage import get_usage
from pages.shared import access, session, simulation
from pages.usage import _forecast as usage_forecast
from pages.usage import _history as usage_history
from pages.usage import _simulator as usage_simulator
from pages.usage import _wizard as usage_wizard

access.require_access()  # also when Streamlit runs this file straight from its URL
st.title("Usage & limits")
today = session.today()
usage = session.run(lambda: get_usage(session.engine(), today=today))
if usage is None:
    st.stop()
simulation.banner()

for alert in usage.alerts[-1:]:
    (st.error if alert["level"] == "error" else st.warning)(alert["message"])

cols = st.columns(4)
cols[0].metric("Marketing contacts", session.number(usage.marketing), help="Billed: pending ones included")
cols[1].metric(STATE_PLURALS[State.PENDING], session.number(usage.pending), help="Leave on the next update date")
cols[2].metric("Non-marketing contacts", session.number(usage.non_marketing))
cols[3].metric("Total contacts", session.number(usage.total))
cols = st.columns(4)
cols[0].metric(
    "Billed tier", session.number(usage.tier_limit), help=f"{usage.monthly_price:,} {usage.currency} a month"
)
cols[1].metric("Percent of tier", f"{usage.percent_of_tier:.1f} %")
cols[2].metric("Next update date", f"{usage.next_update_date:%d %b %Y}")
cols[3].metric(
    "Renewal date", f"{usage.renewal_date:%d %b %Y}", help=f"Tier one could renew at: {usage.renewal_tier:,}"
)

money = usage.money
if money is not None:
    cols = st.columns(4)
    cols[0].metric("Monthly cost now", amount(money.now.price_before, usage.currency))
    cols[1].metric(
        f"From the update date {money.next_update.on:%d %b}",
        amount(money.next_update.price_before, usage.currency),
        help="When the pending contacts have left; the tier is lowered only at renewal",
    )
    cols[2].metric(
        f"At renewal {money.renewal.on:%d %b %Y}",
        amount(money.renewal.price_before, usage.currency),
        help=f"Tier {money.renewal.tier_before:,}: the smallest that fits that day's count",
    )
    saves = usage.pending_saves.renewal.price_change if usage.pending_saves else 0
    cols[3].metric("Pending changes save a month", amount(saves, usage.currency), help="From renewal on")

runs = session.run(lambda: recent_update_runs(session.engine(), limit=3)) or []
if runs:
    shown = " · ".join(f"{day:%d %b %Y}: {left:,} became non-marketing" for day, left in runs)
    st.caption(f"Last update runs — {shown}")

figure = go.Figure()
figure.add_bar(name="Marketing (staying)", x=["Contacts"], y=[usage.marketing - usage.pending], marker_color="#2e7d32")
figure.add_bar(name=STATE_PLURALS[State.PENDING], x=["Contacts"], y=[usage.pending], marker_color="#f9a825")
figure.add_bar(name="Non-marketing", x=["Contacts"], y=[usage.non_marketing], marker_color="#9e9e9e")
figure.add_hline(
    y=usage.tier_limit, line_dash="dash", line_color="#c62828", annotation_text=f"Billed tier {usage.tier_limit:,}"
)
figure.update_layout(barmode="stack", height=380, yaxis_tickformat=",", margin={"t": 30})
figure.update_traces(width=0.5, hovertemplate="%{fullData.name}: %{y:,}<extra></extra>")
st.plotly_chart(figure, key="usage_chart")

# Lazy tabs: only the open tab runs its queries.
TABS = ("History", "Why this number", "Manage marketing contacts", "Simulator", "Forecast")
history, why, manage, simulator, forecast = st.tabs(TABS, key="usage_tab", on_change="rerun", default=TABS[0])
if history.open:
    with history:
        usage_history.render_history(today)
if why.open:
    with why:
        usage_history.render_breakdown(today)
if manage.open:
    with manage:
        usage_wizard.render(today, usage.next_update_date)
if simulator.open:
    with simulator:
        usage_simulator.render_simulator(today, usage.next_update_date)
if forecast.open:
    with forecast:
        usage_forecast.render_forecast()
