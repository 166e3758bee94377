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
from pages.shared import access, session
from pages.shared.messages import show_flash

access.require_access()
head = st.columns([6, 2, 1], vertical_alignment="bottom")
head[0].title("Contacts")
with head[1].popover("New contact", icon=":material/person_add:"):
    new_contact.form()
head[2].page_link("pages/contacts/import_contacts.py", label="Import", icon=":material/upload:")
show_flash()

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
table.draw(page, found.total)
static_lists.render()

bulk.show_dialog()
dialogs.show_dialog()
hubspot_push.show_dialog()
