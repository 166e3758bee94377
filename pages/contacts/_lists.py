"""The Contacts page's static lists section: sizes, create, show members, delete."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.services import lists
from pages.contacts import _reads as reads
from pages.contacts import _state as state
from pages.shared import allowed, session
from pages.shared.allowed import Action
from pages.shared.i18n import _, ngettext
from pages.shared.text import plain


def _show_members(name: str) -> None:
    state.set_filter_rows([{"property": "list", "operator": "eq", "value": name}])
    st.session_state["ct_quick"] = "all"


def _table(found: list[lists.ListInfo]) -> None:
    if not found:
        st.caption(_("No static list yet. Create one, then add contacts with More → Add to a static list."))
        return
    name, size, created, by = _("List"), _("Contacts"), _("Created"), _("By")
    st.dataframe(
        pd.DataFrame([{name: i.name, size: i.size, created: i.created_at, by: i.created_by} for i in found]),
        hide_index=True,
        key="ct_lists_table",
        width="stretch",
        column_config={size: st.column_config.NumberColumn(format="localized")},
    )


def _create(name: str) -> None:
    made = session.run(
        lambda: lists.create_list(session.engine(), name=name, today=session.today(), actor=session.actor())
    )
    if made is not None:
        state.changed(_("Created the list “{name}”.", name=made.name))
        st.rerun()


def _delete(name: str) -> None:
    removed = session.run(
        lambda: lists.delete_list(session.engine(), name=name, today=session.today(), actor=session.actor())
    )
    if removed is not None:
        st.session_state.pop("ct_list_chosen", None)
        state.changed(
            ngettext(
                "Deleted the list “{name}” ({n} membership; the contacts stay).",
                "Deleted the list “{name}” ({n} memberships; the contacts stay).",
                removed,
                name=name,
            )
        )
        st.rerun()


def render() -> None:
    found = reads.static_lists()
    with st.expander(_("Static lists ({n})", n=len(found)), icon=":material/list:"):
        _table(found)
        cols = st.columns([3, 1, 3, 1, 1], vertical_alignment="bottom")
        name = cols[0].text_input(_("New list"), key="ct_list_name", placeholder=_("e.g. Webinar attendees"))
        refused = allowed.blocked(Action.EDIT_CONTACTS)
        if cols[1].button(_("Create"), key="ct_list_create", disabled=not name.strip() or bool(refused), help=refused):
            _create(name)
        names = [i.name for i in found]
        chosen = cols[2].selectbox(_("List"), names, key="ct_list_chosen", index=None, placeholder=_("Choose a list"))
        cols[3].button(_("Show"), key="ct_list_show", disabled=chosen is None, on_click=_show_members, args=(chosen,))
        with cols[4].popover(_("Delete"), disabled=chosen is None or bool(refused), help=refused):
            st.markdown(
                _(
                    "Delete the list “{name}”? Its contacts stay; saved views and workflows naming it stop.",
                    name=plain(chosen),
                )
            )
            confirmed = st.button(_("Delete the list"), key="ct_list_delete", type="primary")
        if confirmed and chosen is not None:
            _delete(chosen)
        allowed.note(refused)
