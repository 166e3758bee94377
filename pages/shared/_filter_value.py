"""The value widget of one filter-builder row: a choice where the property has a fixed set of values, else a
date or free text; the value comes back in the filter model's form (a string, a list, a bool, an ISO date)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import streamlit as st

from core.rules.filters import PROPERTIES, STATUS_VALUES, Kind
from core.rules.hubspot_labels import LIFECYCLE_STAGES, stage_label
from core.rules.sources import SourceType
from core.services.contact_detail import SOURCE_NAMES, describe_source
from pages.shared import choices, i18n
from pages.shared.i18n import N_, _

NO_VALUE = ("is_known", "is_unknown")
SOURCE_PROPERTIES = ("source_type", "status_source_type")


# The tools that create contacts or change their status, by the codes the filter model uses (the table
# shows their names: "connected app", "bulk action"), so that nobody has to guess a code.
def _source_label(code: str) -> str:
    return describe_source(code, None, i18n.t())


_SOURCE_CODES = {*SOURCE_NAMES, *(s.value for s in SourceType)} - {"demo"}
BOOL_WORDS = {"true": N_("true"), "false": N_("false")}


def _sources() -> list[str]:
    """The tools by name, in the session's language's order."""
    return sorted(_SOURCE_CODES, key=lambda c: _source_label(c).lower())


def _stage_label(value: str) -> str:
    label = stage_label(value)
    return _(label) if value in LIFECYCLE_STAGES else label


def _status_label(value: str) -> str:
    label = choices.status_label(value)
    return _(label) if value in STATUS_VALUES else label


def _choices(kind: Kind, list_names: Sequence[str], prop: str) -> Sequence[str] | None:
    if prop in SOURCE_PROPERTIES:
        return _sources()
    if prop == "lifecycle_stage":
        return choices.stages()
    if kind == Kind.STATUS:
        return STATUS_VALUES
    if kind == Kind.BOOL:
        return ("true", "false")
    if kind == Kind.LIST:
        return list_names
    return None


def _pick(row: dict[str, Any], wkey: str, choices: Sequence[str], label: Callable[[str], str]) -> Any:
    """One value, or several for "is any of", from ``choices``."""
    kind, stored = PROPERTIES[row["property"]], row["value"]
    if kind in (Kind.TEXT, Kind.LIST):  # a value from a saved view or pasted JSON that is not (or no longer)
        # among the choices stays, never dropped: a vanished condition matches everyone
        extra = [v for v in (stored if isinstance(stored, list) else [stored]) if isinstance(v, str) and v]
        choices = [*choices, *(v for v in extra if v not in choices)]
    if row["operator"] == "in":
        default = [v for v in stored or [] if v in choices] if isinstance(stored, list) else []
        picked_many = st.multiselect(
            _("Values"), choices, default=default, key=wkey, label_visibility="collapsed", format_func=label
        )
        return picked_many or None
    shown = str(stored).lower() if isinstance(stored, bool) else stored
    index = list(choices).index(shown) if shown in choices else None
    picked = st.selectbox(_("Value"), choices, index=index, key=wkey, label_visibility="collapsed", format_func=label)
    return (picked == "true") if kind == Kind.BOOL and picked is not None else picked


def _typed(row: dict[str, Any], wkey: str) -> Any:
    """A date, or free text ("is any of" takes comma-separated values)."""
    op, stored = row["operator"], row["value"]
    if PROPERTIES[row["property"]] == Kind.DATE:
        initial = date.fromisoformat(stored) if isinstance(stored, str) else None
        picked_day = st.date_input(
            _("Date"), value=initial, key=wkey, format="YYYY-MM-DD", label_visibility="collapsed"
        )
        return picked_day.isoformat() if isinstance(picked_day, date) else None
    text = st.text_input(
        _("Value"),
        value=", ".join(stored) if isinstance(stored, list) else stored or "",
        key=wkey,
        label_visibility="collapsed",
        placeholder=_("comma-separated values") if op == "in" else _("value"),
    )
    if op == "in":
        return [part.strip() for part in text.split(",") if part.strip()] or None
    return text.strip() or None


def value_widget(row: dict[str, Any], wkey: str, list_names: Sequence[str]) -> Any:
    """Draw the value widget that fits the property and operator; return the value in filter-model form."""
    kind, op = PROPERTIES[row["property"]], row["operator"]
    if op in NO_VALUE:
        st.caption(_("no value needed"))
        return None
    exact = op in ("eq", "neq", "in")  # "contains" and the like still take free text
    options = _choices(kind, list_names, row["property"]) if exact or kind != Kind.TEXT else None
    if options is None:
        return _typed(row, wkey)
    return _pick(row, wkey, options, _label(row["property"]))


def _label(prop: str) -> Callable[[str], str]:
    """How a property's values are shown: HubSpot's labels for stages and statuses, tools by name."""
    if prop in SOURCE_PROPERTIES:
        return _source_label
    if PROPERTIES.get(prop) == Kind.BOOL:
        return lambda value: _(BOOL_WORDS[value]) if value in BOOL_WORDS else value
    return {"lifecycle_stage": _stage_label, "marketing_status": _status_label}.get(prop, str)
