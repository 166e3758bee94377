"""The unit of work of every change (docs/architecture.md): one transaction that authorizes once, loads the
account once, checks the day it acts on (docs/domain.md §10), knows ``now`` in the account's time zone, applies
the update dates that have come, and records each operation for the audit.

    with changing(engine, by=Requester(actor, "bulk_action"), today=today, needs=Action.CHANGE_STATUS) as unit:
        op = unit.start("set_status")
        unit.move(where, MarketingStatus.NON_MARKETING, operation_id=op)
        unit.finish(op, summary)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine

from core.clock import deployment_today, moment, now_in
from core.errors import DayRefused, PermissionDenied
from core.rules import acting_day
from core.rules.calendar import next_update_date
from core.rules.requester import Requester
from core.rules.roles import Action, refusal
from core.rules.status import Outcome, Request
from core.services.update_dates import UpdateResult, catch_up
from core.store import engine as db
from core.store import states
from core.store.access import Person, authorize
from core.store.account import Account, load_account, mark_acted_on
from core.store.events import finish_operation, start_operation


@dataclass
class Unit:
    """An open change: its connection, who asks, the day acted on and the account as of now."""

    conn: Connection
    by: Requester
    today: date
    now: datetime
    account: Account
    person: Person | None  # None: local mode or the application itself (no grant to check)
    caught_up: UpdateResult

    @property
    def next_update(self) -> date:
        """The next update date seen today: the day a contact set non-marketing now leaves on."""
        return next_update_date(self.account.commitment, self.account.start_date, self.today)

    def require(self, action: Action) -> None:
        """Refuse ``action`` when the person acting may not perform it (checked on the person loaded once)."""
        if self.person is not None and (
            reason := refusal(self.person.username, self.person.role, self.person.marketing_access, action)
        ):
            raise PermissionDenied(reason)

    def start(self, kind: str, *, by: Requester | None = None) -> int:
        """Record an operation (who, through what, the real time, the day acted on); its events and summary point
        at it."""
        return start_operation(self.conn, kind=kind, at=now_in(self.account.timezone), on=self.today, by=by or self.by)

    def finish(self, operation_id: int, summary: dict[str, Any]) -> None:
        finish_operation(self.conn, operation_id, summary)

    def move(
        self, where: ColumnElement[bool], request: Request, *, operation_id: int, by: Requester | None = None
    ) -> dict[Outcome, int]:
        """Apply a status request to the contacts matching ``where`` (the transition table, set-based)."""
        return states.apply(
            self.conn,
            where=where,
            request=request,
            day=self.today,
            at=self.now,
            by=by or self.by,
            operation_id=operation_id,
            effective_on=self.next_update,
        )

    def reload(self) -> Account:
        """Read the account again after a change to it (billed tier, settings)."""
        self.account = load_account(self.conn)
        return self.account


def check_day(acct: Account, *, person: Person | None, today: date) -> None:
    """Refuse a change on ``today`` (docs/domain.md §10): never a day after the deployment's today, never one before
    the last day a change acted on, and another day than today only for an admin. ``person`` None: local mode or
    the application itself (a workflow acts on the day its run was started for, checked when it started)."""
    deployment = deployment_today(acct.timezone)
    last = max(acct.last_acted_on, acct.updates_applied_through)  # catch_up moves both; max() guards hand edits
    if reason := acting_day.refusal(today, today=deployment, last_acted_on=last):
        raise DayRefused(reason)
    if person is not None and (
        reason := acting_day.other_day_refusal(today, today=deployment, username=person.username, role=person.role)
    ):
        raise PermissionDenied(reason)


def act_on(conn: Connection, acct: Account, *, person: Person | None, today: date) -> Account:
    """Check the day (``check_day``) and remember it as the last day acted on; the account as it is then."""
    check_day(acct, person=person, today=today)
    return mark_acted_on(conn, acct, today)


def open_unit(
    conn: Connection, *, by: Requester, today: date, needs: tuple[Action, ...] = (), catch_up_first: bool = True
) -> Unit:
    """Start a change on an open write transaction: authorize, load the account, check the day acted on, catch up
    due update dates."""
    person = authorize(conn, by.actor, *needs)
    acct = act_on(conn, load_account(conn), person=person, today=today)
    now = moment(today, acct.timezone)
    caught = UpdateResult()
    if catch_up_first:
        caught, acct = catch_up(conn, acct, today=today, now=now)
    return Unit(conn, by, today, now, acct, person, caught)


@contextmanager
def changing(
    engine: Engine,
    *,
    by: Requester,
    today: date,
    needs: Action | tuple[Action, ...] = (),
    catch_up_first: bool = True,
) -> Iterator[Unit]:
    """One change, all or nothing: a write transaction with the unit of work opened on it."""
    wanted = (needs,) if isinstance(needs, Action) else needs
    with db.write(engine) as conn:
        yield open_unit(conn, by=by, today=today, needs=wanted, catch_up_first=catch_up_first)
