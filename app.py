"""Marketable dashboard entry: settings, the cached engine, navigation by section and the shared sidebar. No logic."""

import streamlit as st

from pages.shared import access, layout, session, sidebar

st.set_page_config(page_title="Marketable", page_icon=":material/campaign:", layout="wide")
session.start_run()
layout.apply()

SECTIONS = {
    "Usage": [
        st.Page("pages/usage/usage.py", title="Usage & limits", icon=":material/speed:", default=True),
    ],
    "Contacts": [
        st.Page("pages/contacts/contacts.py", title="Contacts", icon=":material/contacts:"),
        st.Page("pages/contacts/contact.py", title="Contact", icon=":material/person:", visibility="hidden"),
        st.Page("pages/contacts/import_contacts.py", title="Import contacts", icon=":material/upload_file:"),
        st.Page("pages/contacts/sources.py", title="Default status by source", icon=":material/tune:"),
    ],
    "Automation": [
        st.Page("pages/workflows/workflows.py", title="Workflows", icon=":material/account_tree:"),
    ],
    "Administration": [
        st.Page("pages/admin/settings.py", title="Account settings", icon=":material/settings:"),
        st.Page("pages/admin/connections.py", title="Connections", icon=":material/hub:"),
        st.Page("pages/admin/audit.py", title="Audit", icon=":material/history:"),
        st.Page("pages/admin/users.py", title="Users", icon=":material/group:"),
    ],
}

navigation = st.navigation(access.gate(SECTIONS))  # sign-in first once users exist
sidebar.draw()
navigation.run()
