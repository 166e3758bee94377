"""Helpers for the resilience tests: real ``python -m core`` processes, state fingerprints and event replay."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from core.store.engine import make_engine

ROOT = Path(__file__).resolve().parents[2]
STATE = (  # over s, a contact's row of contact_status (migration 0008): see ROWS
    "CASE WHEN s.marketing_status = 'marketing' AND s.pending_non_marketing THEN 'pending' ELSE s.marketing_status END"
)
ROWS = "contacts c JOIN contact_status s ON s.contact_id = c.id"  # contacts (c) with their state (s)


def core_argv(db_url: str, *args: str, today: str) -> list[str]:
    return [sys.executable, "-m", "core", "--db", db_url, "--today", today, *args]


def start(db_url: str, *args: str, today: str) -> subprocess.Popen[str]:
    """Start ``python -m core`` in its own process (stdout: the JSON; stderr: the one-line error)."""
    return subprocess.Popen(
        core_argv(db_url, *args, today=today),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "MARKETABLE_TODAY": today},  # the deployment's day: ``today``
    )


@dataclass
class Finished:
    code: int
    out: str
    err: str


def finish(process: subprocess.Popen[str], timeout: float = 600) -> Finished:
    out, err = process.communicate(timeout=timeout)
    assert "Traceback" not in err, err
    return Finished(process.returncode, out, err)


def run_core(db_url: str, *args: str, today: str, timeout: float = 600) -> Finished:
    done = finish(start(db_url, *args, today=today), timeout=timeout)
    assert done.code == 0, f"exit {done.code}: {done.err}"
    return done


def scalar(engine: Engine, sql: str, **params: Any) -> Any:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def fingerprint(engine: Engine) -> dict[str, Any]:
    """Everything a status change or an update run can touch, summarised in SQL."""
    with engine.connect() as conn:
        states = conn.execute(
            text(f"SELECT {STATE} AS state, s.effective_on, count(*) FROM {ROWS} GROUP BY 1, 2 ORDER BY 1, 2")
        ).all()
        return {
            "states": [tuple(str(v) for v in row) for row in states],
            "contacts": tuple(conn.execute(text("SELECT count(*), coalesce(max(id), 0) FROM contacts")).one()),
            "events": tuple(conn.execute(text("SELECT count(*), coalesce(max(id), 0) FROM status_events")).one()),
            "operations": conn.execute(text("SELECT count(*) FROM operations")).scalar_one(),
            "update_runs": [str(d) for d in conn.execute(text("SELECT update_date FROM update_runs ORDER BY 1"))],
            "account": tuple(conn.execute(text("SELECT billed_tier, updates_applied_through FROM account")).one()),
        }


def replay_mismatches(engine: Engine) -> int:
    """Contacts whose stored state differs from the replay of their events (last event's new state)."""
    return int(
        scalar(
            engine,
            f"""
            SELECT count(*) FROM {ROWS}
            LEFT JOIN (SELECT contact_id, max(id) AS last_id FROM status_events GROUP BY contact_id) l
                   ON l.contact_id = c.id
            LEFT JOIN status_events e ON e.id = l.last_id
            WHERE coalesce(e.new_state, 'non_marketing') <> {STATE}
            """,
        )
    )


def broken_chains(engine: Engine) -> int:
    """Events whose old state is not the new state of the contact's previous event (a lost or doubled update)."""
    return int(
        scalar(
            engine,
            """
            SELECT count(*) FROM (
                SELECT old_state, lag(new_state) OVER (PARTITION BY contact_id ORDER BY id) AS previous,
                       row_number() OVER (PARTITION BY contact_id ORDER BY id) AS n
                FROM status_events
            ) chain
            WHERE n > 1 AND coalesce(old_state, '-') <> coalesce(previous, '-')
            """,
        )
    )


def states_by_id(engine: Engine) -> dict[int, str]:
    with engine.connect() as conn:
        return {int(r[0]): str(r[1]) for r in conn.execute(text(f"SELECT c.id, {STATE} FROM {ROWS}"))}


@pytest.fixture
def open_engine() -> Iterator[Any]:
    engines: list[Engine] = []

    def _open(url: str) -> Engine:
        engine = make_engine(url)
        engines.append(engine)
        return engine

    yield _open
    for engine in engines:
        engine.dispose()
