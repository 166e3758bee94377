"""Connections: HubSpot. Sync contacts from HubSpot (a background job, its progress in the sidebar), and see the
last sync. The access token is
read from the environment or .streamlit/secrets.toml by the core and never shown here."""

import streamlit as st

from core.services.background import sync_job
from core.services.hubspot.sync import status
from pages.admin import _connections
from pages.shared import access, allowed, jobs, messages, session
from pages.shared.allowed import Action
from pages.shared.i18n import _

access.require_access()
st.title(_("Connections"))
st.subheader("HubSpot")
messages.show_flash()
state = session.run(lambda: status(session.engine()))
if state is None:
    st.stop()

if state.token_configured:
    st.caption(
        _(
            "A private app's access token is configured on the server (never shown here). API: {url}",
            url=state.api_url,
        )
    )
else:
    st.warning(
        _(
            "No HubSpot access token is configured. Create a private app in HubSpot (Settings → Integrations → "
            "Private apps) with the scopes crm.objects.contacts.read, crm.lists.read and crm.lists.write, and set its "
            "token as HUBSPOT_ACCESS_TOKEN in the server's environment or in .streamlit/secrets.toml."
        )
    )
_connections.last_sync(state.last_sync)
st.caption(_(_connections.NEXT[state.next_mode]))
st.info(_(_connections.PUSH_NOTE), icon=":material/info:")

reason = allowed.blocked(Action.EDIT_CONTACTS) or allowed.blocked(Action.CHANGE_STATUS)
blocked = bool(reason) or not state.token_configured
full = st.checkbox(_("Read every contact again (full sync)"), key="hubspot_full", disabled=blocked)
clicked = st.button(
    _("Sync now"), key="hubspot_sync", type="primary", disabled=blocked, icon=":material/sync:", help=reason
)
allowed.note(reason)
if clicked:
    started = session.run(
        lambda: sync_job(session.engine(), today=session.real_today(), actor=session.actor(), full=full)
    )
    if started is not None:
        jobs.follow(started)  # the sidebar shows its progress on every page, and how it went
        messages.flash(
            _("The HubSpot sync runs in the background: its progress is in the sidebar, and you can leave this page."),
            level="info",
        )
        st.rerun()
