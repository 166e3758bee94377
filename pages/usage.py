"""Usage & limits: where the account stands against its contact tier."""

import plotly.graph_objects as go
import streamlit as st

from core.services.usage import get_usage
from pages import common

st.title("Usage & limits")
usage = common.run(lambda: get_usage(common.engine(), today=common.today()))
if usage is None:
    st.stop()

for alert in usage.alerts[-1:]:
    (st.error if alert["level"] == "error" else st.warning)(alert["message"])

cols = st.columns(4)
cols[0].metric("Marketing contacts", common.number(usage.marketing), help="Billed: pending ones included")
cols[1].metric("Pending non-marketing", common.number(usage.pending), help="Leave on the next update date")
cols[2].metric("Non-marketing contacts", common.number(usage.non_marketing))
cols[3].metric("Total contacts", common.number(usage.total))
cols = st.columns(4)
cols[0].metric("Billed tier", common.number(usage.tier_limit))
cols[1].metric("Percent of tier", f"{usage.percent_of_tier:.1f} %")
cols[2].metric("Next update date", f"{usage.next_update_date:%d %b %Y}")
cols[3].metric("Renewal date", f"{usage.renewal_date:%d %b %Y}")

figure = go.Figure()
figure.add_bar(name="Marketing (staying)", x=["Contacts"], y=[usage.marketing - usage.pending], marker_color="#2e7d32")
figure.add_bar(name="Pending non-marketing", x=["Contacts"], y=[usage.pending], marker_color="#f9a825")
figure.add_bar(name="Non-marketing", x=["Contacts"], y=[usage.non_marketing], marker_color="#9e9e9e")
figure.add_hline(
    y=usage.tier_limit, line_dash="dash", line_color="#c62828", annotation_text=f"Billed tier {usage.tier_limit:,}"
)
figure.update_layout(barmode="stack", height=380, yaxis_tickformat=",", margin={"t": 30})
st.plotly_chart(figure, key="usage_chart")
