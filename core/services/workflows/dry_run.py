"""The dry run of a workflow: who would enroll now and what its actions would do to counts and the tier."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, or_

from core.errors import TierUpgradeRequired
from core.rules import tiers
from core.rules.calendar import next_update_date
from core.rules.confirmation import Confirmed, Figures, hold_to
from core.rules.filters import FilterError
from core.rules.money import MoneyEffect
from core.rules.status import State
from core.rules.workflows import CRITERIA_REFUSED, WorkflowDefinition, WorkflowError, project
from core.services.money import money_effect_in
from core.services.usage import tier_on
from core.store.account import load_account
from core.store.counts import counts_on, state_breakdown
from core.store.filters import filter_clause
from core.store.workflows.steps import enrollable, waiting_contacts, waiting_count


@dataclass(frozen=True)
class WorkflowDryRun:
    """What enabling (running) a workflow now would do, written nowhere."""

    would_enroll: int
    waiting: int  # enrollments already waiting for their next action
    enrolling_states: dict[str, int]  # marketing / pending / non_marketing among those who would enroll
    billed_now: int
    scheduled: int
    undone: int
    marketing_before: int
    marketing_after: int
    next_update_date: date
    marketing_next_update_before: int
    marketing_next_update_after: int
    tier_limit_before: int
    tier_limit_after: int
    monthly_price_before: int
    monthly_price_after: int
    currency: str
    money: MoneyEffect | None = None  # the price now, from the next update date and from renewal (§4)

    @property
    def tier_goes_up(self) -> bool:
        return self.tier_limit_after > self.tier_limit_before

    @property
    def figures(self) -> Figures:
        """What enabling on this dry run confirms: who would enroll now, the billed tier and price after."""
        return Figures(self.would_enroll, self.tier_limit_after, self.monthly_price_after, self.tier_limit_before)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["money"] = self.money.as_json() if self.money else None
        data["next_update_date"] = self.next_update_date.isoformat()
        data["tier_goes_up"] = self.tier_goes_up
        return data


def criteria_clause(conn: Connection, definition: WorkflowDefinition) -> ColumnElement[bool]:
    """The enrollment criteria as SQL; a list that does not exist is a user error."""
    try:
        return filter_clause(conn, definition.criteria)
    except FilterError as exc:
        raise WorkflowError(CRITERIA_REFUSED, error=exc) from None


def dry_run_in(
    conn: Connection, definition: WorkflowDefinition, *, workflow_id: int | None, today: date
) -> WorkflowDryRun:
    """Inside a unit of work: who would enroll now, and what the actions would do to counts and tier."""
    acct = load_account(conn)
    acct = replace(acct, billed_tier=tier_on(conn, acct, today))
    new = enrollable(
        workflow_id=workflow_id or 0, criteria=criteria_clause(conn, definition), reenroll=definition.reenroll
    )
    waiting = waiting_count(conn, workflow_id) if workflow_id else 0
    # Contacts already enrolled and waiting count as if they went through every action (the engine also
    # stops at a tier beyond the consent, whatever this estimate says).
    states = state_breakdown(conn, or_(new, waiting_contacts(workflow_id or 0)) if waiting else new, today)
    would_enroll = sum(state_breakdown(conn, new, today).values()) if waiting else sum(states.values())
    p = project({State(k): v for k, v in states.items()}, definition.actions)
    before = counts_on(conn, today).marketing
    update_day = next_update_date(acct.commitment, acct.start_date, today)
    next_before = counts_on(conn, update_day).marketing
    after = before + p.billed_now
    tier_after = tiers.tier_after_change(acct.pricing, acct.billed_tier, after)
    next_after = next_before + p.final[State.MARKETING] - states["marketing"]
    money = money_effect_in(conn, acct, today=today, now_delta=p.billed_now, update_delta=next_after - next_before)
    return WorkflowDryRun(
        would_enroll=would_enroll,
        waiting=waiting,
        enrolling_states=states,
        billed_now=p.billed_now,
        scheduled=p.scheduled,
        undone=p.undone,
        marketing_before=before,
        marketing_after=after,
        next_update_date=update_day,
        marketing_next_update_before=next_before,
        marketing_next_update_after=next_after,
        tier_limit_before=acct.billed_tier,
        tier_limit_after=tier_after,
        monthly_price_before=acct.pricing.monthly_price(acct.billed_tier),
        monthly_price_after=acct.pricing.monthly_price(tier_after),
        currency=acct.currency,
        money=money,
    )


def hold_consent(dry: WorkflowDryRun, workflow_id: int, allowed: bool, confirmed: Confirmed | None) -> None:
    """Hold enabling (or editing) to the dry run that was confirmed (docs/domain.md §10), then refuse a tier rise
    nobody consented to; a confirmed tier is the consent to exactly that tier."""
    payload = dry.as_json() | {"workflow_id": workflow_id}
    hold_to(confirmed, dry.figures, payload=payload, currency=dry.currency, verb="enroll")
    if dry.tier_goes_up and not (allowed or (confirmed is not None and confirmed.consents_to(dry.tier_limit_after))):
        raise TierUpgradeRequired(payload)
