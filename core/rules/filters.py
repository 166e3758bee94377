"""The filter model shared by the command line, the Contacts page, the wizard and workflows.

A filter is a list of conditions that must all hold, each ``{"property", "operator", "value"}``.
This module validates them; ``core.store.filters`` turns them into SQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from core.i18n import ENGLISH, N_, Translator


class Phrase:
    """A part of a message that is translated with it (``condition 2 (email is)``); ``str()`` is its English."""

    def __init__(self, message: str, /, **params: Any) -> None:
        self.message = message
        self.params = params

    def text(self, t: Translator) -> str:
        return t(self.message, **phrases(self.params, t)) if self.params else t(self.message)

    def __str__(self) -> str:
        return self.text(ENGLISH)


def phrases(params: dict[str, Any], t: Translator) -> dict[str, Any]:
    """``params`` with each ``Phrase`` among them in ``t``'s language."""
    return {key: value.text(t) if isinstance(value, Phrase) else value for key, value in params.items()}


class FilterError(ValueError):
    """A filter the user wrote cannot be understood; the message says why.

    Like ``DomainError``: ``FilterError(N_("sentence with {fields}"), field=value)``; ``str()`` is the English,
    ``text(t)`` the sentence in ``t``'s language. A message without fields is used as it is."""

    def __init__(self, message: str = "", /, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(ENGLISH(message, **params) if params else message)

    def text(self, t: Translator) -> str:
        if not self.message:
            return str(self)
        return t(self.message, **phrases(self.params, t)) if self.params else t(self.message)


class Kind(StrEnum):
    TEXT = "text"
    DATE = "date"
    BOOL = "bool"
    STATUS = "status"
    LIST = "list"


STATUS_PROPERTY = "marketing_status"  # the two filter properties of a contact's state (SQL: core.store.states)
PENDING_PROPERTY = "pending_non_marketing"
PROPERTIES: dict[str, Kind] = {
    "email": Kind.TEXT,
    "first_name": Kind.TEXT,
    "last_name": Kind.TEXT,
    "lifecycle_stage": Kind.TEXT,
    "created_at": Kind.DATE,
    "last_activity_at": Kind.DATE,
    "hard_bounced": Kind.BOOL,
    "unsubscribed_all": Kind.BOOL,
    STATUS_PROPERTY: Kind.STATUS,
    PENDING_PROPERTY: Kind.BOOL,
    "source_type": Kind.TEXT,
    "status_source_type": Kind.TEXT,
    "list": Kind.LIST,
}

OPERATORS: dict[Kind, tuple[str, ...]] = {
    Kind.TEXT: ("eq", "neq", "in", "contains", "is_known", "is_unknown"),
    Kind.DATE: ("eq", "before", "after", "is_known", "is_unknown"),
    Kind.BOOL: ("eq", "neq"),
    Kind.STATUS: ("eq", "neq", "in"),
    Kind.LIST: ("eq", "neq", "in"),
}
ALL_OPERATORS = ("eq", "neq", "in", "contains", "before", "after", "is_known", "is_unknown")
STATUS_VALUES = ("marketing", "non_marketing")
OPERATOR_WORDS = {  # how an operator reads in a sentence (filter builder, descriptions); translated where shown
    "eq": N_("is"),
    "neq": N_("is not"),
    "in": N_("is any of"),
    "contains": N_("contains"),
    "before": N_("is before"),
    "after": N_("is after"),
    "is_known": N_("is known"),
    "is_unknown": N_("is unknown"),
}
# A condition in words, one whole sentence per operator (``describe``): the property, then the value.
_DESCRIBED = {
    "eq": N_("{property} is {value}"),
    "neq": N_("{property} is not {value}"),
    "in": N_("{property} is any of {value}"),
    "contains": N_("{property} contains {value}"),
    "before": N_("{property} is before {value}"),
    "after": N_("{property} is after {value}"),
    "is_known": N_("{property} is known"),
    "is_unknown": N_("{property} is unknown"),
}
# How each property is named on the pages (the filter builder): its name, spaced and capitalised.
PROPERTY_LABELS = {
    "email": N_("Email"),
    "first_name": N_("First name"),
    "last_name": N_("Last name"),
    "lifecycle_stage": N_("Lifecycle stage"),
    "created_at": N_("Created at"),
    "last_activity_at": N_("Last activity at"),
    "hard_bounced": N_("Hard bounced"),
    "unsubscribed_all": N_("Unsubscribed all"),
    "marketing_status": N_("Marketing status"),
    "pending_non_marketing": N_("Pending non marketing"),
    "source_type": N_("Source type"),
    "status_source_type": N_("Status source type"),
    "list": N_("List"),
}
# The values of the status and yes/no properties in a description (``marketing_status is non_marketing``).
VALUE_WORDS: dict[Any, str] = {
    "marketing": N_("marketing"),
    "non_marketing": N_("non_marketing"),
    True: N_("True"),
    False: N_("False"),
}

Value = str | bool | date | tuple[str, ...] | tuple[date, ...] | None

# Bounded work (docs/domain.md §11): the same limits on both engines, checked before any SQL is built. SQLite
# refuses expressions deeper than 1,000 and PostgreSQL plans thousands of conditions slowly; no one writes more.
MAX_CONDITIONS = 100
MAX_VALUES = 1_000  # values of one "is any of" condition
MAX_JSON_CHARS = 1_000_000
MAX_TEXT = 1_000  # characters of one text value


def load_json(text: str, what: str = "filter") -> Any:
    """JSON a user typed or a file holds, or FilterError naming ``what``: never a RecursionError (20,000 nested
    brackets) nor a file of any size."""
    named: str | Phrase = Phrase(N_("filter")) if what == "filter" else what
    if len(text) > MAX_JSON_CHARS:
        raise FilterError(N_("{what} is longer than {most} characters"), what=named, most=MAX_JSON_CHARS)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FilterError(
            N_("{what} is not valid JSON: {error} at position {position}"),
            what=named,
            error=exc.msg,
            position=str(exc.pos),
        ) from None
    except RecursionError:
        raise FilterError(N_("{what} is nested too deeply to be read"), what=named) from None


@dataclass(frozen=True)
class Condition:
    property: str
    operator: str
    value: Value

    def as_dict(self) -> dict[str, Any]:
        value: Any = self.value
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = [v.isoformat() if isinstance(v, date) else v for v in value]
        return {"property": self.property, "operator": self.operator, "value": value}

    def describe(self, t: Translator = ENGLISH) -> str:
        """A sentence fragment a person reads, e.g. ``lifecycle stage is lead`` (in ``t``'s language)."""
        value = self.as_dict()["value"]
        values = value if isinstance(value, list) else [value]
        worded = PROPERTIES.get(self.property) in (Kind.STATUS, Kind.BOOL)
        shown = ", ".join(t(VALUE_WORDS[v]) if worded and v in VALUE_WORDS else str(v) for v in values)
        name = PROPERTY_LABELS.get(self.property)
        prop = t(name).lower() if name else self.property.replace("_", " ")
        return t(_DESCRIBED[self.operator], property=prop, value=shown)


def _shown(value: Any) -> str:
    """A value as an error message quotes it: never more than 60 characters of it."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _date(value: Any, where: Phrase) -> date:
    if not isinstance(value, str):
        raise FilterError(N_("{where}: expected a date YYYY-MM-DD, got {value}"), where=where, value=_shown(value))
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise FilterError(
            N_("{where}: expected a date YYYY-MM-DD, got {value}"), where=where, value=_shown(value)
        ) from None


def _scalar(kind: Kind, value: Any, where: Phrase) -> str | bool | date:
    if kind == Kind.BOOL:
        if not isinstance(value, bool):
            raise FilterError(N_("{where}: expected true or false, got {value}"), where=where, value=repr(value))
        return value
    if kind == Kind.DATE:
        return _date(value, where)
    if not isinstance(value, str) or not value.strip():
        raise FilterError(N_("{where}: expected a non-empty text, got {value}"), where=where, value=_shown(value))
    if len(value) > MAX_TEXT:
        raise FilterError(N_("{where}: a text value is longer than {most} characters"), where=where, most=MAX_TEXT)
    if "\x00" in value:  # no database stores it (PostgreSQL refuses it in text)
        raise FilterError(N_("{where}: a text value cannot contain a NUL character"), where=where)
    if kind == Kind.STATUS:
        status = value.strip().lower().replace("-", "_")
        if status not in STATUS_VALUES:
            raise FilterError(
                N_("{where}: expected marketing or non_marketing, got {value}"), where=where, value=repr(value)
            )
        return status
    return value.strip()


def parse_condition(raw: Any, index: int = 0) -> Condition:
    """Validate one condition: known property, an operator that fits its type, a value of that type."""
    where = Phrase(N_("condition {n}"), n=index + 1)
    if not isinstance(raw, dict):
        raise FilterError(N_("{where}: expected an object with property, operator and value"), where=where)
    unknown_keys = set(raw) - {"property", "operator", "value"}
    if unknown_keys:
        raise FilterError(
            N_("{where}: unknown key(s) {keys}"), where=where, keys=", ".join(sorted(map(str, unknown_keys)))
        )
    prop, op = raw.get("property"), raw.get("operator")
    if not isinstance(prop, str) or prop not in PROPERTIES:  # a list or an object is no property (nor hashable)
        raise FilterError(
            N_("{where}: unknown property {value}; use one of {known}"),
            where=where,
            value=_shown(prop),
            known=", ".join(PROPERTIES),
        )
    kind = PROPERTIES[prop]
    if not isinstance(op, str) or op not in ALL_OPERATORS:
        raise FilterError(
            N_("{where}: unknown operator {value}; use one of {known}"),
            where=where,
            value=_shown(op),
            known=", ".join(ALL_OPERATORS),
        )
    if op not in OPERATORS[kind]:
        raise FilterError(
            N_("{where}: operator {operator} does not apply to {property}; use {known}"),
            where=where,
            operator=repr(op),
            property=prop,
            known=", ".join(OPERATORS[kind]),
        )
    where = Phrase(N_("condition {n} ({property} {operator})"), n=index + 1, property=prop, operator=op)
    value = raw.get("value")
    if op in ("is_known", "is_unknown"):
        if value not in (None, True, ""):
            raise FilterError(N_("{where}: takes no value"), where=where)
        return Condition(prop, op, None)
    if op == "in":
        if not isinstance(value, list) or not value:
            raise FilterError(N_("{where}: expected a non-empty list of values"), where=where)
        if len(value) > MAX_VALUES:
            raise FilterError(
                N_("{where}: at most {most} values, got {count}"), where=where, most=MAX_VALUES, count=len(value)
            )
        items = tuple(_scalar(kind, v, where) for v in value)
        return Condition(prop, op, items)  # type: ignore[arg-type]
    return Condition(prop, op, _scalar(kind, value, where))


def parse_filter(raw: Any) -> tuple[Condition, ...]:
    """Validate a whole filter (a list of conditions, or its JSON text)."""
    if isinstance(raw, str):
        raw = load_json(raw)
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        raise FilterError(N_("filter must be a JSON list of conditions"))
    if len(raw) > MAX_CONDITIONS:
        raise FilterError(
            N_("a filter has at most {most} conditions, got {count}"), most=MAX_CONDITIONS, count=len(raw)
        )
    return tuple(parse_condition(c, i) for i, c in enumerate(raw))


def filter_to_json(conditions: tuple[Condition, ...] | list[Condition]) -> str:
    return json.dumps([c.as_dict() for c in conditions])


# Each state as a filter condition (the Contacts quick filters; the command line's --filter JSON of them).
STATE_CONDITIONS: dict[str, Condition] = {
    "marketing": Condition(STATUS_PROPERTY, "eq", "marketing"),
    "pending": Condition(PENDING_PROPERTY, "eq", True),
    "non_marketing": Condition(STATUS_PROPERTY, "eq", "non_marketing"),
}
