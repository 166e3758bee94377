"""Marketable dashboard entry: settings, the cached engine, navigation by section and the shared sidebar. No logic."""

import streamlit as st

from pages.shared import access, language, layout, session, sidebar
from pages.shared.i18n import _

st.set_page_config(page_title="Marketable", page_icon=":material/campaign:", layout="wide")
session.start_run()
language.settle()
layout.apply()

SECTIONS = {
    _("Usage"): [
        st.Page("pages/usage/usage.py", title=_("Usage & limits"), icon=":material/speed:", default=True),
    ],
    _("Contacts"): [
        st.Page("pages/contacts/contacts.py", title=_("Contacts"), icon=":material/contacts:"),
        st.Page("pages/contacts/contact.py", title=_("Contact"), icon=":material/person:", visibility="hidden"),
        st.Page("pages/contacts/import_contacts.py", title=_("Import contacts"), icon=":material/upload_file:"),
        st.Page("pages/contacts/sources.py", title=_("Default status by source"), icon=":material/tune:"),
    ],
    _("Automation"): [
        st.Page("pages/workflows/workflows.py", title=_("Workflows"), icon=":material/account_tree:"),
    ],
    _("Administration"): [
        st.Page("pages/admin/settings.py", title=_("Account settings"), icon=":material/settings:"),
        st.Page("pages/admin/connections.py", title=_("Connections"), icon=":material/hub:"),
        st.Page("pages/admin/audit.py", title=_("Audit"), icon=":material/history:"),
        st.Page("pages/admin/users.py", title=_("Users"), icon=":material/group:"),
    ],
}

navigation = st.navigation(access.gate(SECTIONS))  # sign-in first once users exist
if language.settle():  # signed in just now: the person's own language
    st.rerun()
sidebar.draw()
navigation.run()
