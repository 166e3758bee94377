"""Pages of contacts by keyset on an indexed sort key: the cost of a page does not grow with the table.

Nullable sort keys are read in two segments, values first and then the empty ones (by id), each served
by the same ``(key, id)`` index. On SQLite the planner is told to walk the sort index (``INDEXED BY``)
unless a sample shows that the filter matches few contacts, in which case sorting those few is cheaper.
PostgreSQL's planner has statistics and picks by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, case, func, select, tuple_
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler

from core.store import states
from core.store.schema import contacts

PROBE = 2_000  # a filter matching fewer contacts than this is sorted, not walked along the sort index
SAMPLE = 500  # contacts looked at to estimate how many a filter matches


def _sqlite_from_hint(self: SQLiteCompiler, table: Any, text: str | None) -> str | None:
    return text  # rendered after the table name: "FROM contacts INDEXED BY ix_contacts_created_at"


# SQLAlchemy renders table hints for some dialects only; SQLite's INDEXED BY fits its hint slot exactly.
SQLiteCompiler.get_from_hint_text = _sqlite_from_hint  # type: ignore[method-assign,assignment]


@dataclass(frozen=True)
class SortKey:
    column: Any
    index: str
    nullable: bool
    unique: bool = False  # the key alone orders the rows (no id tie-breaker needed)


SORT_KEYS: dict[str, SortKey] = {
    "created_at": SortKey(contacts.c.created_at, "ix_contacts_created_at", nullable=False),
    "last_activity_at": SortKey(contacts.c.last_activity_at, "ix_contacts_last_activity_at", nullable=True),
    "last_name": SortKey(contacts.c.last_name, "ix_contacts_last_name", nullable=True),
    "lifecycle_stage": SortKey(contacts.c.lifecycle_stage, "ix_contacts_lifecycle_stage", nullable=True),
    "email": SortKey(contacts.c.email_lower, "ux_contacts_email_lower", nullable=False, unique=True),
}


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: after (value, id), in the values segment or in the empty-values one."""

    empty_segment: bool
    value: Any
    id: int


def _few_match(conn: Connection, clause: ColumnElement[bool]) -> bool:
    """Whether the filter matches fewer than PROBE contacts, estimated on ids spread evenly over the table.

    A sample of SAMPLE point lookups costs the same at any table size; a filter that no sampled contact
    matches is rare (under 1 in SAMPLE), and sorting its few matches beats walking the sort index.
    """
    # Two scalar subqueries: SQLite reads min() or max() from the index only when each stands alone.
    low, high = conn.execute(
        select(select(func.min(contacts.c.id)).scalar_subquery(), select(func.max(contacts.c.id)).scalar_subquery())
    ).one()
    if low is None:
        return True
    ids = list(range(int(low), int(high) + 1, max(1, (int(high) - int(low)) // SAMPLE)))[: SAMPLE + 1]
    hits_of = func.coalesce(func.sum(case((clause, 1), else_=0)), 0)
    sampled = select(func.count(), hits_of).select_from(states.rows_for(clause)).where(contacts.c.id.in_(ids))
    seen, hits = conn.execute(sampled).one()
    return not seen or int(hits) * (int(high) - int(low) + 1) < PROBE * int(seen)


def _segment_query(
    key: SortKey, clause: ColumnElement[bool], descending: bool, after: Cursor | None, empty: bool, walk: bool
) -> Select[Any]:
    col, ident = key.column, contacts.c.id
    if empty:
        conditions = [col.is_(None)]
        if after is not None and after.empty_segment:
            conditions.append(ident < after.id if descending else ident > after.id)
        order = [ident.desc() if descending else ident.asc()]
    else:
        conditions = [col.is_not(None)] if key.nullable else []
        if after is not None:
            mark: Any = col if key.unique else tuple_(col, ident)
            value: Any = after.value if key.unique else tuple_(after.value, after.id)
            conditions.append(mark < value if descending else mark > value)
        columns = [col] if key.unique else [col, ident]
        order = [c.desc() if descending else c.asc() for c in columns]
    query = states.whole_rows(and_(clause, *conditions)).order_by(*order)
    if walk:
        query = query.with_hint(contacts, f"INDEXED BY {key.index}", "sqlite")
    return query


def page(
    conn: Connection,
    clause: ColumnElement[bool],
    *,
    sort: str,
    descending: bool,
    after: Cursor | None,
    limit: int,
    filtered: bool,
) -> tuple[list[dict[str, Any]], Cursor | None]:
    """Up to ``limit`` contacts after the cursor, in sort order (empty values last), and the next cursor."""
    key = SORT_KEYS[sort]
    walk = conn.dialect.name == "sqlite" and not (filtered and _few_match(conn, clause))
    rows: list[dict[str, Any]] = []
    segments = [False, True] if key.nullable else [False]
    if after is not None and after.empty_segment:
        segments = [True]
    for empty in segments:
        query = _segment_query(key, clause, descending, after, empty, walk).limit(limit - len(rows) + 1)
        rows.extend(dict(r) for r in conn.execute(query).mappings())
        if len(rows) > limit:
            break
    more = len(rows) > limit
    rows = rows[:limit]
    if not more or not rows:
        return rows, None
    last = rows[-1]
    value = last[key.column.name]
    return rows, Cursor(empty_segment=value is None, value=value, id=int(last["id"]))
