"""Sign in: a local account's username and password, or the identity provider configured in secrets.toml."""

import streamlit as st

from core.services.signin import sign_in
from pages.shared import access, i18n, session
from pages.shared.i18n import _
from pages.shared.messages import show_flash
from pages.shared.text import plain

st.title(_("Sign in to Marketable"))
show_flash()  # why the session ended, or that local mode has

if access.oidc_configured():
    refused = st.session_state.get("oidc_refused")
    if refused:
        st.error(plain(i18n.error_text(refused) if isinstance(refused, BaseException) else refused))
        st.button(_("Sign out of the identity provider"), key="oidc_logout", on_click=st.logout)
    else:
        st.write(_("Marketable uses your organisation's sign-in."))
        st.button(_("Sign in with your identity provider"), key="oidc_login", type="primary", on_click=st.login)
    st.stop()

# clear_on_submit: the typed password does not stay in the session's widget state.
with st.form("signin_form", clear_on_submit=True):
    username = st.text_input(_("Username"), autocomplete="username")
    password = st.text_input(_("Password"), type="password", autocomplete="current-password")
    submitted = st.form_submit_button(_("Sign in"), type="primary")

if submitted:
    user = session.run(
        lambda: sign_in(session.engine(), username=username, password=password, today=session.real_today())
    )
    if user is not None:
        access.signed_in_now(user)  # the rerun opens the page this address names (a deep link survives)
        st.rerun()
st.caption(_("Sessions end when you sign out or after 30 minutes without activity."))
