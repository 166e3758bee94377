"""A reusable filter builder: rows of property / operator / value, in the filter model of the command line.

    conditions = filter_builder("my_key")            # -> [{"property", "operator", "value"}, ...]
    conditions = filter_builder("my_key", list_names=["Newsletter"])   # also offers "list"

Only complete rows are returned (a row still waiting for its value is left out); validate them with
``core.rules.filters.parse_filter`` (the services do). Rows live in ``st.session_state`` under the key,
so they survive reruns and pages or wizard steps that do not draw the builder for a while.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import streamlit as st

from core.rules.filters import OPERATOR_WORDS, OPERATORS, PROPERTIES, STATUS_VALUES, Kind
from core.rules.sources import SourceType
from core.services.contact_detail import SOURCE_NAMES, describe_source

NO_VALUE = ("is_known", "is_unknown")


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


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


# The tools that create contacts or change their status, by the codes the filter model uses (the table
# shows their names: "connected app", "bulk action"), so that nobody has to guess a code.
def _source_label(code: str) -> str:
    return describe_source(code, None)


_SOURCES = sorted({*SOURCE_NAMES, *(s.value for s in SourceType)} - {"demo"}, key=lambda c: _source_label(c).lower())


def _choices(kind: Kind, list_names: Sequence[str], prop: str = "") -> Sequence[str] | None:
    if prop in ("source_type", "status_source_type"):
        return _SOURCES
    if kind == Kind.STATUS:
        return STATUS_VALUES
    if kind == Kind.BOOL:
        return ("true", "false")
    if kind == Kind.LIST:
        return list_names
    return None


def _value(row: dict[str, Any], wkey: str, list_names: Sequence[str]) -> Any:
    """Draw the value widget that fits the property and operator; return the value in filter-model form."""
    kind, op, stored = PROPERTIES[row["property"]], row["operator"], row["value"]
    if op in NO_VALUE:
        st.caption("no value needed")
        return None
    exact = op in ("eq", "neq", "in")  # "contains" and the like still take free text
    choices = _choices(kind, list_names, row["property"]) if exact or kind != Kind.TEXT else None
    label = _source_label if row["property"] in ("source_type", "status_source_type") else str
    if choices is not None and kind in (Kind.TEXT, Kind.LIST):  # a value from a saved view or pasted JSON that
        # is not (or no longer) among the choices stays, never dropped: a vanished condition matches everyone
        extra = [v for v in (stored if isinstance(stored, list) else [stored]) if isinstance(v, str) and v]
        choices = [*choices, *(v for v in extra if v not in choices)]
    if choices is not None and op == "in":
        default = [v for v in stored or [] if v in choices] if isinstance(stored, list) else []
        picked_many = st.multiselect(
            "Values", choices, default=default, key=wkey, label_visibility="collapsed", format_func=label
        )
        return picked_many or None
    if choices is not None:
        shown = str(stored).lower() if isinstance(stored, bool) else stored
        index = list(choices).index(shown) if shown in choices else None
        picked = st.selectbox("Value", choices, index=index, key=wkey, label_visibility="collapsed", format_func=label)
        return (picked == "true") if kind == Kind.BOOL and picked is not None else picked
    if kind == Kind.DATE:
        initial = date.fromisoformat(stored) if isinstance(stored, str) else None
        picked_day = st.date_input("Date", value=initial, key=wkey, format="YYYY-MM-DD", label_visibility="collapsed")
        return picked_day.isoformat() if isinstance(picked_day, date) else None
    text = st.text_input(
        "Value",
        value=", ".join(stored) if isinstance(stored, list) else stored or "",
        key=wkey,
        label_visibility="collapsed",
        placeholder="comma-separated values" if op == "in" else "value",
    )
    if op == "in":
        return [part.strip() for part in text.split(",") if part.strip()] or None
    return text.strip() or None


def _row(key: str, row: dict[str, Any], properties: list[str], list_names: Sequence[str]) -> None:
    base = f"{key}_{row['id']}"
    cols = st.columns([3, 2, 4, 1], vertical_alignment="center")
    with cols[0]:
        prop = st.selectbox(
            "Property",
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
            "Operator",
            operators,
            index=operators.index(row["operator"]) if row["operator"] in operators else 0,
            format_func=OPERATOR_WORDS.__getitem__,
            key=f"{base}_operator_{prop}",
            label_visibility="collapsed",
        )
    if op != row["operator"]:
        row.update(operator=op, value=None)
    with cols[2]:
        row["value"] = _value(row, f"{base}_value_{prop}_{op}", list_names)
    cols[3].button(
        ":material/close:", key=f"{base}_remove", help="Remove this condition", on_click=_remove, args=(key, row["id"])
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
        st.warning(f"This filter names a list that no longer exists ({names}). Remove that condition or pick a list.")
    properties = [p for p in PROPERTIES if p != "list" or list_names or gone]
    if rows:
        st.caption("Contacts must match every condition.")
    for row in list(rows):
        _row(key, row, properties, list_names)
    st.button("Add condition", key=f"{key}_add", icon=":material/add:", on_click=_add, args=(key,))
    complete = [r for r in rows if r["operator"] in NO_VALUE or r["value"] not in (None, "", [])]
    if len(complete) < len(rows):
        st.caption("Conditions without a value are left out until you fill them in.")
    return [{"property": r["property"], "operator": r["operator"], "value": r["value"]} for r in complete]
