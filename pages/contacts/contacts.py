"""Contacts: the index of contacts, page by page, with filters, saved views, static lists and bulk status changes."""

import streamlit as st

from pages.contacts import _actions as actions
from pages.contacts import _bulk as bulk
from pages.contacts import _dialogs as dialogs
from pages.contacts import _filters as filters
from pages.contacts import _hubspot_push as hubspot_push
from pages.contacts import _lists as static_lists
from pages.contacts import _new_contact as new_contact
from pages.contacts import _state as state
from pages.contacts import _table as table
from pages.shared import access, allowed, session, simulation
from pages.shared.allowed import Action
from pages.shared.i18n import _
from pages.shared.messages import show_flash

access.require_access()
head = st.columns([6, 2, 1], vertical_alignment="bottom")
head[0].title(_("Contacts"))
refused = allowed.blocked(Action.EDIT_CONTACTS)
with head[1].popover(_("New contact"), icon=":material/person_add:", disabled=bool(refused), help=refused):
    new_contact.form()
head[2].page_link(
    "pages/contacts/import_contacts.py", label=_("Import"), icon=":material/upload:", disabled=bool(refused)
)
simulation.banner()
show_flash()

table.sort_by_header()  # before the sort widgets are drawn
query = filters.render(session.today())
if query is None:
    st.stop()
found = state.counts(query)
if found is None:
    st.stop()
table.metrics(found)
page = table.load(query)
if page is None:
    st.stop()
actions.render(query, page.chosen, found.total)
table.draw(page, found.total, query)
static_lists.render()

bulk.show_dialog()
dialogs.show_dialog()
hubspot_push.show_dialog()
