"""Running workflows (docs/domain.md §6.3): enroll set-based, then apply each action batch by batch, exactly once.

Each batch of enrollments at action k is one transaction: the status change (docs/domain.md §2, the
workflow recorded as the source), its action-run rows and the enrollments' advance commit together
or not at all. A killed run leaves whole batches done; the next run continues where it stopped.
Transient faults (store busy or locked, PostgreSQL lock / serialization / deadlock errors, a
dependency that is rate limited) are retried with exponential backoff and jitter until they succeed.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from typing import Any
from uuid import uuid4

from sqlalchemy import Connection, Engine, func, select, update

from core.clock import moment
from core.errors import TierUpgradeRequired
from core.i18n import ENGLISH, N_, Translator
from core.rules.requester import Requester
from core.rules.status import Outcome, adds_billing
from core.rules.workflows import ENROLL_LABEL, ActionType, Backoff, WorkflowAction, WorkflowError, reword
from core.services.status import change_status
from core.services.unit import act_on, check_day, open_unit
from core.services.update_dates import catch_up
from core.services.workflows.attempts import Attempts, BatchInfo, Blocked, Changed, Dependency, RunResult, Step
from core.services.workflows.definitions import Workflow, criteria_clause, enabled_workflows, require_edition
from core.store import engine as db
from core.store.access import Action, authorize
from core.store.account import load_account
from core.store.schema import RETRYING, contacts, workflow_enrollments, workflows
from core.store.workflows.connections import work_engine
from core.store.workflows.runs import finish_run, start_run
from core.store.workflows.steps import (
    Batch,
    advance,
    apply_list_action,
    enroll,
    fail_batch,
    fail_deleted,
    list_id,
    next_batch,
    rearm,
    record_outcomes,
)

DEFAULT_BATCH_SIZE = 10_000
DEFAULT_BUSY_TIMEOUT_MS = 5_000
DEFAULT_LOCK_TIMEOUT_MS = 5_000
MAX_LABEL = 300
# What a run says, kept in English where it is stored (the workflow's ``blocked``, the log, the JSON); ``said``
# shows it in another language.
BLOCKED = N_(
    "Stopped before raising the billed tier to {after} contacts ({consented} consented when the workflow was "
    "enabled). Review the dry run and enable it again to consent."
)
BLOCKED_WITHOUT_CONSENT = N_(
    "Stopped before raising the billed tier to {after} contacts (no consented when the workflow was enabled). "
    "Review the dry run and enable it again to consent."
)
STOPPED = N_("deadline reached while retrying: {error}")


def said(stored: str, t: Translator = ENGLISH) -> str:
    """A run's message as stored (why a workflow was blocked, why a run stopped) in ``t``'s language."""
    return reword(stored, (BLOCKED_WITHOUT_CONSENT, BLOCKED, STOPPED), t, numbers=("after", "consented"))


CHANGES = ("changed", "scheduled", "undone", "added", "removed")  # outcomes that changed a contact


class _Runner:
    def __init__(self, work: Engine, attempts: Attempts, *, today: date, actor: str, tz: str, **options: Any) -> None:
        self.work, self.attempts, self.today, self.actor, self.tz = work, attempts, today, actor, tz
        self.batch_size: int = options["batch_size"]
        self.pause: float = options["pause"]
        self.sleep: Callable[[float], None] = options["sleep"]
        self.dependency: Dependency | None = options["dependency"]
        self.result = RunResult(attempts.run_key)

    def now(self) -> datetime:
        return moment(self.today, self.tz)

    def _recheck(self, conn: Connection, wf: Workflow) -> int | None:
        """Inside the transaction: still enabled and unedited, and may the run still act on its day (another change
        may have acted on a later one meanwhile)? Returns the consented tier."""
        authorize(conn, self.actor, Action.MANAGE_WORKFLOWS)
        act_on(conn, load_account(conn), person=None, today=self.today)  # the workflow acts on the run's day
        row = conn.execute(
            select(workflows.c.enabled, workflows.c.revision, workflows.c.max_tier).where(workflows.c.id == wf.id)
        ).first()
        if row is None or not row.enabled or row.revision != wf.revision:
            raise Changed()
        return row.max_tier

    def _catch_up(self, conn: Connection, now: datetime) -> None:
        """Apply update dates that have come first: criteria and outcomes read the stored state."""
        acct = load_account(conn)
        if acct.updates_applied_through < self.today:
            catch_up(conn, acct, today=self.today, now=now)

    def _enroll(self, conn: Connection, _attempt_id: int, *, wf: Workflow) -> dict[str, int]:
        self._recheck(conn, wf)
        self._catch_up(conn, self.now())
        criteria = criteria_clause(conn, wf.definition)
        if wf.definition.reenroll:
            rearm(conn, workflow_id=wf.id, criteria=criteria)
        n = enroll(conn, workflow_id=wf.id, criteria=criteria, reenroll=wf.definition.reenroll, now=self.now())
        return {"enrolled": n, "logged": n}

    def _status(
        self, conn: Connection, wf: Workflow, batch: Batch, action: WorkflowAction, allowed: int | None
    ) -> dict[str, int]:
        """The batch's contacts get the action's status, as the transition table says for each one's state. The
        workflow acts; who enabled it was checked for Marketing contact access then (and the tier consented)."""
        assert action.to is not None
        by = Requester(f"workflow:{wf.id}", "workflow", str(wf.id))
        unit = open_unit(conn, by=by, today=self.today, needs=(Action.CHANGE_STATUS,), catch_up_first=False)
        clause = contacts.c.id.in_(batch.contact_ids())
        if not adds_billing(action.to):  # the tier cannot rise: no count or tier check per batch
            op = unit.start("set_status")
            moved = unit.move(clause, action.to, operation_id=op)
            summary = {"to": action.to.option, **{o.value: n for o, n in moved.items()}}
            if moved.get(Outcome.SCHEDULED):
                summary["effective_on"] = unit.next_update.isoformat()
            unit.finish(op, summary | {"workflow_id": batch.workflow_id, "action_index": batch.action_index})
            return {o.value: n for o, n in moved.items()}
        try:
            done = change_status(unit, clause=clause, to=action.to)
        except TierUpgradeRequired as exc:
            after = int(exc.payload["tier_limit_after"])
            if allowed is None or after > allowed:
                message = ENGLISH(BLOCKED, after=after, consented=allowed) if allowed else None
                raise Blocked(message or ENGLISH(BLOCKED_WITHOUT_CONSENT, after=after)) from exc
            done = change_status(unit, clause=clause, to=action.to, allow_tier_upgrade=True)
        return {"changed": done.changed, "undone": done.undone}

    def _apply(self, conn: Connection, attempt_id: int, *, wf: Workflow, batch: Batch) -> dict[str, int]:
        allowed = self._recheck(conn, wf)
        action = wf.definition.actions[batch.action_index]
        now = self.now()
        self._catch_up(conn, now)
        if self.dependency is not None:
            self.dependency(BatchInfo(wf.id, batch.action_index, action, batch.first, batch.last, batch.size))
        failed = fail_deleted(conn, batch, attempt_id=attempt_id, now=now)
        lid = list_id(conn, action.list) if action.list is not None else None
        if action.list is not None and lid is None:
            raise WorkflowError(N_("no static list named {name}"), name=repr(action.list))
        applied = record_outcomes(conn, batch, action, list_id=lid, attempt_id=attempt_id, now=now)
        if action.type == ActionType.SET_MARKETING_STATUS:
            counts = self._status(conn, wf, batch, action, allowed)
        else:
            assert lid is not None
            verb = "added" if action.type == ActionType.ADD_TO_LIST else "removed"
            counts = {verb: apply_list_action(conn, batch, action, list_id=lid, now=now)}
        counts["unchanged"] = applied - sum(counts.values())
        last = batch.action_index + 1 == len(wf.definition.actions)
        moved = advance(conn, batch, actions=len(wf.definition.actions), now=now)
        done = applied + failed
        return counts | {"applied": done, "logged": done, "failed": failed, "completed": moved if last else 0}

    def _fail(self, conn: Connection, attempt_id: int, error: str, *, batch: Batch) -> dict[str, int]:
        n = fail_batch(conn, batch, attempt_id=attempt_id, now=self.now(), error=error)
        return {"failed": n}

    def _add(self, summary: dict[str, Any], counts: dict[str, int]) -> None:
        r = self.result
        for key in ("enrolled", "completed", "failed", "applied"):
            setattr(r, key, getattr(r, key) + counts.get(key, 0))
            summary[key] = summary.get(key, 0) + counts.get(key, 0)
        for key in ("changed", "scheduled", "undone", "unchanged", "added", "removed"):
            if counts.get(key):
                r.outcomes[key] = r.outcomes.get(key, 0) + counts[key]
        moved, already = sum(counts.get(k, 0) for k in CHANGES), counts.get("unchanged", 0)
        r.contacts_changed += moved
        r.already_in_that_state += already
        summary["contacts_changed"] = summary.get("contacts_changed", 0) + moved
        summary["already_in_that_state"] = summary.get("already_in_that_state", 0) + already

    def _stop(self, wf: Workflow, status: str, error: str | None) -> None:
        if status == "blocked":
            self.result.blocked.append({"workflow_id": wf.id, "name": wf.name, "reason": error})
            message = error

            def note(conn: Connection) -> dict[str, int]:
                conn.execute(update(workflows).where(workflows.c.id == wf.id).values(blocked=message))
                return {}

            self.attempts.settle(note)
        elif status == "stopped":
            self.result.stopped = ENGLISH(STOPPED, error=error)

    def workflow(self, wf: Workflow) -> None:
        summary: dict[str, Any] = {"id": wf.id, "name": wf.name}
        self.result.workflows.append(summary)
        try:
            self._workflow(wf, summary)
        except Changed:
            summary["changed"] = True

    def _workflow(self, wf: Workflow, summary: dict[str, Any]) -> None:
        outcome = self.attempts.run(Step(wf.id, None, ENROLL_LABEL), partial(self._enroll, wf=wf))
        if outcome.status != "ok":
            return self._stop(wf, "blocked" if outcome.status == "failed" else outcome.status, outcome.error)
        self._add(summary, outcome.counts)
        for k, action in enumerate(wf.definition.actions):
            label = f"{k + 1}. {action.describe()}"[:MAX_LABEL]
            after = 0
            while (batch := self._read(wf.id, k, after)) is not None:
                step = Step(wf.id, k, label, batch)
                outcome = self.attempts.run(
                    step, partial(self._apply, wf=wf, batch=batch), partial(self._fail, batch=batch)
                )
                if outcome.status in ("blocked", "stopped"):
                    return self._stop(wf, outcome.status, outcome.error)
                self._add(summary, outcome.counts)
                after = batch.last
                if self.pause:
                    self.sleep(self.pause)
        return None

    def _read(self, workflow_id: int, action_index: int, after: int) -> Batch | None:
        return self.attempts.read(
            partial(next_batch, workflow_id=workflow_id, action_index=action_index, after=after, size=self.batch_size)
        )


def _retrying(conn: Connection, workflow_ids: list[int]) -> int:
    e = workflow_enrollments
    query = select(func.count()).where(e.c.state == RETRYING, e.c.workflow_id.in_(workflow_ids))
    return int(conn.execute(query).scalar_one())


def run(
    engine: Engine,
    today: date,
    *,
    actor: str,
    workflow_ids: list[int] | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    pause: float = 0.0,
    deadline: float | None = None,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    lock_timeout_ms: int = DEFAULT_LOCK_TIMEOUT_MS,
    dependency: Dependency | None = None,
    backoff: Backoff | None = None,
    rng: random.Random | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> RunResult:
    """Enroll the matching contacts of every enabled workflow, then apply their actions in order, each once.

    Transient faults are retried until they succeed; with ``deadline`` (seconds) the run stops retrying
    after that long and leaves the rest, shown as retrying, to the next run.
    """
    if batch_size < 1:
        raise WorkflowError(N_("the batch size must be at least 1"))
    started = time.perf_counter()
    with db.read(engine) as conn:
        person = authorize(conn, actor, Action.MANAGE_WORKFLOWS)
        require_edition(conn)
        acct = load_account(conn)
        check_day(acct, person=person, today=today)  # the person starting the run: their day (docs/domain.md §10)
        tz = acct.timezone
        flows = enabled_workflows(conn, workflow_ids)
    work = work_engine(engine, busy_timeout_ms=busy_timeout_ms, lock_timeout_ms=lock_timeout_ms)
    try:
        attempts = Attempts(
            work,
            run_key=uuid4().hex,
            actor=actor,
            now=lambda: moment(today, tz),
            backoff=backoff or Backoff(),
            rng=rng or random.Random(),
            sleep=sleep,
            deadline_at=started + deadline if deadline is not None else None,
        )
        runner = _Runner(
            work,
            attempts,
            today=today,
            actor=actor,
            tz=tz,
            batch_size=batch_size,
            pause=pause,
            sleep=sleep,
            dependency=dependency,
        )
        began = runner.now()
        attempts.settle(lambda conn: {"id": start_run(conn, run_key=attempts.run_key, started_at=began, actor=actor)})
        for wf in flows:
            if runner.result.stopped:
                break
            runner.workflow(wf)
        result = runner.result
        result.attempts, result.transient_errors = attempts.attempts, attempts.transient
        result.permanent_errors = attempts.permanent
        if result.stopped or result.blocked or attempts.transient:  # else every open enrollment went through
            result.retrying = attempts.read(partial(_retrying, workflow_ids=[wf.id for wf in flows]))
        result.seconds = round(time.perf_counter() - started, 3)
        attempts.settle(partial(finish_run, result=result, finished_at=runner.now()))
        return result
    finally:
        if work is not engine:
            work.dispose()


__all__ = ["BatchInfo", "Dependency", "RunResult", "run"]
