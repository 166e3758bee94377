"""Static lists: named sets of contacts, filled and emptied set-based (INSERT ... SELECT, DELETE ... WHERE); every
change is an operation in the audit trail (who, when, which list, how many)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, exists, func, insert, literal, select, true

from core.errors import DomainError
from core.i18n import N_
from core.rules.requester import Requester
from core.rules.roles import Action
from core.rules.selection import Selection
from core.rules.workflows import Touch
from core.services.unit import Unit, changing
from core.services.workflows.feeds import require_grant_if_feeding
from core.store import engine as db
from core.store import states
from core.store.schema import contacts, list_members, static_lists
from core.store.selection import where


@dataclass(frozen=True)
class ListInfo:
    name: str
    size: int
    created_at: datetime
    created_by: str


def _name(name: str) -> str:
    value = name.strip()
    if not value:
        raise DomainError(N_("give the list a name"))
    if len(value) > 200:
        raise DomainError(N_("a list name is at most 200 characters"))
    return value


def _list_id(conn: Connection, name: str) -> int:
    found = conn.execute(select(static_lists.c.id).where(static_lists.c.name == name)).scalar()
    if found is None:
        raise DomainError(N_("no static list named {name}"), name=repr(name))
    return int(found)


def _changing(engine: Engine, actor: str, name: str, today: date) -> Any:
    """A unit of work on one list: editing contacts' lists needs the role's right; no update dates are applied."""
    by = Requester(actor, "list", name[:100])
    return changing(engine, by=by, today=today, needs=Action.EDIT_CONTACTS, catch_up_first=False)


def list_lists(engine: Engine) -> list[ListInfo]:
    """Every static list with its size, by name."""
    sizes = select(list_members.c.list_id, func.count().label("size")).group_by(list_members.c.list_id).subquery()
    query = (
        select(
            static_lists.c.name, func.coalesce(sizes.c.size, 0), static_lists.c.created_at, static_lists.c.created_by
        )
        .outerjoin(sizes, sizes.c.list_id == static_lists.c.id)
        .order_by(static_lists.c.name)
    )
    with db.read(engine) as conn:
        return [ListInfo(n, int(s), c, b) for n, s, c, b in conn.execute(query)]


def create_list(engine: Engine, *, name: str, today: date, actor: str) -> ListInfo:
    """A new, empty static list; names are unique. Recorded in the audit trail (``list_created``)."""
    name = _name(name)
    with _changing(engine, actor, name, today) as unit:
        conn, now = unit.conn, unit.now
        if conn.execute(select(static_lists.c.id).where(static_lists.c.name == name)).first() is not None:
            raise DomainError(N_("a list named {name} already exists"), name=repr(name))
        conn.execute(insert(static_lists).values(name=name, created_at=now, created_by=actor))
        # An enabled workflow whose criteria say "not in <name>" (its list deleted since) would match again.
        require_grant_if_feeding(unit, Touch(lists=frozenset({name})), true())
        unit.finish(unit.start("list_created"), {"list": name})
        return ListInfo(name, 0, now, actor)


def add_to_list(engine: Engine, *, name: str, selection: Selection, today: date, actor: str) -> int:
    """Add the selected contacts (or all matching a filter) to a list; members already in it stay once.

    Feeding an enabled status workflow that reads the list needs Marketing contact access (docs/domain.md §6)."""
    with _changing(engine, actor, name, today) as unit:
        conn = unit.conn
        list_id = _list_id(conn, name)
        selection.check_for_change("add to the list")
        chosen = where(conn, selection)
        member = exists().where(list_members.c.list_id == list_id, list_members.c.contact_id == contacts.c.id)
        rows = select(literal(list_id), contacts.c.id, literal(unit.now)).select_from(states.rows_for(chosen))
        rows = rows.where(and_(chosen, ~member))
        target = [list_members.c.list_id, list_members.c.contact_id, list_members.c.added_at]
        added = int(conn.execute(insert(list_members).from_select(target, rows)).rowcount)
        if added:
            require_grant_if_feeding(unit, Touch(lists=frozenset({name})), chosen)
            _record(unit, "list_members_added", name, selection, added=added)
        return added


def remove_from_list(engine: Engine, *, name: str, selection: Selection, today: date, actor: str) -> int:
    """Take the selected contacts out of a list (the contacts themselves stay).

    A removal can enroll too ("not in the list" criteria): feeding an enabled status workflow that way needs
    Marketing contact access (docs/domain.md §6)."""
    with _changing(engine, actor, name, today) as unit:
        conn = unit.conn
        list_id = _list_id(conn, name)
        selection.check_for_change("take out of the list")
        chosen = where(conn, selection)
        members = states.ids_matching(chosen)
        statement = delete(list_members).where(
            list_members.c.list_id == list_id, list_members.c.contact_id.in_(members)
        )
        removed = int(conn.execute(statement).rowcount)
        if removed:
            require_grant_if_feeding(unit, Touch(lists=frozenset({name})), chosen)
            _record(unit, "list_members_removed", name, selection, removed=removed)
        return removed


def delete_list(engine: Engine, *, name: str, today: date, actor: str) -> int:
    """Delete a list (never its contacts); returns how many memberships went with it.

    No workflow is fed by it: criteria that read a list that does not exist enroll nobody."""
    with _changing(engine, actor, name, today) as unit:
        conn = unit.conn
        list_id = _list_id(conn, name)
        removed = int(conn.execute(delete(list_members).where(list_members.c.list_id == list_id)).rowcount)
        conn.execute(delete(static_lists).where(static_lists.c.id == list_id))
        unit.finish(unit.start("list_deleted"), {"list": name, "members": removed})
        return removed


def _record(unit: Unit, kind: str, name: str, selection: Selection, **counts: int) -> None:
    """The audit row of a change of a list's members: which list, how the contacts were chosen, how many."""
    unit.finish(unit.start(kind), {"list": name, **counts, "selection": selection.describe()})
