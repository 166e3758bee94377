"""Settings from the environment, in one place."""

from __future__ import annotations

import os

DEFAULT_DB_URL = "sqlite:///data/marketable.db"
DB_URL_ENV = "MARKETABLE_DB_URL"


def database_url(explicit: str | None = None) -> str:
    """The database URL: an explicit one, else ``MARKETABLE_DB_URL``, else the embedded SQLite file."""
    return explicit or os.environ.get(DB_URL_ENV) or DEFAULT_DB_URL


TODAY_ENV = "MARKETABLE_TODAY"  # pin "today" (YYYY-MM-DD) for demos and tests; unset in production
ACTOR_ENV = "MARKETABLE_ACTOR"  # who the dashboard acts as while no users are configured


def pinned_today() -> str | None:
    return os.environ.get(TODAY_ENV) or None


def default_actor() -> str:
    return os.environ.get(ACTOR_ENV) or "dashboard"
