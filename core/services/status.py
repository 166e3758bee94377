"""Previewing and applying a status change for a selection (docs/domain.md §2), set-based, all or nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, and_, func, select

from core.errors import TierUpgradeRequired
from core.rules import tiers
from core.rules.calendar import next_update_date
from core.rules.confirmation import Confirmed, Figures, hold_to
from core.rules.money import MoneyEffect
from core.rules.requester import Requester
from core.rules.roles import Action
from core.rules.selection import Selection
from core.rules.status import MarketingStatus, Outcome, transition
from core.services.money import money_effect_in
from core.services.unit import Unit, changing
from core.services.usage import tier_on
from core.store import engine as db
from core.store import states
from core.store.account import Account, load_account, set_billed_tier
from core.store.counts import counts_on
from core.store.schema import contacts
from core.store.selection import where

Progress = Callable[[float, str], None]
BATCHES = 20  # a change reported as it goes moves its contacts in this many id ranges, in the same transaction


@dataclass(frozen=True)
class StatusChange:
    """The counts a confirmation dialog shows, and what the command line prints."""

    to: str
    selected: int
    changed: int  # non-marketing -> marketing now
    scheduled: int  # marketing -> pending until effective_on
    undone: int  # pending -> marketing
    unchanged: int  # "not included"
    effective_on: date | None
    tier_limit_before: int
    tier_limit_after: int
    marketing_before: int
    marketing_after: int
    monthly_price_before: int
    monthly_price_after: int
    dry_run: bool
    money: MoneyEffect | None = None  # the price now, from the next update date and from renewal (§4)

    @property
    def tier_goes_up(self) -> bool:
        return self.tier_limit_after > self.tier_limit_before

    @property
    def will_change(self) -> int:
        """How many contacts the request changes (the number typed to confirm an upgrade)."""
        return self.changed + self.scheduled + self.undone

    @property
    def figures(self) -> Figures:
        """What a confirmation of this change promises: the contacts that change, the tier and price after."""
        return Figures(self.will_change, self.tier_limit_after, self.monthly_price_after, self.tier_limit_before)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["money"] = self.money.as_json() if self.money else None
        data["effective_on"] = self.effective_on.isoformat() if self.effective_on else None
        data["will_change"] = self.will_change  # what --expect-changes compares
        data["tier_goes_up"] = self.tier_goes_up
        return data


def _preview(
    conn: Connection, acct: Account, clause: ColumnElement[bool], to: MarketingStatus, today: date, dry_run: bool
) -> StatusChange:
    """What the transition table does to the selected contacts in the states they are in today."""
    outcomes: Counter[Outcome] = Counter()
    newly_billed = 0
    for state, n in states.count_on(conn, clause, today).items():
        move = transition(state, to)
        outcomes[move.outcome] += n
        newly_billed += n if move.new.is_billed and not state.is_billed else 0
    before = counts_on(conn, today).marketing
    after = before + newly_billed
    tier_before = acct.billed_tier
    tier_after = tiers.tier_after_change(acct.pricing, tier_before, after)
    scheduled = outcomes[Outcome.SCHEDULED]
    stays = outcomes[Outcome.CHANGED] + outcomes[Outcome.UNDONE] - scheduled  # from the next update date on
    money = money_effect_in(conn, acct, today=today, now_delta=newly_billed, update_delta=stays)
    return StatusChange(
        to=to.option,
        selected=sum(outcomes.values()),
        changed=outcomes[Outcome.CHANGED],
        scheduled=scheduled,
        undone=outcomes[Outcome.UNDONE],
        unchanged=outcomes[Outcome.UNCHANGED],
        effective_on=next_update_date(acct.commitment, acct.start_date, today) if scheduled else None,
        tier_limit_before=tier_before,
        tier_limit_after=tier_after,
        marketing_before=before,
        marketing_after=after,
        monthly_price_before=acct.pricing.monthly_price(tier_before),
        monthly_price_after=acct.pricing.monthly_price(tier_after),
        dry_run=dry_run,
        money=money,
    )


def preview_status_change(engine: Engine, *, selection: Selection, to: MarketingStatus, today: date) -> StatusChange:
    """The counts a change would produce, written nowhere (set-status --dry-run, confirmation dialogs)."""
    with db.read(engine) as conn:
        acct = load_account(conn)
        acct = replace(acct, billed_tier=tier_on(conn, acct, today))  # renewals not yet applied count
        return _preview(conn, acct, where(conn, selection), to, today, dry_run=True)


def change_status(
    unit: Unit,
    *,
    clause: ColumnElement[bool],
    to: MarketingStatus,
    allow_tier_upgrade: bool = False,
    confirmed: Confirmed | None = None,
    progress: Progress | None = None,
) -> StatusChange:
    """Inside a unit of work: hold the change to what was confirmed (docs/domain.md §10), check the tier, then
    change every selected contact at once, with its events. A confirmed tier is the consent to that tier."""
    unit.require(Action.CHANGE_STATUS)
    change = _preview(unit.conn, unit.account, clause, to, unit.today, dry_run=False)
    hold_to(confirmed, change.figures, payload=change.as_json(), currency=unit.account.currency)
    if confirmed is not None and confirmed.consents_to(change.tier_limit_after):
        allow_tier_upgrade = True
    if change.tier_goes_up and not allow_tier_upgrade:
        raise TierUpgradeRequired(change.as_json())
    if change.will_change:
        op = unit.start("set_status")
        if progress is None:
            unit.move(clause, to, operation_id=op)
        else:
            _move_in_ranges(unit, clause, to, operation_id=op, progress=progress)
        unit.finish(op, change.as_json())
    if change.tier_goes_up:
        set_billed_tier(
            unit.conn,
            old=change.tier_limit_before,
            new=change.tier_limit_after,
            reason="upgrade",
            effective_on=unit.today,
            now=unit.now,
            marketing=change.marketing_after,
            actor=unit.by.actor,
        )
        unit.reload()
    return change


def _move_in_ranges(
    unit: Unit, clause: ColumnElement[bool], to: MarketingStatus, *, operation_id: int, progress: Progress
) -> None:
    """The same moves as one ``unit.move``, made over consecutive id ranges so that progress can be reported
    between them. Still one transaction: nobody sees a range before the last one commits with it (the ranges
    are disjoint, so each contact moves once, with its one event)."""
    low, high = unit.conn.execute(select(func.min(contacts.c.id), func.max(contacts.c.id)).where(clause)).one()
    if low is None:
        return
    step = max(1, (high - low + BATCHES) // BATCHES)
    for start in range(low, high + 1, step):
        end = min(start + step - 1, high)
        unit.move(and_(clause, contacts.c.id.between(start, end)), to, operation_id=operation_id)
        progress(0.1 + 0.85 * (end - low + 1) / (high - low + 1), f"contacts up to id {end:,} of {high:,}")


def set_status(
    engine: Engine,
    *,
    selection: Selection,
    to: MarketingStatus,
    today: date,
    actor: str,
    source_type: str = "bulk_action",
    source_id: str | None = None,
    allow_tier_upgrade: bool = False,
    confirmed: Confirmed | None = None,
    progress: Progress | None = None,
) -> StatusChange:
    """Set the selected contacts marketing (at once) or non-marketing (on the next update date).

    ``confirmed``: the figures the person confirmed (the preview's ``figures``); if the change would now differ,
    ``ConfirmationOutdated`` is raised with the new figures and nothing is written. ``allow_tier_upgrade`` is the
    command line's plain consent (``--allow-tier-upgrade``); the pages confirm the tier instead. ``progress``
    (a background job's reporter) is told how far the change got; it still commits all at once."""
    selection.check_for_change()
    by = Requester(actor, source_type, source_id)
    with changing(engine, by=by, today=today, needs=Action.CHANGE_STATUS) as unit:
        clause = where(unit.conn, selection)
        if progress:
            progress(0.05, "counting the selected contacts")
        return change_status(
            unit, clause=clause, to=to, allow_tier_upgrade=allow_tier_upgrade, confirmed=confirmed, progress=progress
        )
