"""Turn validated filter conditions (core.rules.filters) into SQL on the contacts table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, false, func, not_, or_, select, true

from core.i18n import N_
from core.rules import email_address
from core.rules.filters import PENDING_PROPERTY, STATUS_PROPERTY, Condition, FilterError
from core.rules.hubspot_labels import stage_value
from core.rules.status import MarketingStatus, State
from core.store import states
from core.store.schema import contacts, list_members, static_lists

_LOWERED = {"lifecycle_stage", "source_type", "status_source_type"}  # stored lower-case


class UnknownList(FilterError):
    """A filter or a selection names a static list that does not exist (a translatable ``FilterError``)."""

    def __init__(self, names: list[str]) -> None:
        self.names = list(names)
        super().__init__(N_("no static list named {names}"), names=", ".join(map(repr, self.names)))

    def __reduce__(self) -> tuple[type[UnknownList], tuple[list[str]]]:
        return UnknownList, (self.names,)


def _stage_key(value: str) -> str:
    return stage_value(value) or ""


# How a filter's value is compared with the stored one: an email by its match key; a lifecycle stage as it is
# stored, so HubSpot's label and internal name are one stage (docs/domain.md §11); other text in lower case.
_KEYS: dict[str, Callable[[str], str]] = {"email": email_address.match_key, "lifecycle_stage": _stage_key}


def _list_ids(conn: Connection, names: tuple[str, ...]) -> list[int]:
    rows = conn.execute(select(static_lists.c.id, static_lists.c.name).where(static_lists.c.name.in_(names))).all()
    found = {name for _, name in rows}
    missing = [n for n in names if n not in found]
    if missing:
        raise UnknownList(missing)
    return [i for i, _ in rows]


def in_lists(list_ids: list[int]) -> ColumnElement[bool]:
    return contacts.c.id.in_(select(list_members.c.contact_id).where(list_members.c.list_id.in_(list_ids)))


def _text(cond: Condition) -> ColumnElement[bool]:
    prop, op, value = cond.property, cond.operator, cond.value
    column: Any = contacts.c.email_lower if prop == "email" else states.column(prop)
    if op == "is_known":
        return and_(column.is_not(None), column != "")
    if op == "is_unknown":
        return or_(column.is_(None), column == "")
    if op == "contains":
        return column.icontains(str(value), autoescape=True)
    lowered = prop == "email" or prop in _LOWERED
    target: Any = column if lowered else func.lower(column)
    key: Callable[[str], str] = _KEYS.get(prop, str.lower)
    if op == "in":
        assert isinstance(value, tuple)
        return target.in_([key(str(v)) for v in value])
    expr = target == key(str(value))
    return expr if op == "eq" else or_(column.is_(None), not_(expr))


def _day_start(value: Any) -> datetime:
    assert isinstance(value, date)
    return datetime.combine(value, time.min)


def _date(cond: Condition) -> ColumnElement[bool]:
    column = contacts.c[cond.property]
    op = cond.operator
    if op == "is_known":
        return column.is_not(None)
    if op == "is_unknown":
        return column.is_(None)
    start = _day_start(cond.value)
    if op == "before":
        return column < start
    if cond.value == date.max:  # 9999-12-31 has no next day: nothing is after it, and "on" it runs to the end
        return false() if op == "after" else column >= start
    next_day = start + timedelta(days=1)
    if op == "after":
        return column >= next_day
    return and_(column >= start, column < next_day)


def condition_clause(conn: Connection, cond: Condition, as_of: date | None = None) -> ColumnElement[bool]:
    """One condition as a SQL boolean over ``contacts``.

    ``as_of``: a later day than the stored statuses are applied through (the dashboard's "Simulate as of"):
    the status properties then describe that day, as ``counts_on`` counts it (pending contacts whose update
    date has come are non-marketing). None: the stored statuses, which index lookups can use."""
    prop, op, value = cond.property, cond.operator, cond.value
    if prop in (STATUS_PROPERTY, PENDING_PROPERTY):
        return _status(cond, as_of)
    if prop == "list":
        names = value if isinstance(value, tuple) else (value,)
        clause = in_lists(_list_ids(conn, tuple(str(n) for n in names)))
        return not_(clause) if op == "neq" else clause
    if prop in ("hard_bounced", "unsubscribed_all"):
        column = contacts.c[prop]
        return column.is_(value) if op == "eq" else column.is_not(value)
    if prop in ("created_at", "last_activity_at"):
        return _date(cond)
    return _text(cond)


def _status(cond: Condition, as_of: date | None) -> ColumnElement[bool]:
    """A status condition, on the stored statuses (as_of None) or as they will be on a later day."""
    if cond.property == PENDING_PROPERTY:
        pending = states.is_state_on(State.PENDING, as_of)
        return pending if (cond.operator == "eq") == bool(cond.value) else not_(pending)
    values = cond.value if cond.operator == "in" else (cond.value,)
    assert isinstance(values, tuple)
    matched = or_(false(), *(states.has_status_on(MarketingStatus(str(v)), as_of) for v in values))
    return not_(matched) if cond.operator == "neq" else matched


def filter_clause(
    conn: Connection, conditions: tuple[Condition, ...], as_of: date | None = None
) -> ColumnElement[bool]:
    """All conditions must hold; an empty filter matches every contact."""
    if not conditions:
        return true()
    return and_(*(condition_clause(conn, c, as_of) for c in conditions))


UNENGAGED: ColumnElement[bool] = or_(contacts.c.hard_bounced.is_(True), contacts.c.unsubscribed_all.is_(True))
