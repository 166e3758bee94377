"""Marketable dashboard entry: settings, the cached engine, navigation and the shared sidebar. No logic."""

import streamlit as st

from pages import common

st.set_page_config(page_title="Marketable", page_icon=":material/campaign:", layout="wide")

PAGES = [
    st.Page("pages/usage.py", title="Usage & limits", icon=":material/speed:", default=True),
]

navigation = st.navigation(PAGES)
common.sidebar()
navigation.run()
