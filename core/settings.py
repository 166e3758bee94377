"""Settings from the environment, in one place."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from core.errors import InvalidValue
from core.i18n import N_

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
        raise InvalidValue(N_("{setting} must be a whole number, not {text}"), setting=name, text=repr(raw))
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


HUBSPOT_TOKEN_ENV = "HUBSPOT_ACCESS_TOKEN"  # a HubSpot private app's access token (docs/domain.md §12)
HUBSPOT_URL_ENV = "MARKETABLE_HUBSPOT_URL"  # another address for HubSpot's API (tests and the benchmark's local server)
SECRETS_FILE = Path(".streamlit") / "secrets.toml"


def hubspot_token(secrets_file: Path | None = None) -> str | None:
    """The HubSpot access token: ``HUBSPOT_ACCESS_TOKEN`` in the environment, else the same key (top level or in a
    ``[hubspot]`` table as ``access_token``) in ``.streamlit/secrets.toml``. Read when needed, never stored."""
    if token := (os.environ.get(HUBSPOT_TOKEN_ENV) or "").strip():
        return token
    path = secrets_file or SECRETS_FILE
    try:
        secrets = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    table = secrets.get("hubspot")
    found = secrets.get(HUBSPOT_TOKEN_ENV) or (table.get("access_token") if isinstance(table, dict) else None)
    return found.strip() or None if isinstance(found, str) else None


def hubspot_url() -> str | None:
    """Where HubSpot's API is: None for HubSpot itself (https://api.hubapi.com)."""
    return (os.environ.get(HUBSPOT_URL_ENV) or "").strip().rstrip("/") or None
