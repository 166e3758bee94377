"""Marketable dashboard entry: settings, the cached engine, navigation and the shared sidebar. No logic."""

import streamlit as st

from pages import common

st.set_page_config(page_title="Marketable", page_icon=":material/campaign:", layout="wide")

PAGES = [
    st.Page("pages/usage.py", title="Usage & limits", icon=":material/speed:", default=True),
    st.Page("pages/workflows.py", title="Workflows", icon=":material/account_tree:"),
    st.Page("pages/contacts.py", title="Contacts", icon=":material/contacts:"),
    st.Page("pages/contact_detail.py", title="Contact", icon=":material/person:", visibility="hidden"),
    st.Page("pages/contacts_import.py", title="Import contacts", icon=":material/upload_file:"),
    st.Page("pages/contacts_sources.py", title="Default status by source", icon=":material/tune:"),
    st.Page("pages/settings.py", title="Account settings", icon=":material/settings:"),
    st.Page("pages/audit.py", title="Audit", icon=":material/history:"),
    st.Page("pages/users.py", title="Users", icon=":material/group:"),
]

navigation = st.navigation(common.gate(PAGES))  # sign-in first once users exist
common.sidebar()
navigation.run()
