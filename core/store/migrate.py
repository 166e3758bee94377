"""Bring a database to the newest schema with Alembic; never drops data.

Feature areas may add their own migration branches off ``0001``; ``upgrade`` applies every head.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(_config()).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def upgrade(engine: Engine) -> bool:
    """Apply pending migrations; returns True when something was applied."""
    if current_revisions(engine) == head_revisions():
        return False
    _run(engine, lambda cfg: command.upgrade(cfg, "heads"))
    return True


def downgrade(engine: Engine, revision: str) -> None:
    """Step the schema back to ``revision`` (for operators; the app never does this)."""
    _run(engine, lambda cfg: command.downgrade(cfg, revision))


def _run(engine: Engine, step: Callable[[Config], None]) -> None:
    cfg = _config()
    with engine.connect().execution_options(write=True) as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # SQLite's procedure for rebuilding a table: foreign keys off, outside any transaction, so that
            # dropping the old table does not cascade (e.g. to list memberships); checked before commit.
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            cfg.attributes["connection"] = conn
            broken_before = _foreign_key_breaks(conn) if sqlite else set()
            step(cfg)
            if sqlite and (broken := _foreign_key_breaks(conn) - broken_before):
                tables = ", ".join(sorted({table for table, *_ in broken}))
                raise RuntimeError(f"the migration would leave rows of {tables} without their parent; nothing changed")
            conn.commit()
        except BaseException:
            if sqlite:
                conn.invalidate()  # never hand a connection with foreign keys off back to the pool
            raise
        if sqlite:
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def _foreign_key_breaks(conn: Connection) -> set[tuple[Any, ...]]:
    """Rows whose parent is missing. Rows broken before the migration (say, by a delete in the sqlite3 shell,
    where foreign keys are off by default) are not the migration's doing and do not stop it."""
    return {tuple(row) for row in conn.exec_driver_sql("PRAGMA foreign_key_check")}
