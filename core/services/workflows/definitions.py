"""Workflows (docs/domain.md §6.3): create, edit, dry-run, enable with the tier guardrail, disable, delete.

Only Professional and Enterprise accounts may create, edit or enable workflows; the core refuses a
Starter account, whatever the page shows. Running them is core.services.workflows.engine.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from core.errors import DomainError
from core.i18n import ENGLISH, N_, Translator, message_text
from core.rules.confirmation import Confirmed
from core.rules.requester import Requester
from core.rules.workflows import (
    WorkflowDefinition,
    WorkflowError,
    edition_allows_workflows,
    parse_definition,
    reaching_status,
)
from core.services.unit import Unit, changing
from core.services.workflows.dry_run import WorkflowDryRun, criteria_clause, dry_run_in, hold_consent
from core.store import engine as db
from core.store.access import Action
from core.store.account import load_account
from core.store.schema import COMPLETED, OPEN_STATES, static_lists, workflow_enrollments, workflows
from core.store.workflows.steps import list_id, state_counts


@dataclass(frozen=True)
class Workflow:
    id: int
    definition: WorkflowDefinition
    enabled: bool
    revision: int
    max_tier: int | None
    blocked: str | None
    created_at: datetime
    created_by: str
    updated_at: datetime
    enabled_at: datetime | None
    enabled_by: str | None
    counts: dict[str, int] = field(default_factory=dict)  # enrolled, active, retrying, completed, failed

    @property
    def name(self) -> str:
        return self.definition.name

    def as_json(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if k != "definition"}
        data.update(self.definition.as_dict())
        return json.loads(json.dumps(data, default=str))


def _definition(raw: str, actions: str, name: str, reenroll: bool) -> WorkflowDefinition:
    return parse_definition(
        {"name": name, "criteria": json.loads(raw), "actions": json.loads(actions), "reenroll": bool(reenroll)}
    )


def _from_row(row: Any, counts: dict[str, int] | None = None) -> Workflow:
    c = dict(counts or {})
    c = {s: c.get(s, 0) for s in ("active", "retrying", "completed", "failed")} | {"enrolled": sum(c.values())}
    return Workflow(
        id=row.id,
        definition=_definition(row.criteria, row.actions, row.name, row.reenroll),
        enabled=bool(row.enabled),
        revision=row.revision,
        max_tier=row.max_tier,
        blocked=row.blocked,
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        enabled_at=row.enabled_at,
        enabled_by=row.enabled_by,
        counts=c,
    )


def load_workflow(conn: Connection, workflow_id: int) -> Workflow:
    """One workflow with its enrollment counts; an unknown id is a user error."""
    row = conn.execute(select(workflows).where(workflows.c.id == workflow_id)).first()
    if row is None:
        raise DomainError(N_("no workflow with id {id}"), id=str(workflow_id))
    return _from_row(row, state_counts(conn, [workflow_id]).get(workflow_id))


def enabled_workflows(conn: Connection, workflow_ids: list[int] | None = None) -> list[Workflow]:
    """The enabled workflows (optionally only some), in id order, without counts."""
    query = select(workflows).where(workflows.c.enabled.is_(True)).order_by(workflows.c.id)
    if workflow_ids is not None:
        query = query.where(workflows.c.id.in_(workflow_ids))
    return [_from_row(r) for r in conn.execute(query).all()]


def list_workflows(engine: Engine) -> list[Workflow]:
    """Every workflow with its enrollment counts (enrolled, active, retrying, completed, failed)."""
    with db.read(engine) as conn:
        counts = state_counts(conn)
        rows = conn.execute(select(workflows).order_by(workflows.c.id)).all()
        return [_from_row(r, counts.get(r.id)) for r in rows]


def get_workflow(engine: Engine, workflow_id: int) -> Workflow:
    with db.read(engine) as conn:
        return load_workflow(conn, workflow_id)


def require_edition(conn: Connection) -> None:
    """Workflows are a Professional and Enterprise feature (docs/domain.md §6.3)."""
    edition = load_account(conn).edition
    if not edition_allows_workflows(edition):
        raise DomainError(
            N_("Workflows need the Professional or Enterprise edition; this account is on {edition}."),
            edition=edition.value.title(),
        )


def _check(conn: Connection, definition: WorkflowDefinition, workflow_id: int | None) -> None:
    criteria_clause(conn, definition)
    for name in definition.list_names:
        if list_id(conn, name) is None:
            raise WorkflowError(N_("no static list named {name}"), name=repr(name))
    same = select(workflows.c.id).where(func.lower(workflows.c.name) == definition.name.lower())
    if workflow_id is not None:
        same = same.where(workflows.c.id != workflow_id)
    if conn.execute(same).first() is not None:
        raise WorkflowError(N_("a workflow named {name} already exists"), name=repr(definition.name))


def _stored(definition: WorkflowDefinition) -> dict[str, Any]:
    data = definition.as_dict()
    return {
        "name": definition.name,
        "criteria": json.dumps(data["criteria"]),
        "actions": json.dumps(data["actions"]),
        "reenroll": definition.reenroll,
    }


def create_workflow(
    engine: Engine, *, definition: WorkflowDefinition | dict[str, Any], today: date, actor: str
) -> Workflow:
    """Save a new workflow, disabled: enabling it is a separate step with a dry run."""
    definition = definition if isinstance(definition, WorkflowDefinition) else parse_definition(definition)
    with _changing(engine, actor, today) as unit:
        conn, now = unit.conn, unit.now
        require_edition(conn)
        _check(conn, definition, None)
        values = _stored(definition) | {"enabled": False, "created_at": now, "created_by": actor}
        new_id = conn.execute(
            insert(workflows).values(**values, updated_at=now, updated_by=actor).returning(workflows.c.id)
        ).scalar_one()
        _audit(unit, "workflow_created", workflow_id=int(new_id), name=definition.name)
        return load_workflow(conn, int(new_id))


def dry_run(
    engine: Engine, *, today: date, workflow_id: int | None = None, definition: WorkflowDefinition | None = None
) -> WorkflowDryRun:
    """How many contacts would enroll now and how the marketing count and billed tier would change."""
    with db.read(engine) as conn:
        if definition is None:
            if workflow_id is None:
                raise DomainError(N_("give a workflow or a definition to dry-run"))
            definition = load_workflow(conn, workflow_id).definition
        return dry_run_in(conn, definition, workflow_id=workflow_id, today=today)


def _audit(unit: Unit, kind: str, *, workflow_id: int, name: str | None) -> None:
    """Record who created, changed, enabled, disabled or deleted a workflow (the audit trail)."""
    op = unit.start(kind, by=unit.by.via("workflow", str(workflow_id)))
    unit.finish(op, {"name": name} if name else {})


def _changing(engine: Engine, actor: str, today: date, workflow_id: int | None = None) -> Any:
    """A unit of work on workflows: managing them needs the role's right (no update dates are applied)."""
    by = Requester(actor, "workflow", None if workflow_id is None else str(workflow_id))
    return changing(engine, by=by, today=today, needs=Action.MANAGE_WORKFLOWS, catch_up_first=False)


def _authorize_enable(unit: Unit, definition: WorkflowDefinition, workflow_id: int) -> None:
    """A workflow that changes status, or feeds an enabled one through a static list (docs/domain.md §6), acts
    for whoever enables it: they need Marketing contact access."""
    others = [w.definition for w in enabled_workflows(unit.conn) if w.id != workflow_id]
    if len(others) in reaching_status([*others, definition]):
        unit.require(Action.CHANGE_STATUS)


def update_workflow(
    engine: Engine,
    workflow_id: int,
    *,
    definition: WorkflowDefinition | dict[str, Any],
    today: date,
    actor: str,
    allow_tier_upgrade: bool = False,
    confirmed: Confirmed | None = None,
) -> Workflow:
    """Edit a workflow; editing an enabled one that would raise the billed tier needs consent again.
    ``confirmed``: the dry run's figures the person agreed to (checked even on a disabled workflow)."""
    definition = definition if isinstance(definition, WorkflowDefinition) else parse_definition(definition)
    with _changing(engine, actor, today, workflow_id) as unit:
        conn, now = unit.conn, unit.now
        require_edition(conn)
        current = load_workflow(conn, workflow_id)
        _check(conn, definition, workflow_id)
        values = _stored(definition)
        if current.enabled:
            _authorize_enable(unit, definition, workflow_id)
        if current.enabled or confirmed is not None:
            dry = dry_run_in(conn, definition, workflow_id=workflow_id, today=today)
            consented = current.max_tier or dry.tier_limit_before
            hold_consent(dry, workflow_id, allow_tier_upgrade or dry.tier_limit_after <= consented, confirmed)
            if current.enabled:
                values["max_tier"] = max(consented, dry.tier_limit_after)
        conn.execute(
            update(workflows)
            .where(workflows.c.id == workflow_id)
            .values(**values, revision=workflows.c.revision + 1, updated_at=now, updated_by=actor, blocked=None)
        )
        # Enrollments past the new last action have nothing left to do.
        e = workflow_enrollments
        conn.execute(
            update(e)
            .where(
                e.c.workflow_id == workflow_id, e.c.state.in_(OPEN_STATES), e.c.next_action >= len(definition.actions)
            )
            .values(state=COMPLETED, finished_at=now)
        )
        _audit(unit, "workflow_updated", workflow_id=workflow_id, name=definition.name)
        return load_workflow(conn, workflow_id)


def enable_workflow(
    engine: Engine,
    workflow_id: int,
    *,
    today: date,
    actor: str,
    allow_tier_upgrade: bool = False,
    confirmed: Confirmed | None = None,
) -> WorkflowDryRun:
    """Enable after a dry run; if it would raise the billed tier, only with explicit consent (exit 3 otherwise).
    ``confirmed``: the dry run's ``figures`` the person agreed to; if they would now differ, nothing is written."""
    with _changing(engine, actor, today, workflow_id) as unit:
        conn, now = unit.conn, unit.now
        current = load_workflow(conn, workflow_id)
        _authorize_enable(unit, current.definition, workflow_id)
        require_edition(conn)
        _check(conn, current.definition, workflow_id)
        dry = dry_run_in(conn, current.definition, workflow_id=workflow_id, today=today)
        hold_consent(dry, workflow_id, allow_tier_upgrade, confirmed)
        conn.execute(
            update(workflows)
            .where(workflows.c.id == workflow_id)
            .values(enabled=True, enabled_at=now, enabled_by=actor, max_tier=dry.tier_limit_after, blocked=None)
        )
        _audit(unit, "workflow_enabled", workflow_id=workflow_id, name=current.name)
        return dry


def disable_workflow(engine: Engine, workflow_id: int, *, today: date, actor: str) -> Workflow:
    """Disable: nobody new enrolls and waiting enrollments pause until it is enabled again."""
    with _changing(engine, actor, today, workflow_id) as unit:
        conn, now = unit.conn, unit.now
        load_workflow(conn, workflow_id)
        conn.execute(
            update(workflows)
            .where(workflows.c.id == workflow_id)
            .values(enabled=False, updated_at=now, updated_by=actor)
        )
        _audit(unit, "workflow_disabled", workflow_id=workflow_id, name=None)
        return load_workflow(conn, workflow_id)


def delete_workflow(engine: Engine, workflow_id: int, *, today: date, actor: str) -> int:
    """Delete a workflow and its enrollments and log; the status events it recorded stay (the audit trail)."""
    with _changing(engine, actor, today, workflow_id) as unit:
        conn = unit.conn
        name = load_workflow(conn, workflow_id).name
        _audit(unit, "workflow_deleted", workflow_id=workflow_id, name=name)
        return int(conn.execute(delete(workflows).where(workflows.c.id == workflow_id)).rowcount)


def static_list_names(engine: Engine) -> list[str]:
    """The static lists a workflow may name (criteria and list actions), by name."""
    with db.read(engine) as conn:
        return list(conn.execute(select(static_lists.c.name).order_by(static_lists.c.name)).scalars())


def unavailable_reason(engine: Engine, t: Translator = ENGLISH) -> str | None:
    """Why this account may not create or enable workflows (Starter), or None when it may (in ``t``'s language)."""
    with db.read(engine) as conn:
        try:
            require_edition(conn)
        except DomainError as exc:
            return message_text(exc, t)
    return None
