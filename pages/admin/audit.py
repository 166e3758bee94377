"""Audit: who changed what and when — status changes, imports, update dates, settings, users and sign-ins."""

import pandas as pd
import streamlit as st

from core.services.audit import AuditFilter, audit_choices, audit_csv_bytes, kind_label, list_audit
from core.services.contact_detail import describe_source
from pages.shared import access, session

access.require_access()
PAGE_SIZE = 50

st.title("Audit")
st.caption(
    "Every operation, newest first: when it was recorded and the day it acted on. "
    "Each contact's own history is on its detail page."
)
choices = audit_choices(session.engine())
cols = st.columns([2, 3, 2, 3])
actor = cols[0].selectbox("Actor", ["All", *choices["actors"]], key="audit_actor")
kinds = cols[1].multiselect(
    "Kind", choices["kinds"], key="audit_kinds", placeholder="All kinds", format_func=kind_label
)
source = cols[2].selectbox(
    "Source",
    ["All", *choices["source_types"]],
    key="audit_source",
    format_func=lambda s: s if s == "All" else describe_source(s, None),
)
days = cols[3].date_input(
    "Dates acted on", value=[], key="audit_days", format="YYYY-MM-DD", help="the days the operations acted on"
)
since = days[0] if len(days) > 0 else None
until = days[1] if len(days) > 1 else since
criteria = AuditFilter(
    actor=None if actor == "All" else actor,
    kinds=tuple(kinds),
    source_type=None if source == "All" else source,
    since=since,
    until=until,
)
page_number = int(st.session_state.get("audit_page", 1))
result = session.run(lambda: list_audit(session.engine(), criteria=criteria, page=page_number, page_size=PAGE_SIZE))
if result is None:
    st.stop()
if page_number > result.pages:
    st.session_state["audit_page"] = 1
    st.rerun()

st.write(f"{session.number(result.total)} entries · page {page_number:,} of {result.pages:,}")
rows = [
    {
        "When": e.requested_at,
        "Acted on": e.acted_on,
        "Kind": kind_label(e.kind),
        "Actor": e.actor,
        "Source": describe_source(e.source_type, None) if e.source_type else "",
        "Source ID": e.source_id or "",
        "Details": e.readable_details,
    }
    for e in result.entries
]
COLUMNS = ["When", "Acted on", "Kind", "Actor", "Source", "Source ID", "Details"]
st.dataframe(pd.DataFrame(rows, columns=COLUMNS), hide_index=True)
nav = st.columns([1, 1, 6, 2])
if nav[0].button("Previous", key="audit_prev", disabled=page_number <= 1):
    st.session_state["audit_page"] = page_number - 1
    st.rerun()
if nav[1].button("Next", key="audit_next", disabled=page_number >= result.pages):
    st.session_state["audit_page"] = page_number + 1
    st.rerun()
nav[3].download_button(
    "Download CSV",
    data=lambda: audit_csv_bytes(session.engine(), criteria=criteria),
    file_name="marketable-audit.csv",
    mime="text/csv",
    key="audit_csv",
)
