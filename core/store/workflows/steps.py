"""The engine's set-based statements: enroll, pick a batch, record outcomes, apply list actions, advance.

A batch is "enrollments of workflow w waiting at action k with first <= id <= last"; every statement
of a batch re-checks that condition inside its transaction, so a batch another engine already did
matches no row any more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    case,
    delete,
    exists,
    false,
    func,
    insert,
    literal,
    select,
    text,
    update,
)

from core.i18n import N_
from core.rules.workflows import ActionType, WorkflowAction
from core.store import states
from core.store.schema import (
    ACTIVE,
    COMPLETED,
    FAILED,
    OPEN_SQL,
    OPEN_STATES,
    RETRYING,
    contacts,
    list_members,
    static_lists,
    workflow_action_runs,
    workflow_enrollments,
)

E = workflow_enrollments
RUNS = workflow_action_runs
CONTACT_DELETED = N_("the contact was deleted")  # stored English; the run log translates it where shown
OPEN = text(OPEN_SQL)  # written as in the partial index, so that the database can use it


def _unindexed(column: Any) -> Any:
    """``column + 0``: keeps SQLite from scanning a workflow's enrollments by the (workflow, contact) index
    when the id range (the primary key) is the selective part."""
    return column + 0


@dataclass(frozen=True)
class Batch:
    workflow_id: int
    action_index: int
    first: int
    last: int
    size: int

    def clause(self) -> ColumnElement[bool]:
        return and_(
            _unindexed(E.c.workflow_id) == self.workflow_id,
            E.c.next_action == self.action_index,
            E.c.state.in_(OPEN_STATES),
            E.c.id.between(self.first, self.last),
        )

    def contact_ids(self) -> Any:
        return select(E.c.contact_id).where(self.clause())


def rearm(conn: Connection, *, workflow_id: int, criteria: ColumnElement[bool]) -> int:
    """Re-enrollment: finished enrollments whose contact no longer matches may enroll again later."""
    rows = states.rows_for(criteria)
    still_matches = select(contacts.c.id).select_from(rows).where(contacts.c.id == E.c.contact_id, criteria).exists()
    result = conn.execute(
        update(E)
        .where(E.c.workflow_id == workflow_id, E.c.rearmed.is_(False), E.c.state.in_((COMPLETED, FAILED)))
        .where(~still_matches)
        .values(rearmed=True)
    )
    return int(result.rowcount)


def enrollable(*, workflow_id: int, criteria: ColumnElement[bool], reenroll: bool) -> ColumnElement[bool]:
    """Contacts that match and are not enrolled yet (re-enrollment: not since they last left the criteria)."""
    mine = and_(E.c.workflow_id == workflow_id, E.c.contact_id == contacts.c.id)
    blocking = exists().where(mine, E.c.rearmed.is_(False)) if reenroll else exists().where(mine)
    return and_(criteria, ~blocking)


def enroll(conn: Connection, *, workflow_id: int, criteria: ColumnElement[bool], reenroll: bool, now: datetime) -> int:
    """Enroll every enrollable contact in one INSERT ... SELECT, in contact id order."""
    mine = and_(E.c.workflow_id == workflow_id, E.c.contact_id == contacts.c.id)
    seq: Any = select(func.coalesce(func.max(E.c.seq), 0) + 1).where(mine).scalar_subquery() if reenroll else literal(1)
    rows = (
        select(contacts.c.id, literal(workflow_id), seq, literal(now), literal(0), literal(ACTIVE), false())
        .select_from(states.rows_for(criteria))
        .where(enrollable(workflow_id=workflow_id, criteria=criteria, reenroll=reenroll))
        .order_by(contacts.c.id)
    )
    columns = ["contact_id", "workflow_id", "seq", "enrolled_at", "next_action", "state", "rearmed"]
    return int(conn.execute(insert(E).from_select(columns, rows)).rowcount)


def next_batch(conn: Connection, *, workflow_id: int, action_index: int, after: int, size: int) -> Batch | None:
    """The next ``size`` enrollments waiting at this action, in id order after ``after``."""
    ids = (
        select(E.c.id)
        .where(E.c.workflow_id == workflow_id, E.c.next_action == action_index, OPEN, E.c.id > after)
        .order_by(E.c.id)
        .limit(size)
        .subquery()
    )
    first, last, n = conn.execute(select(func.min(ids.c.id), func.max(ids.c.id), func.count()).select_from(ids)).one()
    return Batch(workflow_id, action_index, int(first), int(last), int(n)) if n else None


def fail_deleted(conn: Connection, batch: Batch, *, attempt_id: int, now: datetime) -> int:
    """Enrollments whose contact was deleted fail permanently (recorded); the rest of the batch goes on."""
    gone = and_(batch.clause(), ~exists().where(contacts.c.id == E.c.contact_id))
    return _fail(conn, batch, gone, attempt_id=attempt_id, now=now, error=CONTACT_DELETED)


def _fail(
    conn: Connection, batch: Batch, which: ColumnElement[bool], *, attempt_id: int, now: datetime, error: str
) -> int:
    """Record a permanent failure on each enrollment of the batch matching ``which``; they stop there."""
    rows = select(
        E.c.id,
        literal(batch.action_index),
        literal(batch.workflow_id),
        literal("failed"),
        literal(now),
        literal(attempt_id),
        literal(error),
    ).where(which)
    columns = ["enrollment_id", "action_index", "workflow_id", "outcome", "applied_at", "attempt_id", "error"]
    failed = int(conn.execute(insert(RUNS).from_select(columns, rows)).rowcount)
    if failed:
        conn.execute(update(E).where(which).values(state=FAILED, finished_at=now))
    return failed


def _outcome_expr(action: WorkflowAction, list_id: int | None) -> Any:
    """What the action will do to a contact in its current state (the transition table for status)."""
    if action.type == ActionType.SET_MARKETING_STATUS:
        assert action.to is not None
        return states.outcome_of(action.to)
    member = exists().where(list_members.c.contact_id == contacts.c.id, list_members.c.list_id == list_id)
    if action.type == ActionType.ADD_TO_LIST:
        return case((member, "unchanged"), else_="added")
    return case((member, "removed"), else_="unchanged")


def record_outcomes(
    conn: Connection, batch: Batch, action: WorkflowAction, *, list_id: int | None, attempt_id: int, now: datetime
) -> int:
    """One action-run row per enrollment of the batch (the exactly-once guard), with what it will do."""
    rows = (
        select(
            E.c.id,
            literal(batch.action_index),
            literal(batch.workflow_id),
            _outcome_expr(action, list_id),
            literal(now),
            literal(attempt_id),
        )
        .select_from(E.join(states.ROWS, contacts.c.id == E.c.contact_id))
        .where(batch.clause())
    )
    columns = ["enrollment_id", "action_index", "workflow_id", "outcome", "applied_at", "attempt_id"]
    return int(conn.execute(insert(RUNS).from_select(columns, rows)).rowcount)


def list_id(conn: Connection, name: str) -> int | None:
    """The id of the static list named ``name``, or None when there is none (a list action then fails)."""
    return conn.execute(select(static_lists.c.id).where(static_lists.c.name == name)).scalar()


def apply_list_action(conn: Connection, batch: Batch, action: WorkflowAction, *, list_id: int, now: datetime) -> int:
    """Add the batch's contacts to a static list (those not in it yet), or remove them from it."""
    if action.type == ActionType.ADD_TO_LIST:
        already = exists().where(list_members.c.list_id == list_id, list_members.c.contact_id == E.c.contact_id)
        rows = select(literal(list_id), E.c.contact_id, literal(now)).where(
            batch.clause(), ~already, exists().where(contacts.c.id == E.c.contact_id)
        )
        return int(conn.execute(insert(list_members).from_select(["list_id", "contact_id", "added_at"], rows)).rowcount)
    result = conn.execute(
        delete(list_members).where(
            list_members.c.list_id == list_id, list_members.c.contact_id.in_(batch.contact_ids())
        )
    )
    return int(result.rowcount)


def advance(conn: Connection, batch: Batch, *, actions: int, now: datetime) -> int:
    """Move the batch's enrollments to their next action, or complete them after the last one."""
    done = batch.action_index + 1 >= actions
    values: dict[str, Any] = {"next_action": batch.action_index + 1, "state": COMPLETED if done else ACTIVE}
    if done:
        values["finished_at"] = now
    return int(conn.execute(update(E).where(batch.clause()).values(**values)).rowcount)


def mark_retrying(conn: Connection, batch: Batch) -> None:
    """Show the batch's enrollments as retrying after a transient failure (they stay open)."""
    conn.execute(update(E).where(batch.clause(), E.c.state == ACTIVE).values(state=RETRYING))


def fail_batch(conn: Connection, batch: Batch, *, attempt_id: int, now: datetime, error: str) -> int:
    """A permanent error for the whole batch: record it on each enrollment, which stops there."""
    return _fail(conn, batch, batch.clause(), attempt_id=attempt_id, now=now, error=error)


def state_counts(conn: Connection, workflow_ids: list[int] | None = None) -> dict[int, dict[str, int]]:
    """Enrollments per workflow and state, counted in the database."""
    query = select(E.c.workflow_id, E.c.state, func.count()).group_by(E.c.workflow_id, E.c.state)
    if workflow_ids is not None:
        query = query.where(E.c.workflow_id.in_(workflow_ids) if workflow_ids else false())
    found: dict[int, dict[str, int]] = {}
    for wid, state, n in conn.execute(query).all():
        found.setdefault(int(wid), {})[str(state)] = int(n)
    return found


def waiting_contacts(workflow_id: int) -> ColumnElement[bool]:
    """Contacts with an enrollment of this workflow still waiting for an action."""
    return exists().where(E.c.workflow_id == workflow_id, E.c.contact_id == contacts.c.id, E.c.state.in_(OPEN_STATES))


def waiting_count(conn: Connection, workflow_id: int) -> int:
    """Enrollments of the workflow still waiting for an action (read through the partial index)."""
    query = select(func.count()).select_from(E).where(E.c.workflow_id == workflow_id, OPEN)
    return int(conn.execute(query).scalar_one())
