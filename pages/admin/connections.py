"""Connections: HubSpot. Sync contacts from HubSpot with a progress bar, and see the last sync. The access token is
read from the environment or .streamlit/secrets.toml by the core and never shown here."""

import streamlit as st

from core.services.hubspot.sync import status, sync
from pages.admin import _connections
from pages.shared import access, allowed, i18n, messages, session
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
    bar = st.progress(0.0, text=_("Asking HubSpot how many contacts there are…"))
    result = session.run(
        lambda: sync(
            session.engine(),
            today=session.real_today(),
            actor=session.actor(),
            full=full,
            progress=lambda share, text: bar.progress(share, text=text),
            t=i18n.t(),
        )
    )
    if result is not None:
        st.cache_data.clear()  # contacts and counts changed
        messages.flash(_connections.outcome(result.as_json()))
        st.rerun()
