"""``kill -9`` in the middle of a bulk change of 1,000,000 contacts and of ``apply-updates`` (SQLite and
PostgreSQL): afterwards the database holds all or nothing of the change, and running it again completes it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import PG_ENV, assert_counts_kept
from tests.resilience.conftest import fingerprint, finish, replay_mismatches, run_core, scalar, start

pytestmark = pytest.mark.slow

CONTACTS = int(os.environ.get("MARKETABLE_KILL_CONTACTS", "1000000"))  # lower it only to try the test quickly
TODAY, UPDATE_DATE = "2026-11-26", "2026-12-01"
EVERYONE = json.dumps([{"property": "email", "operator": "contains", "value": "@"}])
APP_NAME = "marketable_kill_test"
KILLS: list[dict[str, Any]] = []


def _killable(db_url: str) -> str:
    """The URL for the process to kill; on PostgreSQL the server checks every 200 ms whether its client died."""
    if not db_url.startswith("postgresql"):
        return db_url
    url = make_url(db_url)
    options = f"{url.query.get('options', '')} -c client_connection_check_interval=200".strip()
    return url.update_query_dict({"options": options, "application_name": APP_NAME}).render_as_string(False)


def _sqlite_writer_active(path: Path) -> bool:
    """True while another connection holds SQLite's write lock (our BEGIN IMMEDIATE cannot start)."""
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def _pg_writing(engine: Engine) -> str | None:
    """The statement the process's server backend is running, when it is writing contacts or events."""
    with engine.connect() as conn:
        query = conn.execute(
            text(
                "SELECT query FROM pg_stat_activity WHERE application_name = :app AND state = 'active' "
                "AND (query ILIKE 'INSERT INTO status_events%' OR query ILIKE 'UPDATE contact_status%')"
            ),
            {"app": APP_NAME},
        ).scalar()
    return None if query is None else " ".join(str(query).split())[:60]


def _written_bytes(pid: int) -> int:
    """Bytes the process has written through write() so far (Linux): SQLite's WAL frames are written this way."""
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    return 0


def _writing_evidence(db_url: str, engine: Engine, process: subprocess.Popen[str], base: list[int]) -> str | None:
    """What shows the process is in the middle of writing the change, or None while it is not yet."""
    if db_url.startswith("postgresql"):
        statement = _pg_writing(engine)
        return f"its server backend was running {statement}..." if statement else None
    if not _sqlite_writer_active(Path(str(make_url(db_url).database))):
        return None
    if not base:
        base.append(_written_bytes(process.pid))  # the lock is taken; reading and counting come first
    written = _written_bytes(process.pid) - base[0]
    mb = written / 1_000_000
    return f"it held SQLite's write lock and had written {mb:.0f} MB of uncommitted pages" if mb >= 8 else None


def _kill_while_writing(db_url: str, engine: Engine, process: subprocess.Popen[str], into_write: float) -> None:
    """Wait until the process is writing the change, let it write ``into_write`` seconds more, then SIGKILL it."""
    deadline, evidence, base = time.monotonic() + 300, None, list[int]()
    while evidence is None:
        assert process.poll() is None, f"the process ended before it was killed: {process.communicate()}"
        assert time.monotonic() < deadline, "the process never started writing"
        evidence = _writing_evidence(db_url, engine, process, base)
        time.sleep(0.02)
    time.sleep(into_write)
    assert process.poll() is None, "the change finished before the kill: give it more contacts"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    if db_url.startswith("postgresql"):
        _wait_for_backend_to_go(engine)
    KILLS.append({"database": db_url.split(":")[0], "evidence": evidence})


def _wait_for_backend_to_go(engine: Engine) -> None:
    for _ in range(600):
        if not scalar(engine, "SELECT count(*) FROM pg_stat_activity WHERE application_name = :a", a=APP_NAME):
            return
        time.sleep(0.1)
    raise AssertionError("the killed process's server backend is still running")


@pytest.fixture(scope="module")
def million(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[str, Any, float]]]:
    """Both 1,000,000-contact databases, built at the same time by ``python -m core init --demo 1000000``."""
    urls = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('million')}/million.db"}
    admin_url, schema = os.environ.get(PG_ENV), f"kill_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://", 1)) if admin_url else None
    if admin is not None:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        pg = admin.url.update_query_dict({"options": f"-csearch_path={schema}"})
        urls["postgres"] = pg.render_as_string(hide_password=False)
    began = time.monotonic()
    builds = {
        k: (url, start(url, "init", "--demo", str(CONTACTS), "--seed", "5", today=TODAY)) for k, url in urls.items()
    }
    yield {k: (url, process, began) for k, (url, process) in builds.items()}
    for _, process in builds.values():
        if process.poll() is None:
            process.kill()
    if admin is not None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _step(steps: dict[str, float], name: str, since: float) -> float:
    now = time.monotonic()
    steps[name] = round(now - since, 1)
    return now


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_kill_9_in_the_middle_of_a_bulk_change_and_of_apply_updates_leaves_all_or_nothing(
    backend: str, million: dict[str, tuple[str, Any, float]], open_engine: Callable[[str], Engine]
) -> None:
    if backend not in million:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL tests: set {PG_ENV}")
        pytest.skip(f"PostgreSQL tests need {PG_ENV}")
    db_url, build, began = million[backend]
    assert finish(build).code == 0, "init --demo 1000000"
    steps: dict[str, float] = {}
    t = _step(steps, "built (both at once)", began)
    engine = open_engine(db_url)
    marketing = int(scalar(engine, "SELECT count(*) FROM contact_status WHERE marketing_status = 'marketing'"))
    already_pending = int(scalar(engine, "SELECT count(*) FROM contact_status WHERE pending_non_marketing"))
    before = fingerprint(engine)

    t = time.monotonic()
    process = start(_killable(db_url), "set-status", "--to", "non-marketing", "--filter", EVERYONE, today=TODAY)
    _kill_while_writing(db_url, engine, process, into_write=0.5)
    assert fingerprint(engine) == before, "nothing of the killed change is left"
    assert_counts_kept(engine)
    t = _step(steps, "set-status killed, checked", t)
    change = json.loads(run_core(db_url, "set-status", "--to", "non-marketing", "--filter", EVERYONE, today=TODAY).out)
    assert change["scheduled"] == marketing - already_pending and change["effective_on"] == UPDATE_DATE
    t = _step(steps, "set-status run again", t)
    scheduled = fingerprint(engine)
    assert scheduled["events"][0] == before["events"][0] + change["scheduled"], "one event per changed contact"
    assert int(scalar(engine, "SELECT count(*) FROM contact_status WHERE pending_non_marketing")) == marketing

    t = time.monotonic()
    process = start(_killable(db_url), "apply-updates", today=UPDATE_DATE)
    _kill_while_writing(db_url, engine, process, into_write=0.5)
    assert fingerprint(engine) == scheduled, "nothing of the killed update run is left"
    t = _step(steps, "apply-updates killed, checked", t)
    applied = json.loads(run_core(db_url, "apply-updates", today=UPDATE_DATE).out)["applied"]
    assert applied == [{"update_date": UPDATE_DATE, "became_non_marketing": marketing}]
    t = _step(steps, "apply-updates run again", t)
    assert json.loads(run_core(db_url, "apply-updates", today=UPDATE_DATE).out)["applied"] == []
    assert int(scalar(engine, "SELECT count(*) FROM contact_status WHERE marketing_status = 'marketing'")) == 0
    assert replay_mismatches(engine) == 0, "every contact's state equals the replay of its events"
    assert_counts_kept(engine)
    _step(steps, "checked", t)
    print(f"{backend}: kills {KILLS[-2:]}; seconds {steps}")
