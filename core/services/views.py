"""Saved views: named filters of the Contacts index (conditions, quick filter, sort), stored in the database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update

from core.errors import DomainError
from core.i18n import N_
from core.rules.filters import filter_to_json, parse_filter
from core.rules.requester import Requester
from core.rules.roles import Action
from core.services.contacts import QUICK_FILTERS, SORT_LABELS, ContactQuery
from core.services.unit import changing
from core.store import engine as db
from core.store.schema import saved_views


@dataclass(frozen=True)
class SavedView:
    name: str
    query: ContactQuery
    created_by: str
    updated_at: datetime


def _row_to_view(row: dict[str, object]) -> SavedView:
    query = ContactQuery(
        conditions=parse_filter(json.loads(str(row["filter_json"]))),
        quick=row["quick"] or None,  # type: ignore[arg-type]
        sort=str(row["sort"]),
        descending=bool(row["descending"]),
    )
    return SavedView(str(row["name"]), query, str(row["created_by"]), row["updated_at"])  # type: ignore[arg-type]


def list_views(engine: Engine) -> list[SavedView]:
    """Every saved view, by name."""
    with db.read(engine) as conn:
        rows = conn.execute(select(saved_views).order_by(saved_views.c.name)).mappings()
        return [_row_to_view(dict(r)) for r in rows]


def get_view(engine: Engine, *, name: str) -> SavedView:
    with db.read(engine) as conn:
        row = conn.execute(select(saved_views).where(saved_views.c.name == name)).mappings().first()
    if row is None:
        raise DomainError(N_("no saved view named {name}"), name=repr(name))
    return _row_to_view(dict(row))


def _changing(engine: Engine, actor: str, name: str, today: date) -> Any:
    """A unit of work on one saved view: it needs the right to edit contacts; no update dates are applied."""
    by = Requester(actor, "view", name[:100])
    return changing(engine, by=by, today=today, needs=Action.EDIT_CONTACTS, catch_up_first=False)


def _described(query: ContactQuery) -> dict[str, Any]:
    """A view's filter, quick filter and sort as the audit trail keeps them: in words, as the page shows them."""
    return {
        "filter": "; ".join(c.describe() for c in query.conditions) or None,
        "quick_filter": QUICK_FILTERS.get(query.quick or ""),
        "sort": f"{SORT_LABELS.get(query.sort, query.sort)}, {'descending' if query.descending else 'ascending'}",
    }


def save_view(
    engine: Engine, *, name: str, query: ContactQuery, today: date, actor: str, overwrite: bool = False
) -> SavedView:
    """Store the index's filter, quick filter and sort under a name (replacing it only when asked); the audit
    trail records the view and what it filters (``view_saved``)."""
    name = name.strip()
    if not name or len(name) > 200:
        raise DomainError(N_("give the view a name of at most 200 characters"))
    values = {
        "filter_json": filter_to_json(query.conditions),
        "quick": query.quick,
        "sort": query.sort,
        "descending": query.descending,
    }
    with _changing(engine, actor, name, today) as unit:
        conn, now = unit.conn, unit.now
        found = conn.execute(select(saved_views.c.id).where(saved_views.c.name == name)).scalar()
        if found is not None and not overwrite:
            raise DomainError(N_("a view named {name} already exists"), name=repr(name))
        if found is None:
            conn.execute(
                insert(saved_views).values(name=name, created_at=now, created_by=actor, updated_at=now, **values)
            )
        else:
            conn.execute(update(saved_views).where(saved_views.c.id == found).values(updated_at=now, **values))
        unit.finish(unit.start("view_saved"), {"view": name, **_described(query), "replaced": found is not None})
    return SavedView(name, query, actor, now)


def delete_view(engine: Engine, *, name: str, today: date, actor: str) -> str:
    """Forget a saved view (contacts are not touched); returns its name. The audit trail keeps what it filtered."""
    with _changing(engine, actor, name, today) as unit:
        row = unit.conn.execute(select(saved_views).where(saved_views.c.name == name)).mappings().first()
        if row is None:
            raise DomainError(N_("no saved view named {name}"), name=repr(name))
        unit.conn.execute(delete(saved_views).where(saved_views.c.id == row["id"]))
        unit.finish(unit.start("view_deleted"), {"view": name, **_described(_row_to_view(dict(row)).query)})
    return name
