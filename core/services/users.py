"""Managing users, roles and the Marketing contact access grant (docs/domain.md §6); every change is audited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import Connection, Engine, func, insert, select, update

from core.clock import now_in, utc_now
from core.errors import DomainError
from core.i18n import N_
from core.rules import email_address
from core.rules.requester import Requester
from core.rules.roles import Action, Role, check_username, marketing_access_by_default
from core.services.unit import changing
from core.store import engine as db
from core.store.access import require_person, users_exist
from core.store.account import load_account
from core.store.events import finish_operation, start_operation
from core.store.schema import user_sessions, users

MIN_PASSWORD = 8
MAX_PASSWORD = 1024
hasher = PasswordHasher()  # argon2id with the library's recommended parameters
Changes = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class UserInfo:
    username: str
    email: str | None
    display_name: str | None
    role: str
    marketing_access: bool
    disabled: bool
    has_password: bool
    locked_until: datetime | None
    created_at: datetime
    last_sign_in_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("locked_until", "created_at", "last_sign_in_at"):
            data[key] = data[key].isoformat(sep=" ") if data[key] else None
        return data


def hash_password(password: str) -> str:
    """A new argon2id hash; the password itself is never stored or logged."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise DomainError(
            N_("a password needs {low} to {high} characters"), low=str(MIN_PASSWORD), high=str(MAX_PASSWORD)
        )
    return hasher.hash(password)


def _username(text: str) -> str:
    try:
        return check_username(text)
    except ValueError as exc:
        raise DomainError(str(exc)) from None


def _email(text: str | None) -> str | None:
    """A user's email by the same rule as a contact's, stored as its match key (unique without regard to case)."""
    if not (text or "").strip():
        return None
    try:
        return email_address.match_key(email_address.parse(text or ""))
    except email_address.EmailError:
        raise DomainError(N_("invalid email {email}"), email=repr((text or "").strip())) from None


def record(conn: Connection, *, kind: str, by: Requester, today: date, summary: dict[str, Any]) -> None:
    """One audit row (operations table) for an action outside a unit of work (signing in and out): the real time,
    and ``today``, the day it happened on (signing in changes no data, so the day is not checked)."""
    op = start_operation(conn, kind=kind, at=now_in(load_account(conn).timezone), on=today, by=by)
    finish_operation(conn, op, summary)


def _info(row: Any) -> UserInfo:
    return UserInfo(
        username=row.username,
        email=row.email,
        display_name=row.display_name,
        role=row.role,
        marketing_access=bool(row.marketing_access),
        disabled=bool(row.disabled),
        has_password=row.password_hash is not None,
        locked_until=row.locked_until,
        created_at=row.created_at,
        last_sign_in_at=row.last_sign_in_at,
    )


def _row(conn: Connection, username: str) -> Any:
    row = conn.execute(select(users).where(users.c.username == username.strip().lower())).first()
    if row is None:
        raise DomainError(N_("no user {name}"), name=repr(username.strip().lower()))
    return row


def add_user(
    engine: Engine,
    *,
    username: str,
    role: Role,
    actor: str,
    today: date,
    password: str | None = None,
    email: str | None = None,
    display_name: str | None = None,
) -> UserInfo:
    """Add a user; the first user must be an admin (it ends local mode). Admins and editors get marketing access."""
    name, mail = _username(username), _email(email)
    password_hash = hash_password(password) if password is not None else None
    by = Requester(actor, "user", name)
    with changing(engine, by=by, today=today, needs=Action.MANAGE_USERS, catch_up_first=False) as unit:
        conn = unit.conn
        if not users_exist(conn) and role != Role.ADMIN:
            raise DomainError(
                N_("the first user must be an admin (it ends local mode: from then on everyone signs in)")
            )
        if conn.execute(select(users.c.id).where(users.c.username == name)).first():
            raise DomainError(N_("a user {name} already exists"), name=repr(name))
        if mail and conn.execute(select(users.c.id).where(users.c.email == mail)).first():
            raise DomainError(N_("another user already has the email {email}"), email=mail)
        now = utc_now()
        values: dict[str, Any] = {"username": name, "email": mail, "display_name": (display_name or "").strip() or None}
        values |= {"role": role.value, "marketing_access": marketing_access_by_default(role)}
        conn.execute(insert(users).values(password_hash=password_hash, created_at=now, updated_at=now, **values))
        summary = {**values, "local_sign_in": password_hash is not None}
        unit.finish(unit.start("user_added"), summary)
        return _info(_row(conn, name))


def list_users(engine: Engine) -> list[UserInfo]:
    """Every user, by username (no password hashes leave the store)."""
    with db.read(engine) as conn:
        return [_info(r) for r in conn.execute(select(users).order_by(users.c.username))]


def _enabled_admins_besides(conn: Connection, user_id: int) -> int:
    query = select(func.count()).where(
        users.c.role == Role.ADMIN.value, users.c.disabled.is_(False), users.c.id != user_id
    )
    return int(conn.execute(query).scalar_one())


def _change(engine: Engine, *, username: str, actor: str, today: date, kind: str, values_for: Changes) -> UserInfo:
    """Apply the values computed from the user's row; an enabled admin must remain; disabling ends sessions."""
    by = Requester(actor, "user", username.strip().lower())
    with changing(engine, by=by, today=today, needs=Action.MANAGE_USERS, catch_up_first=False) as unit:
        conn = unit.conn
        row = _row(conn, username)
        values = values_for(row)
        stays_admin = values.get("role", row.role) == Role.ADMIN.value and not values.get("disabled", row.disabled)
        if row.role == Role.ADMIN.value and not stays_admin and not _enabled_admins_besides(conn, row.id):
            raise DomainError(
                N_("{name} is the last enabled admin: add or enable another admin first"), name=row.username
            )
        now = utc_now()
        conn.execute(update(users).where(users.c.id == row.id).values(updated_at=now, **values))
        if values.get("disabled"):
            open_sessions = (user_sessions.c.user_id == row.id) & user_sessions.c.ended_at.is_(None)
            conn.execute(update(user_sessions).where(open_sessions).values(ended_at=now, ended_reason="disabled"))
        summary = {k: v for k, v in values.items() if k != "password_hash"}
        unit.finish(unit.start(kind, by=by.via("user", row.username)), summary)
        return _info(_row(conn, row.username))


def set_role(engine: Engine, *, username: str, role: Role, actor: str, today: date) -> UserInfo:
    """Change a role; a viewer loses marketing access, a viewer promoted to admin or editor gets it by default."""

    def values(row: Any) -> dict[str, Any]:
        if role == Role.VIEWER or row.role == Role.VIEWER.value:
            return {"role": role.value, "marketing_access": marketing_access_by_default(role)}
        return {"role": role.value}

    return _change(engine, username=username, actor=actor, today=today, kind="user_role_set", values_for=values)


def set_marketing_access(engine: Engine, *, username: str, granted: bool, actor: str, today: date) -> UserInfo:
    """Grant or revoke the Marketing contact access permission (viewers only read: they cannot hold it)."""

    def values(row: Any) -> dict[str, Any]:
        if granted and row.role == Role.VIEWER.value:
            raise DomainError(N_("{name} is a viewer and only reads: change the role first"), name=row.username)
        return {"marketing_access": granted}

    kind = "user_granted" if granted else "user_revoked"
    return _change(engine, username=username, actor=actor, today=today, kind=kind, values_for=values)


def set_disabled(engine: Engine, *, username: str, disabled: bool, actor: str, today: date) -> UserInfo:
    """Disable a user (their open sessions end at once) or enable them again."""
    kind = "user_disabled" if disabled else "user_enabled"
    return _change(
        engine, username=username, actor=actor, today=today, kind=kind, values_for=lambda _: {"disabled": disabled}
    )


def set_password(engine: Engine, *, username: str, password: str, actor: str, today: date) -> UserInfo:
    """Set a user's local password (admins, or the user themselves); this also lifts a lockout."""
    values = {"password_hash": hash_password(password), "failed_attempts": 0, "locked_until": None}
    own = actor.strip().lower() == username.strip().lower()  # one's own password needs no admin, but an enabled account
    needs = () if own else (Action.MANAGE_USERS,)
    by = Requester(actor, "user", username.strip().lower())
    with changing(engine, by=by, today=today, needs=needs, catch_up_first=False) as unit:
        conn = unit.conn
        if own:
            require_person(conn, actor)
        row = _row(conn, username)
        conn.execute(update(users).where(users.c.id == row.id).values(updated_at=utc_now(), **values))
        unit.finish(unit.start("user_password_set", by=by.via("user", row.username)), {})
        return _info(_row(conn, row.username))
