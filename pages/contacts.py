"""Contacts: the index of contacts, page by page, with filters, saved views, static lists and bulk status changes."""

import streamlit as st

from pages import common
from pages import contacts_actions as actions
from pages import contacts_bulk as bulk
from pages import contacts_dialogs as dialogs
from pages import contacts_filters as filters
from pages import contacts_lists as static_lists
from pages import contacts_state as state
from pages import contacts_table as table

common.require_access()
head = st.columns([6, 2, 1], vertical_alignment="bottom")
head[0].title("Contacts")
with head[1].popover("New contact", icon=":material/person_add:"):
    dialogs.new_contact_form()
head[2].page_link("pages/contacts_import.py", label="Import", icon=":material/upload:")
state.flash()

query = filters.render(common.today())
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
