"""Fixtures: a fresh database per test, on SQLite (a tmp_path file) and on PostgreSQL (a fresh schema).

PostgreSQL tests run when MARKETABLE_TEST_PG_URL names a server (``.ci/run`` sets it); elsewhere they
skip with that reason.

The clock: every test runs with the deployment's day pinned to TODAY (``MARKETABLE_TODAY``), never the real
date. A change may act only on that day (docs/domain.md §10), so a test that acts on a later day moves the
deployment's day first: the ``Cli`` helper pins the day it is told, and ``pin_today`` does it for direct calls.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, inspect, text

from core.cli import run
from core.rules.calendar import Commitment
from core.rules.tiers import Edition
from core.services.setup import init
from core.settings import TODAY_ENV
from core.store import engine as engine_module
from core.store import states
from core.store.engine import make_engine

PG_ENV = "MARKETABLE_TEST_PG_URL"
TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> date:
    """Every test starts on TODAY: the deployment's day is pinned, whatever the real date (restored afterwards)."""
    monkeypatch.setenv(TODAY_ENV, TODAY.isoformat())
    return TODAY


def pin_today(day: date | str) -> date:
    """Move the deployment's day to ``day`` for the rest of the test (as time passing would); returns it.

    The autouse ``pinned_today`` fixture set the variable first, so it is restored when the test ends."""
    os.environ[TODAY_ENV] = str(day)
    return date.fromisoformat(str(day))


def _pg_admin_url() -> str | None:
    return os.environ.get(PG_ENV) or None


@pytest.fixture
def sqlite_url(tmp_path: Any) -> str:
    return f"sqlite:///{tmp_path}/marketable.db"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    admin = _pg_admin_url()
    if not admin:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL tests: set {PG_ENV}")
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (e.g. postgresql://postgres@127.0.0.1:5432/test)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    base = admin.replace("postgresql://", "postgresql+psycopg://", 1)
    admin_engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with admin_engine.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin_engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh, empty database URL on each engine."""
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An initialised, empty Professional / annual account started 2026-01-15, on each engine."""
    eng = make_engine(db_url)
    init(
        eng,
        today=TODAY,
        actor="test",
        edition=Edition.PROFESSIONAL,
        commitment=Commitment.ANNUAL,
        start_date=date(2026, 1, 15),
    )
    yield eng
    assert_counts_kept(eng)
    eng.dispose()


def assert_counts_kept(eng: Engine) -> None:
    """The counts the triggers keep (migration 0013) equal a count of the status rows: checked after every test
    that used the ``engine`` fixture, whatever it wrote and however (services, factories, raw SQL)."""
    with eng.connect() as conn:
        if inspect(conn).has_table("contact_state_counts"):
            assert states.counted(conn) == states.scanned(conn), "the kept counts drifted from the status rows"


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """Every SQL statement any engine sends while the test runs, in order."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    yield seen
    event.remove(Engine, "before_cursor_execute", record)


@pytest.fixture
def locked(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], None]]:
    """Call it to take SQLite's write lock from another connection (as a running change holds it) until the test
    ends; this test's own connections wait 0.2 s for it, not the usual 5 s."""
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 200)  # read when a connection opens
    other = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    yield lambda: other.execute("BEGIN IMMEDIATE") and None
    other.close()


class Cli:
    """Runs ``python -m core`` in-process against one database: exit code, JSON and message.

    ``today`` is the deployment's day for the command: it is pinned (``pin_today``), and the command acts on it as
    it would on the real day, without ``--today``. To ask for another day, pass ``--today`` among ``args``."""

    def __init__(self, url: str) -> None:
        self.url = url

    def __call__(self, *args: str, today: date | str = TODAY, expect: int = 0) -> Any:
        pin_today(today)
        code, payload, message = run(["--db", self.url, *args])
        assert code == expect, f"exit {code}, expected {expect}: {message}"
        self.message = message
        return json.loads(json.dumps(payload, default=str)) if payload is not None else None


@pytest.fixture
def cli(engine: Engine, db_url: str) -> Cli:
    return Cli(db_url)
