"""Who may do what. Every service that changes data calls ``authorize`` inside its unit of work.

Local mode: while no user exists, everyone may act (the app shows a banner saying so). Once users
exist, the actor must be an enabled user whose role allows the action; changing a marketing status
also needs the Marketing contact access grant (docs/domain.md §6). The application's own actors
(``system`` for update dates, ``workflow:<id>`` for workflow actions) may act; the command line and
the pages never act as them once users exist (see ``require_person``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine, inspect, select

from core.errors import PermissionDenied
from core.i18n import N_
from core.rules.roles import Action, Role, is_internal, refusal
from core.store import engine as db
from core.store.schema import users

__all__ = [
    "Action",
    "Person",
    "acting_user",
    "authorize",
    "find_person",
    "refused",
    "require_person",
    "users_exist",
]


@dataclass(frozen=True)
class Person:
    """A user as the access checks see them."""

    id: int
    username: str
    role: Role
    marketing_access: bool
    disabled: bool


def users_exist(conn: Connection) -> bool:
    """False in local mode (no user configured yet)."""
    return conn.execute(select(users.c.id).limit(1)).first() is not None


def find_person(conn: Connection, username: str) -> Person | None:
    row = conn.execute(
        select(users.c.id, users.c.username, users.c.role, users.c.marketing_access, users.c.disabled).where(
            users.c.username == username.strip().lower()
        )
    ).first()
    if row is None:
        return None
    return Person(row.id, row.username, Role(row.role), bool(row.marketing_access), bool(row.disabled))


def require_person(conn: Connection, actor: str) -> Person | None:
    """Once users exist, ``actor`` must name an enabled user (never an internal actor); None in local mode."""
    if not users_exist(conn):
        return None
    person = None if is_internal(actor) else find_person(conn, actor)
    if person is None or person.disabled:
        if person is not None:
            message = N_(
                "{actor} is disabled: users are configured, so only an enabled user may act "
                "(sign in; on the command line pass --actor USERNAME)"
            )
        else:
            message = N_(
                "{actor} is not a Marketable user: users are configured, so only an enabled user may act "
                "(sign in; on the command line pass --actor USERNAME)"
            )
        raise PermissionDenied(message, actor=repr(actor))
    return person


def refused(conn: Connection, actor: str, action: Action) -> str | None:
    """Why ``actor`` may not perform ``action``, or None when they may: the one rule ``authorize`` enforces and
    the pages show beside a disabled control (docs/domain.md §6). The English text, as a ``core.errors.Sentence``:
    a page says it in its language with ``core.errors.translated(reason, t)``."""
    try:
        authorize(conn, actor, action)
    except PermissionDenied as exc:
        return str(exc)
    return None


def authorize(conn: Connection, actor: str, *actions: Action) -> Person | None:
    """Raise PermissionDenied when ``actor`` may not perform every one of ``actions`` (docs/domain.md §6:
    Marketing contact access); returns the person checked (None for local mode and the application itself)."""
    if is_internal(actor):
        return None
    person = require_person(conn, actor)
    if person is None:
        return None
    for action in actions:
        if reason := refusal(person.username, person.role, person.marketing_access, action):
            raise PermissionDenied(reason)
    return person


def acting_user(engine: Engine, actor: str) -> str:
    """For an entry point (the command line): the actor's user name once users exist, else ``actor`` unchanged.

    Raises PermissionDenied when users exist and ``actor`` is not an enabled user (internal actors included).
    """
    with db.read(engine) as conn:
        if not inspect(conn).has_table("users"):
            return actor  # a database created before users existed: local mode until it is migrated
        person = require_person(conn, actor)
    return person.username if person is not None else actor
