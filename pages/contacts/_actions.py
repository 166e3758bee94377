"""The Contacts page's action bar: what the actions apply to, More (status, lists, delete), open, export."""

from __future__ import annotations

import streamlit as st

from core.rules.selection import Selection
from core.rules.status import MarketingStatus
from core.services.contacts import ContactQuery
from core.services.exports import export_bytes
from core.services.history import data_version
from pages.contacts import _bulk as bulk
from pages.contacts import _state as state
from pages.shared import common

DETAIL_PAGE = "pages/contacts/contact.py"


def _target(query: ContactQuery, chosen: list[int], total: int) -> tuple[Selection, str, int, str] | None:
    """(selection, scope, count, label) the actions apply to, or None when nothing is chosen."""
    scope = st.session_state.get("ct_scope", "selected")
    if scope == "all":
        return query.selection(), "all", total, f"all contacts matching this filter ({total:,})"
    if not chosen:
        return None
    return Selection(ids=tuple(chosen)), "selected", len(chosen), f"the {len(chosen):,} selected on this page"


def _open(kind: str, target: tuple[Selection, str, int, str], to: MarketingStatus | None = None) -> None:
    selection, scope, count, label = target
    if to is not None:
        bulk.open_status(to, selection=selection, scope=scope, count=count, label=label)
    else:
        state.close_dialog()
        state.open_dialog(kind, selection=selection, scope=scope, count=count, label=label)


MORE = {
    "non_marketing": "Set as non-marketing",
    "marketing": "Set as marketing",
    "add_list": "Add to a static list",
    "remove_list": "Remove from a static list",
    "delete": "Delete contacts",
}


def _more(target: tuple[Selection, str, int, str] | None) -> None:
    choice = st.menu_button(
        "More",
        list(MORE),
        key="ct_more",
        format_func=MORE.__getitem__,
        icon=":material/more_horiz:",
        disabled=target is None or common.simulating(),
        help="Change the status of the contacts, put them in a list, or delete them",
    )
    if choice is None or target is None:
        return
    if choice in ("non_marketing", "marketing"):
        _open("status", target, MarketingStatus(choice))
    else:
        _open(choice, target)


def _export(target: tuple[Selection, str, int, str] | None) -> None:
    if target is None:
        return
    selection, _, count, label = target
    ready = st.session_state.get("ct_export")
    version = data_version(common.engine())  # any change since, here or elsewhere, makes the file stale
    if ready and ready["selection"] == selection and ready["version"] == version:
        st.download_button(
            f"Download {ready['count']:,} contacts (CSV)",
            data=ready["data"],
            file_name="contacts.csv",
            mime="text/csv",
            key="ct_download",
            icon=":material/download:",
        )
    elif st.button(f"Export {count:,}", key="ct_export_prepare", icon=":material/file_export:", help=f"Export {label}"):
        data = common.run(lambda: export_bytes(common.engine(), selection=selection))
        if data is not None:
            st.session_state["ct_export"] = {"selection": selection, "data": data, "count": count, "version": version}
            st.rerun()


def render(query: ContactQuery, chosen: list[int], total: int) -> None:
    """Draw the action bar and open the dialog an action asks for."""
    st.session_state.setdefault("ct_scope", "selected")
    cols = st.columns([3, 1, 1, 2], vertical_alignment="center")
    cols[0].radio(
        "Actions apply to",
        ["selected", "all"],
        key="ct_scope",
        horizontal=True,
        format_func={"selected": "Selected rows", "all": "All matching contacts"}.__getitem__,
        label_visibility="collapsed",
    )
    target = _target(query, chosen, total)
    with cols[1]:
        _more(target)
    if len(chosen) == 1 and cols[2].button("Open contact", key="ct_open", icon=":material/person:"):
        st.session_state["contact_id"] = chosen[0]
        st.switch_page(DETAIL_PAGE)
    with cols[3]:
        _export(target)
    if st.session_state.get("ct_scope") == "all":
        st.caption(f"Actions apply to all {total:,} contacts matching the filter, beyond this page.")
    elif chosen:
        st.caption(f"{len(chosen):,} selected on this page.")
    else:
        st.caption("Select rows (the boxes on the left of the table), or choose “All matching contacts”.")
