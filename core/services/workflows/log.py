"""Read models of the workflow run log: attempts with their errors, runs, failed enrollments, actions per run."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select

from core.store import engine as db
from core.store.schema import (
    FAILED,
    contacts,
    workflow_action_runs,
    workflow_attempts,
    workflow_enrollments,
    workflow_runs,
    workflows,
)


@dataclass(frozen=True)
class AttemptRow:
    id: int
    workflow: str
    action: str
    attempt: int
    outcome: str  # ok, transient, permanent, blocked
    enrollments: int
    applied: int
    started_at: datetime
    duration_ms: int
    error: str | None
    batch: str  # the first 8 characters of the batch key: attempts of one batch share it
    actor: str

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["started_at"] = self.started_at.isoformat(sep=" ")
        return data


def attempts(engine: Engine, *, workflow_id: int | None = None, limit: int = 200) -> list[AttemptRow]:
    """The newest attempts first, each with its outcome and error (what the run log shows)."""
    a = workflow_attempts
    query = (
        select(a, workflows.c.name)
        .join(workflows, workflows.c.id == a.c.workflow_id)
        .order_by(a.c.id.desc())
        .limit(limit)
    )
    if workflow_id is not None:
        query = query.where(a.c.workflow_id == workflow_id)
    with db.read(engine) as conn:
        rows = conn.execute(query).all()
    return [
        AttemptRow(
            id=r.id,
            workflow=r.name,
            action=r.action,
            attempt=r.attempt,
            outcome=r.outcome,
            enrollments=r.enrollments,
            applied=r.applied,
            started_at=r.started_at,
            duration_ms=r.duration_ms,
            error=r.error,
            batch=r.batch_key[:8],
            actor=r.actor,
        )
        for r in rows
    ]


def runs(engine: Engine, *, limit: int = 20) -> list[dict[str, Any]]:
    """The newest runs first with their counts; an unfinished one was stopped (or is still running)."""
    query = select(workflow_runs).order_by(workflow_runs.c.id.desc()).limit(limit)
    with db.read(engine) as conn:
        rows = conn.execute(query).all()
    found = []
    for r in rows:
        summary = json.loads(r.summary) if r.summary else {}
        found.append(
            {
                "started_at": r.started_at,
                "finished_at": r.finished_at,
                "actor": r.actor,
                **{k: summary.get(k) for k in ("enrolled", "completed", "retrying", "failed", "attempts", "seconds")},
                "contacts_changed": summary.get("contacts_changed"),
                "already_in_that_state": summary.get("already_in_that_state"),
                "transient_errors": summary.get("transient_errors"),
            }
        )
    return found


def failures(engine: Engine, workflow_id: int, *, limit: int = 100) -> list[dict[str, Any]]:
    """Enrollments that failed permanently: the contact, the action and the error."""
    e, r = workflow_enrollments, workflow_action_runs
    query = (
        select(e.c.id, e.c.contact_id, contacts.c.email, r.c.action_index, r.c.error, r.c.applied_at)
        .join(r, (r.c.enrollment_id == e.c.id) & (r.c.outcome == "failed"))
        .outerjoin(contacts, contacts.c.id == e.c.contact_id)
        .where(e.c.workflow_id == workflow_id, e.c.state == FAILED)
        .order_by(e.c.id.desc())
        .limit(limit)
    )
    with db.read(engine) as conn:
        return [dict(row._mapping) for row in conn.execute(query).all()]


def actions_per_run(engine: Engine, *, workflow_id: int | None = None, runs_back: int = 100) -> list[dict[str, Any]]:
    """Per run (newest ``runs_back``) and action: enrollments done and transient errors, summed in the database."""
    a = workflow_attempts
    ok = func.sum(func.coalesce(a.c.applied, 0)).filter(a.c.outcome == "ok")
    retried = func.count().filter(a.c.outcome == "transient")
    query = (
        select(
            a.c.run_key, func.min(a.c.started_at).label("at"), a.c.action, ok.label("applied"), retried.label("retried")
        )
        .where(a.c.action_index.is_not(None))
        .group_by(a.c.run_key, a.c.action)
    )
    if workflow_id is not None:
        query = query.where(a.c.workflow_id == workflow_id)
    recent = select(a.c.run_key).group_by(a.c.run_key).order_by(func.min(a.c.id).desc()).limit(runs_back)
    query = query.where(a.c.run_key.in_(recent))
    with db.read(engine) as conn:
        rows = conn.execute(query.order_by("at")).all()
    return [
        {
            "run": r.run_key[:8],
            "at": r.at,
            "action": r.action,
            "applied": int(r.applied or 0),
            "retried": int(r.retried),
        }
        for r in rows
    ]
