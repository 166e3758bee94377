"""A Contacts dialog whose confirmation was refused because the contacts changed meanwhile (docs/domain.md §10):
it stays open with the new figures, and what was typed or ticked for the old ones is asked again."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from pages.contacts import _state as state
from pages.contacts._state import Dialog, Target
from pages.shared import session

INPUTS = {"ct_dlg_typed": "", "ct_dlg_all": False, "ct_dlg_upgrade": False}  # typed count, apply to all, consent


def recounted(target: Target, n: int) -> Target:
    """Every contact matching the filter is now ``n`` contacts; selected rows stay what they are."""
    return replace(target, count=n, label=state.all_label(n)) if target.scope == "all" else target


def reopen(box: Dialog) -> None:
    """Show ``box`` (the new figures) in the open dialog. Forgetting the old inputs is not enough: a browser keeps
    the values of widgets still on screen, so they are set again before the dialog is drawn (``forget_inputs``)."""
    state.open_dialog(box)
    session.reset_later(**INPUTS)
    st.rerun()


def forget_inputs() -> None:
    """At the top of a dialog's body: clear what ``reopen`` asked to clear."""
    session.apply_resets(*INPUTS)
