"""Engines and units of work for SQLite (WAL, foreign keys, busy timeout) and PostgreSQL (psycopg 3)."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from core.errors import DatabaseBusy
from core.settings import pool_sizes
from core.store.schema import account

SQLITE_BUSY_TIMEOUT_MS = 5_000


def _normalise_url(url: str) -> str:
    """Let users write ``postgresql://``; we always talk to PostgreSQL through psycopg 3."""
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)


_AUTHORITY = re.compile(r"^(?P<scheme>[^:/]+://)(?P<userinfo>[^/?#]*)@(?P<host>[^@/?#]*)(?P<rest>.*)$", re.S)


def _ambiguous(url: str) -> bool:
    """A user or password with an unencoded ``@``: the URL parser would take part of the password for the host
    (and show it in messages), so such a URL is refused; write ``@`` as ``%40``."""
    found = _AUTHORITY.match(url)
    return bool(found and "@" in found["userinfo"])


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages and logs (SQLAlchemy's own rendering)."""
    if _ambiguous(url):  # SQLAlchemy would split the password at its first "@": hide all of the user part
        found = _AUTHORITY.match(url)
        assert found is not None
        return f"{found['scheme']}***@{found['host']}{found['rest']}"
    try:
        return make_url(_normalise_url(url)).render_as_string(hide_password=True)
    except Exception:
        return re.sub(r"//[^/]*@", "//***@", url)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Take over transaction control from pysqlite so that BEGIN IMMEDIATE can be used for writes.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # a row that REPLACE removes fires its delete trigger too (the count triggers of migration 0013 see it)
    cursor.execute("PRAGMA recursive_triggers=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def _sqlite_read_only_on_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # as above; no journal mode set: that would be a write
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def read_only_file(path: Path) -> bool:
    """Whether a SQLite database file exists but cannot be written, or its folder cannot (a read-only file,
    folder or file system: where SQLite cannot create its -wal and -shm files)."""
    return path.is_file() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _read_only_connector(path: Path) -> Callable[[], sqlite3.Connection]:
    """Connections that only read (docs/domain.md §11): ``mode=ro``, and ``immutable=1`` unless a write-ahead log
    holds changes not yet in the file (then SQLite reads through it). Reads work; a write fails, and says so."""
    wal = Path(f"{path}-wal")
    params = "mode=ro" if wal.exists() and wal.stat().st_size else "mode=ro&immutable=1"
    target = f"file:{quote(str(path.resolve()))}?{params}"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(target, uri=True, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000, check_same_thread=False)

    return connect


def _sqlite_on_begin(conn: Connection) -> None:
    # Writers take the write lock at BEGIN: no deadlock when two writers upgrade from read locks.
    immediate = conn.get_execution_options().get("write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; for a SQLite file, create its folder first."""
    if _ambiguous(url):
        raise ArgumentError("its user or password contains an unencoded '@': write it as %40")
    url = _normalise_url(url)
    parsed = make_url(url)
    # INSERT ... SELECT counts (events written, contacts that left) need the DBAPI rowcount, which
    # SQLAlchemy 2.x only keeps for UPDATE/DELETE unless asked: without this psycopg reports -1.
    kwargs["execution_options"] = {"preserve_rowcount": True, **kwargs.get("execution_options", {})}
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database) if parsed.database and parsed.database != ":memory:" else None
        if path is not None and read_only_file(path):
            engine = create_engine(url, creator=_read_only_connector(path), **kwargs)
            event.listen(engine, "connect", _sqlite_read_only_on_connect)
            event.listen(engine, "begin", _sqlite_on_begin)
            return engine
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    kwargs = {**pool_sizes(), **kwargs}
    return create_engine(url, pool_pre_ping=True, **kwargs)


@contextmanager
def read(engine: Engine) -> Iterator[Connection]:
    """A read-only unit of work: one consistent snapshot, nothing written."""
    with engine.connect() as conn, conn.begin() as tx:
        yield conn
        tx.rollback()


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """A writing unit of work: all of it commits, or none of it.

    Writers are serialised on the account row (SQLite: BEGIN IMMEDIATE; PostgreSQL: SELECT ... FOR
    UPDATE), so counts, tier checks and set-based updates see no concurrent writer in between.

    Another writer holding SQLite's write lock past the busy timeout is ``DatabaseBusy`` (a clear sentence for the
    page and the command line; nothing was written), not the driver's "database is locked".
    """
    with engine.connect() as raw:
        conn = raw.execution_options(write=True)
        try:
            with conn.begin():
                if conn.dialect.name != "sqlite":
                    conn.execute(select(account.c.id).where(account.c.id == 1).with_for_update())
                yield conn
        except OperationalError as exc:
            if conn.dialect.name == "sqlite" and "locked" in str(exc.orig).lower():
                raise DatabaseBusy() from exc
            raise


@contextmanager
def write_job(engine: Engine) -> Iterator[Connection]:
    """A short write of a job's bookkeeping (``core.store.jobs``). It does not lock the account row, so a job
    reports its progress while the change it runs holds that lock (PostgreSQL). On SQLite it still needs the
    database's one write lock: a job running a change there reports in its own process only."""
    with engine.connect() as raw:
        conn = raw.execution_options(write=True)
        with conn.begin():
            yield conn
