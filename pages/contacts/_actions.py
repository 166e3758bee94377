"""The Contacts page's action bar: what the actions apply to, More (status, lists, delete), open, export."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.rules.selection import Selection
from core.rules.status import MarketingStatus
from core.services.contacts import ContactQuery
from core.services.exports import export_bytes
from core.services.history import data_version
from pages.contacts import _bulk as bulk
from pages.contacts import _dialogs as dialogs
from pages.contacts import _hubspot_push as hubspot_push
from pages.contacts import _state as state
from pages.contacts._bulk_target import scope_caption
from pages.contacts._state import ListDialog, Target
from pages.shared import allowed, session
from pages.shared.allowed import Action
from pages.shared.i18n import N_, _, ngettext

DETAIL_PAGE = "pages/contacts/contact.py"


def _target(query: ContactQuery, chosen: list[int], total: int) -> Target | None:
    """What the actions apply to, or None when nothing is chosen."""
    if st.session_state.get("ct_scope", "selected") == "all":
        return Target(query.selection(), "all", total, state.all_label(total))
    if not chosen:
        return None
    return Target(Selection(ids=tuple(chosen)), "selected", len(chosen), state.selected_label(len(chosen)))


def _open(choice: str, target: Target) -> None:
    if choice in ("non_marketing", "marketing"):
        bulk.open_status(MarketingStatus(choice), target)
    elif choice == "delete":
        dialogs.open_delete(target)
    elif choice == "hubspot_list":
        hubspot_push.open_dialog(target)
    else:
        state.open_dialog(ListDialog(target, adding=choice == "add_list"))


MORE = {  # translated where shown
    "non_marketing": N_("Set as non-marketing"),
    "marketing": N_("Set as marketing"),
    "add_list": N_("Add to a static list"),
    "remove_list": N_("Remove from a static list"),
    "hubspot_list": N_("Send to HubSpot list"),
    "delete": N_("Delete contacts"),
}
NEEDS = {  # the rest: EDIT_CONTACTS
    "non_marketing": Action.CHANGE_STATUS,
    "marketing": Action.CHANGE_STATUS,
    "hubspot_list": Action.CHANGE_STATUS,  # a plan for HubSpot's statuses (docs/domain.md §12)
}


def _more(target: Target | None) -> str | None:
    """The More menu with the actions this session may use; returns why the others are not offered."""
    why = {choice: allowed.blocked(NEEDS.get(choice, Action.EDIT_CONTACTS)) for choice in MORE}
    offered = [choice for choice in MORE if why[choice] is None]
    reason = next((r for r in why.values() if r), None)
    choice = st.menu_button(
        _("More"),
        offered or list(MORE),
        key="ct_more",
        format_func=lambda choice: _(MORE[choice]),
        icon=":material/more_horiz:",
        disabled=target is None or not offered,
        help=reason or _("Change the status of the contacts, put them in a list, or delete them"),
    )
    if choice is not None and target is not None and choice in offered:
        _open(choice, target)
    return reason


@dataclass(frozen=True)
class Export:
    """A CSV prepared for download, and what it holds: offered while the selection and the data stay the same."""

    selection: Selection
    data: bytes
    count: int
    version: str


def _export(target: Target | None) -> None:
    if target is None:
        return
    selection, count = target.selection, target.count
    ready = st.session_state.get("ct_export")
    version = session.per_run(
        "data_version", lambda: data_version(session.engine())
    )  # any change since, here or elsewhere, makes the file stale
    if isinstance(ready, Export) and ready.selection == selection and ready.version == version:
        st.download_button(
            ngettext("Download {n} contact (CSV)", "Download {n} contacts (CSV)", ready.count),
            data=ready.data,
            file_name="contacts.csv",
            mime="text/csv",
            key="ct_download",
            icon=":material/download:",
        )
    elif st.button(
        _("Export {n}", n=count),
        key="ct_export_prepare",
        icon=":material/file_export:",
        help=_("Export {target}", target=target.label),
    ):
        data = session.run(lambda: export_bytes(session.engine(), selection=selection))
        if data is not None:
            st.session_state["ct_export"] = Export(selection, data, count, version)
            st.rerun()


def render(query: ContactQuery, chosen: list[int], total: int) -> None:
    """Draw the action bar and open the dialog an action asks for."""
    st.session_state.setdefault("ct_scope", "selected")
    cols = st.columns([3, 1, 1, 2], vertical_alignment="center")
    cols[0].radio(
        _("Actions apply to"),
        ["selected", "all"],
        key="ct_scope",
        horizontal=True,
        format_func=lambda scope: _("Selected rows") if scope == "selected" else _("All matching contacts"),
        label_visibility="collapsed",
    )
    target = _target(query, chosen, total)
    with cols[1]:
        reason = _more(target)
    if len(chosen) == 1 and cols[2].button(_("Open contact"), key="ct_open", icon=":material/person:"):
        st.session_state["contact_id"] = chosen[0]
        st.switch_page(DETAIL_PAGE)
    with cols[3]:
        _export(target)
    allowed.note(reason)
    st.caption(scope_caption(st.session_state.get("ct_scope", "selected"), total, len(chosen)))
