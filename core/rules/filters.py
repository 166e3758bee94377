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


class FilterError(ValueError):
    """A filter the user wrote cannot be understood; the message says why."""


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
OPERATOR_WORDS = {  # how an operator reads in a sentence (filter builder, descriptions)
    "eq": "is",
    "neq": "is not",
    "in": "is any of",
    "contains": "contains",
    "before": "is before",
    "after": "is after",
    "is_known": "is known",
    "is_unknown": "is unknown",
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
    if len(text) > MAX_JSON_CHARS:
        raise FilterError(f"{what} is longer than {MAX_JSON_CHARS:,} characters")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FilterError(f"{what} is not valid JSON: {exc.msg} at position {exc.pos}") from None
    except RecursionError:
        raise FilterError(f"{what} is nested too deeply to be read") from None


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

    def describe(self) -> str:
        """A sentence fragment a person reads, e.g. ``lifecycle_stage is lead``."""
        words = OPERATOR_WORDS
        value = self.as_dict()["value"]
        shown = "" if value is None else " " + (", ".join(map(str, value)) if isinstance(value, list) else str(value))
        return f"{self.property.replace('_', ' ')} {words[self.operator]}{shown}"


def _shown(value: Any) -> str:
    """A value as an error message quotes it: never more than 60 characters of it."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _date(value: Any, where: str) -> date:
    if not isinstance(value, str):
        raise FilterError(f"{where}: expected a date YYYY-MM-DD, got {_shown(value)}")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise FilterError(f"{where}: expected a date YYYY-MM-DD, got {_shown(value)}") from None


def _scalar(kind: Kind, value: Any, where: str) -> str | bool | date:
    if kind == Kind.BOOL:
        if not isinstance(value, bool):
            raise FilterError(f"{where}: expected true or false, got {value!r}")
        return value
    if kind == Kind.DATE:
        return _date(value, where)
    if not isinstance(value, str) or not value.strip():
        raise FilterError(f"{where}: expected a non-empty text, got {_shown(value)}")
    if len(value) > MAX_TEXT:
        raise FilterError(f"{where}: a text value is longer than {MAX_TEXT:,} characters")
    if "\x00" in value:  # no database stores it (PostgreSQL refuses it in text)
        raise FilterError(f"{where}: a text value cannot contain a NUL character")
    if kind == Kind.STATUS:
        status = value.strip().lower().replace("-", "_")
        if status not in STATUS_VALUES:
            raise FilterError(f"{where}: expected marketing or non_marketing, got {value!r}")
        return status
    return value.strip()


def parse_condition(raw: Any, index: int = 0) -> Condition:
    """Validate one condition: known property, an operator that fits its type, a value of that type."""
    where = f"condition {index + 1}"
    if not isinstance(raw, dict):
        raise FilterError(f"{where}: expected an object with property, operator and value")
    unknown_keys = set(raw) - {"property", "operator", "value"}
    if unknown_keys:
        raise FilterError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown_keys)))}")
    prop, op = raw.get("property"), raw.get("operator")
    if not isinstance(prop, str) or prop not in PROPERTIES:  # a list or an object is no property (nor hashable)
        raise FilterError(f"{where}: unknown property {_shown(prop)}; use one of {', '.join(PROPERTIES)}")
    kind = PROPERTIES[prop]
    if not isinstance(op, str) or op not in ALL_OPERATORS:
        raise FilterError(f"{where}: unknown operator {_shown(op)}; use one of {', '.join(ALL_OPERATORS)}")
    if op not in OPERATORS[kind]:
        raise FilterError(f"{where}: operator {op!r} does not apply to {prop}; use {', '.join(OPERATORS[kind])}")
    where = f"{where} ({prop} {op})"
    value = raw.get("value")
    if op in ("is_known", "is_unknown"):
        if value not in (None, True, ""):
            raise FilterError(f"{where}: takes no value")
        return Condition(prop, op, None)
    if op == "in":
        if not isinstance(value, list) or not value:
            raise FilterError(f"{where}: expected a non-empty list of values")
        if len(value) > MAX_VALUES:
            raise FilterError(f"{where}: at most {MAX_VALUES:,} values, got {len(value):,}")
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
        raise FilterError("filter must be a JSON list of conditions")
    if len(raw) > MAX_CONDITIONS:
        raise FilterError(f"a filter has at most {MAX_CONDITIONS} conditions, got {len(raw):,}")
    return tuple(parse_condition(c, i) for i, c in enumerate(raw))


def filter_to_json(conditions: tuple[Condition, ...] | list[Condition]) -> str:
    return json.dumps([c.as_dict() for c in conditions])


# Each state as a filter condition (the Contacts quick filters; the command line's --filter JSON of them).
STATE_CONDITIONS: dict[str, Condition] = {
    "marketing": Condition(STATUS_PROPERTY, "eq", "marketing"),
    "pending": Condition(PENDING_PROPERTY, "eq", True),
    "non_marketing": Condition(STATUS_PROPERTY, "eq", "non_marketing"),
}
