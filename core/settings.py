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


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise ValueError(f"{name} must be a whole number, not {raw!r}")
    return int(raw)


def pool_sizes() -> dict[str, int]:
    """A PostgreSQL process's connection pool (README, "Connection budget"): ``MARKETABLE_POOL_SIZE`` connections
    kept open (default 5), ``MARKETABLE_MAX_OVERFLOW`` more opened under load (default 5), waiting at most
    ``MARKETABLE_POOL_TIMEOUT`` seconds (default 30) for a free one."""
    return {
        "pool_size": _env_int("MARKETABLE_POOL_SIZE", 5),
        "max_overflow": _env_int("MARKETABLE_MAX_OVERFLOW", 5),
        "pool_timeout": _env_int("MARKETABLE_POOL_TIMEOUT", 30),
    }


BACKGROUND_ENV = "MARKETABLE_BACKGROUND_FROM"  # changes of at least this many contacts run as background jobs


def background_from() -> int:
    """A change of at least this many contacts (or CSV rows) runs as a background job with a progress bar."""
    return _env_int(BACKGROUND_ENV, 100_000)
