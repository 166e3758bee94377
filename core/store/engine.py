"""Engines and units of work for SQLite (WAL, foreign keys, busy timeout) and PostgreSQL (psycopg 3)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.engine import make_url

from core.settings import pool_sizes
from core.store.schema import account

SQLITE_BUSY_TIMEOUT_MS = 5_000


def _normalise_url(url: str) -> str:
    """Let users write ``postgresql://``; we always talk to PostgreSQL through psycopg 3."""
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    try:
        return make_url(_normalise_url(url)).render_as_string(hide_password=True)
    except Exception:
        return re.sub(r"//[^@/]*@", "//***@", url)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Take over transaction control from pysqlite so that BEGIN IMMEDIATE can be used for writes.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    # Writers take the write lock at BEGIN: no deadlock when two writers upgrade from read locks.
    immediate = conn.get_execution_options().get("write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; for a SQLite file, create its folder first."""
    url = _normalise_url(url)
    parsed = make_url(url)
    # INSERT ... SELECT counts (events written, contacts that left) need the DBAPI rowcount, which
    # SQLAlchemy 2.x only keeps for UPDATE/DELETE unless asked: without this psycopg reports -1.
    kwargs["execution_options"] = {"preserve_rowcount": True, **kwargs.get("execution_options", {})}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
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
    """
    with engine.connect() as raw:
        conn = raw.execution_options(write=True)
        with conn.begin():
            if conn.dialect.name != "sqlite":
                conn.execute(select(account.c.id).where(account.c.id == 1).with_for_update())
            yield conn


@contextmanager
def write_job(engine: Engine) -> Iterator[Connection]:
    """A short write of a job's bookkeeping (``core.store.jobs``). It does not lock the account row, so a job
    reports its progress while the change it runs holds that lock (PostgreSQL). On SQLite it still needs the
    database's one write lock: a job running a change there reports in its own process only."""
    with engine.connect() as raw:
        conn = raw.execution_options(write=True)
        with conn.begin():
            yield conn
