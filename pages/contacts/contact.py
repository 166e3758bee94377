"""One contact: its fields, its status with the reason (what made it marketing, by whom, when), its history."""

import streamlit as st

from core.errors import DomainError
from core.services.contact_detail import find_contact_id, get_contact
from pages.contacts import _detail as detail_view
from pages.contacts import _detail_edit as detail_edit
from pages.shared import access, i18n, session, simulation
from pages.shared.i18n import _
from pages.shared.messages import flash, show_flash

access.require_access()
st.page_link("pages/contacts/contacts.py", label=_("Back to contacts"), icon=":material/arrow_back:")


def _lookup() -> None:
    try:
        st.session_state["contact_id"] = find_contact_id(session.engine(), text=st.session_state.get("cd_lookup", ""))
    except DomainError as exc:
        flash(i18n.error_text(exc), level="error")


st.text_input(
    _("Open a contact by ID or email"),
    key="cd_lookup",
    placeholder=_("e.g. 42 or ada@example.com"),
    on_change=_lookup,
)
simulation.banner()
show_flash()  # a lookup that found nobody, or how a change made on this page went
contact_id: int | None = st.session_state.get("contact_id")
if contact_id is None:
    st.info(_("Open a contact from the Contacts page (select its row, then Open contact), or type its ID or email."))
    st.stop()
wanted = int(contact_id)
detail = session.run(lambda: get_contact(session.engine(), contact_id=wanted, t=i18n.t()))
if detail is None:
    st.stop()

detail_view.header(detail)
detail_view.status(detail)
if detail.fields is not None:
    detail_edit.status_buttons(detail)
    detail_view.fields(detail.fields)
detail_view.history(detail)
if detail.fields is None:
    st.stop()
detail_edit.edit_form(detail.id, detail.fields)
detail_edit.delete(detail.id, detail.fields["email"])
