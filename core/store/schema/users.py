"""Users, their roles and grants, and local sign-in sessions (on the shared ``metadata``)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Table, text

from core.store.schema.tables import metadata

# Usernames and emails are stored lower-case: both are unique without regard to case.
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False),
    Column("email", String(254)),  # maps an OpenID Connect sign-in (st.user.email) to this user
    Column("display_name", String(200)),
    Column("role", String(20), nullable=False),  # admin / editor / viewer
    Column("marketing_access", Boolean, nullable=False, server_default=text("false")),
    Column("password_hash", String(200)),  # argon2id; NULL: no local sign-in (OIDC only)
    Column("disabled", Boolean, nullable=False, server_default=text("false")),
    Column("failed_attempts", Integer, nullable=False, server_default=text("0")),
    Column("locked_until", DateTime),  # UTC
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("last_sign_in_at", DateTime),  # UTC
    Index("ux_users_username", "username", unique=True),
    Index("ux_users_email", "email", unique=True),
)

# A local sign-in: only a hash of the token is stored, so a copy of the database signs nobody in.
user_sessions = Table(
    "user_sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False),
    Column("method", String(10), nullable=False),  # local / oidc
    Column("created_at", DateTime, nullable=False),  # UTC
    Column("last_seen_at", DateTime, nullable=False),  # UTC
    Column("ended_at", DateTime),  # UTC; NULL while the session is open
    Column("ended_reason", String(20)),  # sign_out / idle / disabled
    Index("ux_user_sessions_token", "token_hash", unique=True),
    Index("ix_user_sessions_user", "user_id"),
)
