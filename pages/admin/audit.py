"""Audit: who changed what and when — status changes, imports, update dates, settings, users and sign-ins."""

import pandas as pd
import streamlit as st

from core.services.audit import AuditFilter, audit_choices, audit_csv_bytes, kind_label, list_audit, source_label
from pages.shared import access, i18n, session
from pages.shared.i18n import _

access.require_access()
PAGE_SIZE = 50
ALL = ""  # the "All" choice of a filter (no actor, kind or source is empty)

st.title(_("Audit"))
st.caption(
    _(
        "Every operation, newest first: when it was recorded and the day it acted on. "
        "Each contact's own history is on its detail page."
    )
)
t = i18n.t()
choices = audit_choices(session.engine())
cols = st.columns([2, 3, 2, 3])
actor = cols[0].selectbox(
    _("Actor"),
    [ALL, *choices["actors"]],
    key="audit_actor",
    format_func=lambda a: a or i18n.pgettext("every actor", "All"),
)
kinds = cols[1].multiselect(
    _("Kind"),
    choices["kinds"],
    key="audit_kinds",
    placeholder=_("All kinds"),
    format_func=lambda k: kind_label(k, t),
)
source = cols[2].selectbox(
    _("Source"),
    [ALL, *choices["source_types"]],
    key="audit_source",
    format_func=lambda s: source_label(s, t) if s else i18n.pgettext("every source", "All"),
)
days = cols[3].date_input(
    _("Dates acted on"),
    value=[],
    key="audit_days",
    format="YYYY-MM-DD",
    help=_("the days the operations acted on"),
)
since = days[0] if len(days) > 0 else None
until = days[1] if len(days) > 1 else since
criteria = AuditFilter(
    actor=actor or None,
    kinds=tuple(kinds),
    source_type=source or None,
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

st.write(
    i18n.ngettext(
        "{n} entry · page {page} of {pages}",
        "{n} entries · page {page} of {pages}",
        result.total,
        page=page_number,
        pages=result.pages,
    )
)
COLUMNS = {
    "when": _("When"),
    "acted_on": _("Acted on"),
    "kind": _("Kind"),
    "actor": _("Actor"),
    "source": _("Source"),
    "source_id": _("Source ID"),
    "details": _("Details"),
}
rows = [
    {
        "when": e.requested_at,
        "acted_on": e.acted_on,
        "kind": kind_label(e.kind, t),
        "actor": e.actor,
        "source": source_label(e.source_type, t) if e.source_type else "",
        "source_id": e.source_id or "",
        "details": e.readable(t),
    }
    for e in result.entries
]
table = pd.DataFrame(rows, columns=list(COLUMNS)).rename(columns=COLUMNS)
st.dataframe(table, hide_index=True)
nav = st.columns([1.6, 1.6, 4.8, 2])  # room for the longer Polish labels (Poprzednia, Następna) on one line
if nav[0].button(_("Previous"), key="audit_prev", disabled=page_number <= 1):
    st.session_state["audit_page"] = page_number - 1
    st.rerun()
if nav[1].button(_("Next"), key="audit_next", disabled=page_number >= result.pages):
    st.session_state["audit_page"] = page_number + 1
    st.rerun()
nav[3].download_button(
    _("Download CSV"),
    data=lambda: audit_csv_bytes(session.engine(), criteria=criteria),
    file_name="marketable-audit.csv",
    mime="text/csv",
    key="audit_csv",
)
