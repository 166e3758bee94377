"""One leader among the worker processes of one database (docs/architecture.md, "The worker").

PostgreSQL: a session advisory lock (``pg_try_advisory_lock``) on a connection of its own, keyed on the
database's schema. The leader holds it while its connection lives; when the process dies or its connection
drops, the server releases it and another worker takes it on its next try. SQLite: an exclusive ``flock`` on a
file beside the database (one machine holds a SQLite file; the kernel releases the lock when the process ends).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, text

_PG_KEY = "hashtext('marketable-worker-leader:' || current_schema())"


class Leadership:
    """Try to become the leader, check that we still are, let go."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: Connection | None = None
        self._file: IO[Any] | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None or self._file is not None

    def try_acquire(self) -> bool:
        if self.held:
            return self.still_held()
        if self.engine.dialect.name == "sqlite":
            return self._flock()
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            got = bool(conn.execute(text(f"SELECT pg_try_advisory_lock({_PG_KEY})")).scalar())
        except Exception:
            conn.close()
            raise
        if got:
            self._conn = conn
        else:
            conn.close()
        return got

    def _flock(self) -> bool:
        database = self.engine.url.database
        if not database or database == ":memory:":
            self._file = open(os.devnull)  # noqa: SIM115 - one process holds an in-memory database: it leads
            return True
        handle = Path(f"{database}.worker-lock").open("a")  # noqa: SIM115 - held open while leading
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._file = handle
        return True

    def still_held(self) -> bool:
        """Whether we still lead: the lock's connection still answers (PostgreSQL), the file is still locked."""
        if self._file is not None:
            return True
        if self._conn is None:
            return False
        try:
            self._conn.execute(text("SELECT 1"))
            return True
        except Exception:
            self._drop()
            return False

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.invalidate()
            finally:
                self._conn = None

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the file releases the flock
            self._file = None
        if self._conn is not None:
            try:
                self._conn.execute(text(f"SELECT pg_advisory_unlock({_PG_KEY})"))
                self._conn.close()
            except Exception:
                self._drop()
            self._conn = None
