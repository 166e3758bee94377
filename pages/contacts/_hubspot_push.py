"""The Contacts page's "Send to HubSpot list" dialog: a plan made here goes to a HubSpot static list, and the person
finishes it in HubSpot (docs/domain.md §12). Nothing changes in Marketable."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.services.hubspot.push import push_list
from pages.contacts import _state as state
from pages.contacts._state import Target
from pages.shared import allowed, session
from pages.shared.allowed import Action
from pages.shared.i18n import N_, _, ngettext

KEY = "ct_hubspot_dialog"
HOW = N_(
    "HubSpot's API cannot change a marketing status, so Marketable cannot finish this change itself. It puts the "
    "contacts in a **static list in HubSpot**; to set them non-marketing, open HubSpot → Contacts → Actions → "
    "**Manage marketing contacts → Use a list**, choose this list and confirm there. The next sync shows the "
    "result here. Nothing changes in Marketable now."
)


@dataclass(frozen=True)
class HubSpotListDialog:
    target: Target


def open_dialog(target: Target) -> None:
    state.close_dialog()
    st.session_state[KEY] = HubSpotListDialog(target)


def _close() -> None:
    st.session_state.pop(KEY, None)
    state.close_dialog()


def _send(box: HubSpotListDialog, name: str) -> None:
    result = session.run(
        lambda: push_list(
            session.engine(),
            name=name,
            selection=box.target.selection,
            today=session.real_today(),
            actor=session.actor(),
        )
    )
    if result is None:
        return
    st.session_state.pop(KEY, None)
    said = [  # whole sentences, one after the other
        ngettext(  # the English says "1 contacts", as it always did
            "Sent {n} contacts to the HubSpot list “{list}” ({added} newly in it).",
            "Sent {n} contacts to the HubSpot list “{list}” ({added} newly in it).",
            result.sent,
            list=result.list_name,
            added=result.added,
        )
    ]
    if result.not_in_hubspot:
        said.append(
            ngettext(
                "{n} have no HubSpot Record ID (never synced) and were not sent.",
                "{n} have no HubSpot Record ID (never synced) and were not sent.",
                result.not_in_hubspot,
            )
        )
    said.append(_("Finish in HubSpot: Manage marketing contacts → Use a list → “{list}”.", list=result.list_name))
    state.finish(" ".join(said))


def _body(box: HubSpotListDialog) -> None:
    st.markdown(_("Send {target} to a static list in HubSpot.", target=box.target.label))
    st.info(_(HOW), icon=":material/info:")
    name = st.text_input(
        _("HubSpot list name"), key="ct_dlg_hubspot_list", placeholder=_("e.g. Non-marketing at renewal")
    )
    ready = bool(name.strip()) and state.apply_to_all(box.target.scope, box.target.count)
    ready = ready and allowed.refused(Action.CHANGE_STATUS) is None  # planning a status change (docs/domain.md §6)
    cols = st.columns([1, 1, 2])
    if cols[0].button(_("Send to HubSpot"), key="ct_dlg_confirm", type="primary", disabled=not ready):
        _send(box, name.strip())
    if cols[1].button(_("Cancel"), key="ct_dlg_cancel"):
        _close()
        st.rerun()


def _dialog(box: HubSpotListDialog) -> None:
    """The dialog, titled in the session's language (a title is fixed when the dialog is made: made per run)."""

    @st.dialog(_("Send to HubSpot list"), width="large", on_dismiss=_close)
    def dialog(box: HubSpotListDialog) -> None:
        _body(box)

    dialog(box)


def show_dialog() -> None:
    box = st.session_state.get(KEY)
    if isinstance(box, HubSpotListDialog):
        _dialog(box)
