"""Usage & limits: where the account stands against its contact tier, how it got here, what comes next."""

import plotly.graph_objects as go
import streamlit as st

from core.rules.money import amount
from core.services.forecast import one_decimal
from core.services.history import recent_update_runs
from core.services.usage import get_usage
from pages.shared import access, i18n, session, simulation
from pages.shared.i18n import _, ngettext, pgettext
from pages.usage import _forecast as usage_forecast
from pages.usage import _history as usage_history
from pages.usage import _simulator as usage_simulator
from pages.usage import _wizard as usage_wizard
from pages.usage._charts import localise

access.require_access()  # also when Streamlit runs this file straight from its URL
t = i18n.t()
st.title(_("Usage & limits"))
today = session.today()
usage = session.run(lambda: get_usage(session.engine(), today=today))
if usage is None:
    st.stop()
simulation.banner()

for alert in usage.alerts[-1:]:  # core's alert in English (the JSON's); the page says it in the session's language
    if alert["level"] == "error":
        st.error(
            _(
                "Marketing contacts exceed the tier ({marketing} of {tier}).",
                marketing=usage.marketing,
                tier=usage.tier_limit,
            )
        )
    else:
        st.warning(
            _(
                "Marketing contacts are at {threshold} % of the tier or more ({marketing} of {tier}).",
                threshold=int(alert["threshold"]),
                marketing=usage.marketing,
                tier=usage.tier_limit,
            )
        )

cols = st.columns(4)
cols[0].metric(_("Marketing contacts"), session.number(usage.marketing), help=_("Billed: pending ones included"))
cols[1].metric(
    _("Marketing contacts until next update"),  # STATE_PLURALS[State.PENDING]
    session.number(usage.pending),
    help=_("Leave on the next update date"),
)
cols[2].metric(_("Non-marketing contacts"), session.number(usage.non_marketing))
cols[3].metric(_("Total contacts"), session.number(usage.total))
cols = st.columns(4)
cols[0].metric(
    _("Billed tier"),
    session.number(usage.tier_limit),
    help=_("{price} a month", price=amount(usage.monthly_price, usage.currency, t)),
)
cols[1].metric(_("Percent of tier"), _("{percent} %", percent=one_decimal(usage.percent_of_tier, t)))
cols[2].metric(_("Next update date"), i18n.day(usage.next_update_date))
cols[3].metric(
    _("Renewal date"),
    i18n.day(usage.renewal_date),
    help=_("Tier one could renew at: {tier}", tier=usage.renewal_tier),
)

money = usage.money
if money is not None:
    cols = st.columns(4)
    cols[0].metric(_("Monthly cost now"), amount(money.now.price_before, usage.currency, t))
    cols[1].metric(
        _("From the update date {day}", day=t.day_month(money.next_update.on)),
        amount(money.next_update.price_before, usage.currency, t),
        help=_("When the pending contacts have left; the tier is lowered only at renewal"),
    )
    cols[2].metric(
        _("At renewal {day}", day=money.renewal.on),
        amount(money.renewal.price_before, usage.currency, t),
        help=_("Tier {tier}: the smallest that fits that day's count", tier=money.renewal.tier_before),
    )
    saves = usage.pending_saves.renewal.price_change if usage.pending_saves else 0
    cols[3].metric(_("Pending changes save a month"), amount(saves, usage.currency, t), help=_("From renewal on"))

runs = session.run(lambda: recent_update_runs(session.engine(), limit=3)) or []
if runs:
    shown = " · ".join(
        ngettext("{day}: {n} became non-marketing", "{day}: {n} became non-marketing", left, day=day)
        for day, left in runs
    )
    st.caption(_("Last update runs — {runs}", runs=shown))

figure = go.Figure()
contacts = [_("Contacts")]
figure.add_bar(name=_("Marketing (staying)"), x=contacts, y=[usage.marketing - usage.pending], marker_color="#2e7d32")
figure.add_bar(name=_("Marketing contacts until next update"), x=contacts, y=[usage.pending], marker_color="#f9a825")
figure.add_bar(name=pgettext("contacts", "Non-marketing"), x=contacts, y=[usage.non_marketing], marker_color="#9e9e9e")
figure.add_hline(
    y=usage.tier_limit,
    line_dash="dash",
    line_color="#c62828",
    annotation_text=_("Billed tier {tier}", tier=usage.tier_limit),
)
figure.update_layout(barmode="stack", height=380, yaxis_tickformat=",", margin={"t": 30})
figure.update_traces(width=0.5, hovertemplate="%{fullData.name}: %{y:,}<extra></extra>")
st.plotly_chart(localise(figure, t), key="usage_chart")

# Lazy tabs: only the open tab runs its queries.
TABS = (_("History"), _("Why this number"), _("Manage marketing contacts"), _("Simulator"), _("Forecast"))
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
