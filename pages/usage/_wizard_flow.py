"""Where the Manage marketing contacts wizard is: its step and choices in st.session_state, and the button row
that moves between steps (Back / Next / Skip / Cancel)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from pages.shared.filter_builder import clear
from pages.shared.i18n import _, pgettext

FILTER_KEY = "wiz_filter"
SHOWN = "wiz_shown"  # the Review's figures as last drawn: what Update contacts confirms (docs/domain.md §10)
STATE = ("wiz_step", "wiz_unengaged", "wiz_conditions", "wiz_lists", "wiz_result", SHOWN)


def go(step: str, **values: Any) -> None:
    """Keep ``values`` (the choices made on this step) and show ``step``."""
    st.session_state.pop(SHOWN, None)
    st.session_state.update(wiz_step=step, **values)
    st.rerun()


def reset() -> None:
    """Forget every choice and go back to the introduction."""
    for key in STATE:
        st.session_state.pop(key, None)
    clear(FILTER_KEY)
    st.rerun()


def buttons(
    *,
    back: str,
    next_label: str | None = None,
    next_key: str = "wiz_next",
    disabled: bool = False,
    skip: bool = False,
) -> tuple[bool, bool]:
    """Back / Next / Skip / Cancel in one row (``next_label``: Next unless given, translated); returns (next
    clicked, skip clicked)."""
    row = st.container(horizontal=True)
    if row.button(_("Back"), key="wiz_back", icon=":material/arrow_back:"):
        go(back)
    clicked_next = row.button(next_label or pgettext("wizard", "Next"), key=next_key, type="primary", disabled=disabled)
    clicked_skip = skip and row.button(_("Skip"), key="wiz_skip")
    if row.button(_("Cancel"), key="wiz_cancel"):
        reset()
    return clicked_next, clicked_skip
