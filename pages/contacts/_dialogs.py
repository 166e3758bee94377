"""The Contacts page's other dialogs: delete contacts, add to / remove from a static list; and New contact."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.errors import DomainError, TierUpgradeRequired
from core.services import lists
from core.services.contacts import count_matching, create_contact_by_hand, delete_contacts
from pages.contacts import _state as state
from pages.contacts._state import typed_matches
from pages.shared import common


def _close() -> None:
    state.close_dialog()


def _delete_body(box: dict[str, Any]) -> None:
    found = box.get("counts")
    if found is None:
        found = common.run(lambda: count_matching(common.engine(), selection=box["selection"], today=common.today()))
        if found is None:
            return
        box["counts"] = found
    st.markdown(f"Delete **{found.total:,}** contacts ({box['label']}). Their status history is kept.")
    cols = st.columns(2)
    cols[0].metric("Marketing contacts among them", common.number(found.marketing))
    cols[1].metric("Non-marketing", common.number(found.non_marketing))
    st.caption(
        "The marketing count drops at once; the billed tier stays as it is until the renewal date. "
        "Setting contacts non-marketing is reversible; deleting is not."
    )
    ready = box["scope"] != "all" or st.checkbox(
        f"Apply to all {found.total:,} contacts matching this filter", key="ct_dlg_all"
    )
    typed = st.text_input(f"Type **{found.total:,}** to confirm", key="ct_dlg_typed")
    ready = ready and typed_matches(typed, found.total) and found.total > 0 and not common.writes_refused("Deleting")
    cols = st.columns([1, 1, 2])
    if cols[0].button("Delete", key="ct_dlg_confirm", type="primary", disabled=not ready):
        result = common.run(
            lambda: delete_contacts(
                common.engine(), selection=box["selection"], today=common.today(), actor=common.actor()
            )
        )
        if result is not None:
            state.close_dialog()
            state.changed(
                f"Deleted {result.deleted:,} contacts. Marketing contacts: {result.marketing_before:,} → "
                f"{result.marketing_after:,}; the billed tier stays {result.tier_limit:,} until renewal."
            )
            st.rerun()
    if cols[1].button("Cancel", key="ct_dlg_cancel"):
        state.close_dialog()
        st.rerun()


@st.dialog("Delete contacts", width="large", on_dismiss=_close)
def _delete_dialog() -> None:
    _delete_body(state.dialog() or {})


def _list_body(box: dict[str, Any]) -> None:
    adding = box["kind"] == "add_list"
    names = [i.name for i in common.run(lambda: lists.list_lists(common.engine())) or []]
    st.markdown(f"{'Add' if adding else 'Remove'} {box['label']} {'to' if adding else 'from'} a static list.")
    name = st.selectbox("List", names, key="ct_dlg_list", index=None, placeholder="Choose a list")
    if adding:
        new = st.text_input("…or create a new list", key="ct_dlg_new_list", placeholder="New list name")
        name = new.strip() or name
    ready = bool(name) and (
        box["scope"] != "all"
        or st.checkbox(f"Apply to all {box['count']:,} contacts matching this filter", key="ct_dlg_all")
    )
    cols = st.columns([1, 1, 2])
    if cols[0].button("Add" if adding else "Remove", key="ct_dlg_confirm", type="primary", disabled=not ready):
        engine, today, actor = common.engine(), common.today(), common.actor()
        if (
            adding
            and name not in names
            and common.run(lambda: lists.create_list(engine, name=name, today=today, actor=actor)) is None
        ):
            return
        change = lists.add_to_list if adding else lists.remove_from_list
        done = common.run(lambda: change(engine, name=name, selection=box["selection"], today=today, actor=actor))
        if done is not None:
            state.close_dialog()
            state.changed(
                f"{'Added' if adding else 'Removed'} {done:,} contacts {'to' if adding else 'from'} “{name}”."
            )
            st.rerun()
    if cols[1].button("Cancel", key="ct_dlg_cancel"):
        state.close_dialog()
        st.rerun()


@st.dialog("Static list", width="large", on_dismiss=_close)
def _list_dialog() -> None:
    _list_body(state.dialog() or {})


def show_dialog() -> None:
    box = state.dialog()
    if box is None:
        return
    if box["kind"] == "delete":
        _delete_dialog()
    elif box["kind"] in ("add_list", "remove_list"):
        _list_dialog()


def new_contact_form() -> None:
    """Create one contact by hand: non-marketing unless "Marketing contact" is ticked; errors show in the form."""
    with st.form("ct_new_contact", clear_on_submit=False, border=False):
        email = st.text_input("Email", key="ct_new_email")
        cols = st.columns(3)
        first = cols[0].text_input("First name", key="ct_new_first")
        last = cols[1].text_input("Last name", key="ct_new_last")
        stage = cols[2].text_input("Lifecycle stage", key="ct_new_stage", placeholder="e.g. lead")
        marketing = st.checkbox("Marketing contact", key="ct_new_marketing", value=False, help="Billed from today")
        consent = st.checkbox("I agree to a tier upgrade if this contact needs one", key="ct_new_upgrade")
        submitted = st.form_submit_button("Create contact", type="primary", disabled=common.simulating())
    if not submitted:
        return
    try:
        result = create_contact_by_hand(
            common.engine(),
            email=email,
            first_name=first,
            last_name=last,
            lifecycle_stage=stage,
            marketing=marketing,
            today=common.today(),
            actor=common.actor(),
            allow_tier_upgrade=consent,
        )
    except TierUpgradeRequired as exc:
        st.error(f"{exc}. Tick “I agree to a tier upgrade” to create it anyway.")
        return
    except DomainError as exc:  # an invalid or duplicate email, a field too long, no permission
        st.error(str(exc))
        return
    status = "a marketing" if result.status == "marketing" else "a non-marketing"
    state.changed(f"Created {status} contact: {result.email} (ID {result.contact_id}).")
    st.rerun()
