"""The workflow editor's actions: an ordered list of rows (set status, add to or remove from a static list)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.rules.workflows import ActionType
from pages.shared.i18n import N_, _, pgettext

ACTION_TYPES = {
    ActionType.SET_MARKETING_STATUS.value: N_("Set marketing contact status"),
    ActionType.ADD_TO_LIST.value: N_("Add to static list"),
    ActionType.REMOVE_FROM_LIST.value: N_("Remove from static list"),
}
STATUSES = ("non_marketing", "marketing")


def _status(value: str) -> str:
    """The status an action sets (Polish: the status's adjective, "niemarketingowy")."""
    words = {
        "non_marketing": pgettext("status to set", "Non-marketing"),
        "marketing": pgettext("status to set", "Marketing"),
    }
    return words[value]


def add_action() -> None:
    rows = st.session_state["wf_actions"]
    rows.append({"id": max((r["id"] for r in rows), default=0) + 1, "type": "set_marketing_status", "param": None})


def _remove_action(row_id: int) -> None:
    st.session_state["wf_actions"] = [r for r in st.session_state["wf_actions"] if r["id"] != row_id]


def action_row(number: int, row: dict[str, Any], lists: list[str]) -> dict[str, Any] | None:
    """Draw action ``number``; return it in the definition's form, or None while its value is missing."""
    cols = st.columns([0.5, 7, 5, 1.4], vertical_alignment="center")  # "Set marketing contact status" fits at 1280 px
    cols[0].markdown(f"**{number}.**")
    kind = cols[1].selectbox(
        _("Action"),
        list(ACTION_TYPES),
        index=list(ACTION_TYPES).index(row["type"]),
        format_func=lambda v: _(ACTION_TYPES[v]),
        key=f"wf_action_{row['id']}_type",
        label_visibility="collapsed",
    )
    if kind != row["type"]:
        row.update(type=kind, param=None)
    choices = list(STATUSES) if kind == "set_marketing_status" else lists
    index = choices.index(row["param"]) if row["param"] in choices else (0 if kind == "set_marketing_status" else None)
    row["param"] = cols[2].selectbox(
        _("Value"),
        choices,
        index=index,
        format_func=lambda v: _status(v) if kind == "set_marketing_status" else v,
        key=f"wf_action_{row['id']}_{kind}",
        label_visibility="collapsed",
        placeholder=_("Choose a list") if lists else _("No static list yet"),
    )
    cols[3].button(":material/close:", key=f"wf_action_{row['id']}_remove", on_click=_remove_action, args=(row["id"],))
    if row["param"] is None:
        return None
    return {"type": kind, ("to" if kind == "set_marketing_status" else "list"): row["param"]}
