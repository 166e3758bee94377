"""Saved views: named filters of the Contacts index (conditions, quick filter, sort), stored in the database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, delete, insert, select, update

from core.errors import DomainError
from core.rules.filters import filter_to_json, parse_filter
from core.rules.requester import Requester
from core.services.contacts import ContactQuery
from core.services.unit import open_unit
from core.store import engine as db
from core.store.access import Action, authorize
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
        raise DomainError(f"no saved view named {name!r}")
    return _row_to_view(dict(row))


def save_view(
    engine: Engine, *, name: str, query: ContactQuery, today: date, actor: str, overwrite: bool = False
) -> SavedView:
    """Store the index's filter, quick filter and sort under a name (replacing it only when asked)."""
    name = name.strip()
    if not name or len(name) > 200:
        raise DomainError("give the view a name of at most 200 characters")
    values = {
        "filter_json": filter_to_json(query.conditions),
        "quick": query.quick,
        "sort": query.sort,
        "descending": query.descending,
    }
    with db.write(engine) as conn:
        by = Requester(actor, "view")  # a change like any other: who may, and on which day (domain.md §10)
        now = open_unit(conn, by=by, today=today, needs=(Action.EDIT_CONTACTS,), catch_up_first=False).now
        found = conn.execute(select(saved_views.c.id).where(saved_views.c.name == name)).scalar()
        if found is not None and not overwrite:
            raise DomainError(f"a view named {name!r} already exists")
        if found is None:
            conn.execute(
                insert(saved_views).values(name=name, created_at=now, created_by=actor, updated_at=now, **values)
            )
        else:
            conn.execute(update(saved_views).where(saved_views.c.id == found).values(updated_at=now, **values))
    return SavedView(name, query, actor, now)


def delete_view(engine: Engine, *, name: str, actor: str) -> str:
    """Forget a saved view (contacts are not touched); returns its name."""
    with db.write(engine) as conn:
        authorize(conn, actor, Action.EDIT_CONTACTS)
        if not conn.execute(delete(saved_views).where(saved_views.c.name == name)).rowcount:
            raise DomainError(f"no saved view named {name!r}")
    return name
