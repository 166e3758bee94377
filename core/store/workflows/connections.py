"""The engine a workflow run writes through: the same database, with the run's own lock waits.

SQLite: a short busy timeout turns "another writer holds the lock" into a quick, retryable
"database is locked". PostgreSQL: a lock_timeout turns a row (or account) lock held elsewhere into a
retryable lock_not_available error instead of a wait without end.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import Engine, event

from core.store.engine import make_engine


def _sqlite_busy(dbapi_connection: Any, _record: Any, *, ms: int) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={int(ms)}")
    cursor.close()


def _pg_lock_timeout(dbapi_connection: Any, _record: Any, *, ms: int) -> None:
    # A row or account lock held elsewhere becomes a retryable lock_not_available error, not a wait forever.
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = {int(ms)}")
    dbapi_connection.autocommit = autocommit


def work_engine(engine: Engine, *, busy_timeout_ms: int, lock_timeout_ms: int) -> Engine:
    """The run's own engine: the same database, with the run's busy timeout (SQLite) or lock timeout (PostgreSQL)."""
    if engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:"):
        return engine
    work = make_engine(engine.url.render_as_string(hide_password=False))
    if work.dialect.name == "sqlite":
        event.listen(work, "connect", partial(_sqlite_busy, ms=busy_timeout_ms))
    else:
        event.listen(work, "connect", partial(_pg_lock_timeout, ms=lock_timeout_ms))
    return work
