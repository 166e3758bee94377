"""One row per workflow run: inserted when it starts, completed with its summary when it ends."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, update

from core.store.schema import workflow_runs


def start_run(conn: Connection, *, run_key: str, started_at: datetime, actor: str) -> int:
    """Record that a run started; a run that never finishes (killed) keeps no finish time."""
    values = {"run_key": run_key, "started_at": started_at, "actor": actor}
    return int(conn.execute(insert(workflow_runs).values(**values).returning(workflow_runs.c.id)).scalar_one())


def finish_run(conn: Connection, *, result: Any, finished_at: datetime) -> dict[str, int]:
    """Record the run's end and the JSON it reported."""
    summary = json.dumps(result.as_json(), default=str)
    conn.execute(
        update(workflow_runs)
        .where(workflow_runs.c.run_key == result.run_id)
        .values(finished_at=finished_at, summary=summary)
    )
    return {}
