"""The server: Streamlit runs the dashboard (app.py) and one more route, the one that keeps a signed-in browser's
session cookie (pages/shared/browser_session.py). Start it with ``streamlit run server.py``."""

import streamlit as st

from pages.shared.browser_session import ROUTES

app = st.App("app.py", routes=ROUTES)
