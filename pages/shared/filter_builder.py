"""A reusable filter builder: rows of property / operator / value, in the filter model of the command line.

    conditions = filter_builder("my_key")            # -> [{"property", "operator", "value"}, ...]
    conditions = filter_builder("my_key", list_names=["Newsletter"])   # also offers "list"

Only complete rows are returned (a row still waiting for its value is left out); validate them with
``core.rules.filters.parse_filter`` (the services do). Rows live in ``st.session_state`` under the key,
so they survive reruns and pages or wizard steps that do not draw the builder for a while.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from core.rules.filters import OPERATOR_WORDS, OPERATORS, PROPERTIES, PROPERTY_LABELS
from pages.shared._filter_value import NO_VALUE, value_widget
from pages.shared.i18n import _
from pages.shared.text import plain


def _label(name: str) -> str:
    """A property as the builder names it, in the session's language (``Lifecycle stage``)."""
    known = PROPERTY_LABELS.get(name)
    return _(known) if known else name.replace("_", " ").capitalize()


def _operator(op: str) -> str:
    return _(OPERATOR_WORDS[op])


def _rows(key: str) -> list[dict[str, Any]]:
    return st.session_state.setdefault(f"{key}__rows", [])


def _add(key: str) -> None:
    rows = _rows(key)
    next_id = max((r["id"] for r in rows), default=0) + 1
    rows.append({"id": next_id, "property": "lifecycle_stage", "operator": "eq", "value": None})


def _remove(key: str, row_id: int) -> None:
    st.session_state[f"{key}__rows"] = [r for r in _rows(key) if r["id"] != row_id]


def clear(key: str) -> None:
    """Forget every row of the builder (e.g. when a wizard is cancelled)."""
    st.session_state.pop(f"{key}__rows", None)


def _row(key: str, row: dict[str, Any], properties: list[str], list_names: Sequence[str]) -> None:
    base = f"{key}_{row['id']}"
    cols = st.columns([3, 2, 4, 1], vertical_alignment="center")
    with cols[0]:
        prop = st.selectbox(
            _("Property"),
            properties,
            index=properties.index(row["property"]) if row["property"] in properties else 0,
            format_func=_label,
            key=f"{base}_property",
            label_visibility="collapsed",
        )
    operators = list(OPERATORS[PROPERTIES[prop]])
    if prop != row["property"]:
        row.update(property=prop, operator=operators[0], value=None)
    with cols[1]:
        op = st.selectbox(
            _("Operator"),
            operators,
            index=operators.index(row["operator"]) if row["operator"] in operators else 0,
            format_func=_operator,
            key=f"{base}_operator_{prop}",
            label_visibility="collapsed",
        )
    if op != row["operator"]:
        row.update(operator=op, value=None)
    with cols[2]:
        row["value"] = value_widget(row, f"{base}_value_{prop}_{op}", list_names)
    cols[3].button(
        ":material/close:",
        key=f"{base}_remove",
        help=_("Remove this condition"),
        on_click=_remove,
        args=(key, row["id"]),
    )


def _missing_lists(rows: list[dict[str, Any]], list_names: Sequence[str]) -> list[str]:
    """Lists that conditions name (a saved view, pasted JSON) but that have been deleted since."""
    named: list[str] = []
    for row in rows:
        if row["property"] == "list":
            value = row["value"]
            named.extend(value if isinstance(value, list) else [value] if value else [])
    return sorted({name for name in named if name not in list_names})


def filter_builder(key: str, *, list_names: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Draw the builder under ``key``; return its complete conditions as filter-model dicts."""
    rows = _rows(key)
    gone = _missing_lists(rows, list_names)
    if gone:  # kept, never dropped: a condition that silently vanished would match every contact
        names = ", ".join(f"“{name}”" for name in gone)
        st.warning(
            _(
                "This filter names a list that no longer exists ({names}). Remove that condition or pick a list.",
                names=plain(names),
            )
        )
    properties = [p for p in PROPERTIES if p != "list" or list_names or gone]
    if rows:
        st.caption(_("Contacts must match every condition."))
    for row in list(rows):
        _row(key, row, properties, list_names)
    st.button(_("Add condition"), key=f"{key}_add", icon=":material/add:", on_click=_add, args=(key,))
    complete = [r for r in rows if r["operator"] in NO_VALUE or r["value"] not in (None, "", [])]
    if len(complete) < len(rows):
        st.caption(_("Conditions without a value are left out until you fill them in."))
    return [{"property": r["property"], "operator": r["operator"], "value": r["value"]} for r in complete]
