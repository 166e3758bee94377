"""Settings from the environment, in one place."""

from __future__ import annotations

import os

DEFAULT_DB_URL = "sqlite:///data/marketable.db"
DB_URL_ENV = "MARKETABLE_DB_URL"


def database_url(explicit: str | None = None) -> str:
    """The database URL: an explicit one, else ``MARKETABLE_DB_URL``, else the embedded SQLite file."""
    return explicit or os.environ.get(DB_URL_ENV) or DEFAULT_DB_URL
