"""Signing in: local passwords (argon2), OpenID Connect emails, sessions with idle expiry, lockouts; all audited.

A failed attempt is recorded with the user's name only when that user exists (a password typed into
the username field must never land in the audit trail), and never with the password.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import OperationalError

from core.clock import utc_now
from core.errors import DomainError
from core.i18n import ENGLISH, N_
from core.rules import email_address
from core.rules.requester import Requester
from core.services.users import MAX_PASSWORD, hasher, record
from core.store import engine as db
from core.store.access import users_exist
from core.store.schema import user_sessions, users

IDLE = timedelta(minutes=30)  # a session ends after this long without activity
MAX_FAILED = 5  # failed attempts in a row before the account is locked
LOCK = timedelta(minutes=15)
TOUCH_EVERY = timedelta(seconds=60)  # how often activity is written back (not on every rerun)
# Every refusal reads the same, whether the username exists, the password is wrong, or the account is locked or
# disabled: the message tells nobody which usernames exist (the README's Security section quotes it).
REFUSED_TEXT = N_(
    "wrong username or password ({attempts} failed attempts in a row lock an account for {minutes} minutes)"
)
REFUSED_FIELDS = {"attempts": MAX_FAILED, "minutes": int(LOCK.total_seconds() // 60)}
REFUSED = ENGLISH(REFUSED_TEXT, **REFUSED_FIELDS)
UNVERIFIED = N_("your identity provider has not verified your email address")  # the sign-in page refuses it
_DUMMY_HASH = hasher.hash("not a real password, only here to spend the same time")


class SignInRefused(DomainError):
    """The sign-in failed; the message never says which half was wrong."""


@dataclass(frozen=True)
class SignedIn:
    username: str
    display_name: str | None
    role: str
    marketing_access: bool
    token: str  # only held by the signed-in browser session; the store keeps its SHA-256

    @property
    def name(self) -> str:
        return self.display_name or self.username


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _verify(password_hash: str | None, password: str) -> bool:
    if len(password) > MAX_PASSWORD:
        password = password[:MAX_PASSWORD]  # still spend the hashing time; such a password was never accepted
        password_hash = None
    try:
        return hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def _open_session(conn: Connection, row: Any, *, method: str, now: datetime) -> SignedIn:
    token = secrets.token_urlsafe(32)
    conn.execute(
        insert(user_sessions).values(
            user_id=row.id, token_hash=_digest(token), method=method, created_at=now, last_seen_at=now
        )
    )
    conn.execute(
        update(users).where(users.c.id == row.id).values(failed_attempts=0, locked_until=None, last_sign_in_at=now)
    )
    return SignedIn(row.username, row.display_name, row.role, bool(row.marketing_access), token)


def _failure(conn: Connection, row: Any, password_ok: bool, now: datetime) -> str:
    """Count a failed attempt; returns the reason for the audit (the person signing in reads ``REFUSED``)."""
    if row is None:
        return "unknown user"
    if row.disabled:
        return "disabled"
    if row.locked_until is not None and row.locked_until > now:
        return "locked"
    attempts = (row.failed_attempts if row.locked_until is None else 0) + 1
    values: dict[str, Any] = {"failed_attempts": attempts, "locked_until": None}
    if attempts >= MAX_FAILED:
        values = {"failed_attempts": 0, "locked_until": now + LOCK}
    conn.execute(update(users).where(users.c.id == row.id).values(**values))
    if attempts >= MAX_FAILED:
        return "locked after failed attempts"
    return "wrong password" if not password_ok else "refused"


def sign_in(engine: Engine, *, username: str, password: str, today: date, now: datetime | None = None) -> SignedIn:
    """Check a local password; 5 failures in a row lock the account for 15 minutes. Every attempt is audited."""
    now = now or utc_now()
    name = username.strip().lower()[:100]
    name = "" if "\x00" in name else name  # no database stores NUL: no user has such a name
    with db.read(engine) as conn:
        found = conn.execute(select(users).where(users.c.username == name)).first()
    checked = found.password_hash if found is not None else None
    password_ok = _verify(checked, password)  # outside any lock: hashing takes a while
    with db.write(engine) as conn:
        row = conn.execute(select(users).where(users.c.username == name)).first()
        locked = row is not None and row.locked_until is not None and row.locked_until > now
        password_ok = password_ok and row is not None and row.password_hash == checked  # not reset meanwhile
        if row is not None and password_ok and not row.disabled and not locked:
            signed = _open_session(conn, row, method="local", now=now)
            record(conn, kind="sign_in", by=Requester(row.username, "sign_in", "local"), today=today, summary={})
            return signed
        reason = _failure(conn, row, password_ok, now)
        actor = row.username if row is not None else "anonymous"
        summary = {"method": "local", "reason": reason}
        record(conn, kind="sign_in_failed", by=Requester(actor, "sign_in", "local"), today=today, summary=summary)
    raise SignInRefused(REFUSED_TEXT, **REFUSED_FIELDS)  # after the commit: the failed attempt stays recorded


def sign_in_oidc(engine: Engine, *, email: str, today: date, now: datetime | None = None) -> SignedIn:
    """Map an identity provider's verified email to an enabled user; unknown emails get no access."""
    now = now or utc_now()
    mail = email_address.match_key(email)
    mail = "" if "\x00" in mail else mail
    with db.write(engine) as conn:
        row = conn.execute(select(users).where(users.c.email == mail)).first() if mail else None
        if row is not None and not row.disabled:
            signed = _open_session(conn, row, method="oidc", now=now)
            record(
                conn,
                kind="sign_in",
                by=Requester(row.username, "sign_in", "oidc"),
                today=today,
                summary={"email": mail},
            )
            return signed
        reason = "disabled" if row is not None else "unknown email"
        actor = row.username if row is not None else "anonymous"
        summary = {"method": "oidc", "reason": reason, "email": mail[:254]}
        record(conn, kind="sign_in_failed", by=Requester(actor, "sign_in", "oidc"), today=today, summary=summary)
    if not mail:
        raise SignInRefused(
            N_(
                "(no email from the identity provider) has no access to Marketable: "
                "ask an admin to add a user with this email"
            )
        )
    raise SignInRefused(
        N_("{email} has no access to Marketable: ask an admin to add a user with this email"), email=mail
    )


def resume(engine: Engine, *, token: str, now: datetime | None = None) -> SignedIn | None:
    """The signed-in user of a session token, or None once it ended (sign-out, idle time, disabled user)."""
    now = now or utc_now()
    query = (
        select(user_sessions.c.id, user_sessions.c.last_seen_at, users)
        .join(users, users.c.id == user_sessions.c.user_id)
        .where(user_sessions.c.token_hash == _digest(token), user_sessions.c.ended_at.is_(None))
    )
    with db.read(engine) as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    idle = now - row.last_seen_at >= IDLE
    if idle or row.disabled:
        _end(engine, row.id, now, "idle" if idle else "disabled")
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        _touch(engine, row.id, now)
    return SignedIn(row.username, row.display_name, row.role, bool(row.marketing_access), token)


def _touch(engine: Engine, session_id: int, now: datetime) -> None:
    # A plain short transaction, not the account lock: activity need not wait for a bulk change.
    try:
        with engine.begin() as conn:
            conn.execute(update(user_sessions).where(user_sessions.c.id == session_id).values(last_seen_at=now))
    except OperationalError:
        pass  # the store is busy: the activity is written on a later rerun


def _end(engine: Engine, session_id: int, now: datetime, reason: str) -> None:
    with engine.begin() as conn:
        open_session = (user_sessions.c.id == session_id) & user_sessions.c.ended_at.is_(None)
        conn.execute(update(user_sessions).where(open_session).values(ended_at=now, ended_reason=reason))


def sign_out(engine: Engine, *, token: str, today: date, now: datetime | None = None) -> None:
    """End the session at once; the token no longer signs anyone in."""
    now = now or utc_now()
    with db.write(engine) as conn:
        query = (
            select(user_sessions.c.id, users.c.username)
            .join(users, users.c.id == user_sessions.c.user_id)
            .where(user_sessions.c.token_hash == _digest(token), user_sessions.c.ended_at.is_(None))
        )
        row = conn.execute(query).first()
        if row is None:
            return
        conn.execute(
            update(user_sessions).where(user_sessions.c.id == row.id).values(ended_at=now, ended_reason="sign_out")
        )
        record(conn, kind="sign_out", by=Requester(row.username, "sign_in", None), today=today, summary={})


def local_mode(engine: Engine) -> bool:
    """True while no user exists: anyone who reaches the app acts as an admin, nobody signs in."""
    with db.read(engine) as conn:
        return not users_exist(conn)
