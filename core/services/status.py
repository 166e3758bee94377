"""Previewing and applying a status change for a selection (DOMAIN.md §2), set-based, all or nothing."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, and_, case, or_, update

from core.clock import moment
from core.errors import TierUpgradeRequired
from core.rules import tiers
from core.rules.calendar import next_update_date
from core.rules.selection import Selection
from core.rules.status import MarketingStatus
from core.services.updates import catch_up
from core.services.usage import tier_on
from core.store import engine as db
from core.store.access import Action, authorize
from core.store.account import Account, load_account, set_billed_tier
from core.store.counts import counts_on, state_breakdown
from core.store.events import finish_operation, record_events, start_operation
from core.store.schema import contacts
from core.store.selection import where


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

    @property
    def tier_goes_up(self) -> bool:
        return self.tier_limit_after > self.tier_limit_before

    @property
    def will_change(self) -> int:
        """How many contacts the request changes (the number typed to confirm an upgrade)."""
        return self.changed + self.scheduled + self.undone

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["effective_on"] = self.effective_on.isoformat() if self.effective_on else None
        return data


def _preview(
    conn: Connection, acct: Account, clause: ColumnElement[bool], to: MarketingStatus, today: date, dry_run: bool
) -> StatusChange:
    states = state_breakdown(conn, clause, today)
    selected = sum(states.values())
    before = counts_on(conn, today).marketing
    if to == MarketingStatus.NON_MARKETING:
        changed, scheduled, undone = 0, states["marketing"], 0
    else:
        changed, scheduled, undone = states["non_marketing"], 0, states["pending"]
    after = before + changed
    tier_before = acct.billed_tier
    tier_after = tiers.tier_after_change(acct.pricing, tier_before, after)
    return StatusChange(
        to=to.value.replace("_", "-"),
        selected=selected,
        changed=changed,
        scheduled=scheduled,
        undone=undone,
        unchanged=selected - changed - scheduled - undone,
        effective_on=next_update_date(acct.commitment, acct.start_date, today) if scheduled else None,
        tier_limit_before=tier_before,
        tier_limit_after=tier_after,
        marketing_before=before,
        marketing_after=after,
        monthly_price_before=acct.pricing.monthly_price(tier_before),
        monthly_price_after=acct.pricing.monthly_price(tier_after),
        dry_run=dry_run,
    )


def preview_status_change(engine: Engine, *, selection: Selection, to: MarketingStatus, today: date) -> StatusChange:
    """The counts a change would produce, written nowhere (set-status --dry-run, confirmation dialogs)."""
    with db.read(engine) as conn:
        acct = load_account(conn)
        acct = replace(acct, billed_tier=tier_on(conn, acct, today))  # renewals not yet applied count
        return _preview(conn, acct, where(conn, selection), to, today, dry_run=True)


def _write_change(
    conn: Connection,
    clause: ColumnElement[bool],
    to: MarketingStatus,
    *,
    change: StatusChange,
    now: datetime,
    today: date,
    source_type: str,
    source_id: str | None,
    actor: str,
) -> None:
    op = start_operation(conn, kind="set_status", now=now, actor=actor, source_type=source_type, source_id=source_id)
    if to == MarketingStatus.NON_MARKETING:
        target = and_(clause, contacts.c.marketing_status == "marketing", contacts.c.pending_non_marketing.is_(False))
        record_events(
            conn,
            where=target,
            operation_id=op,
            old_state="marketing",
            new_state="pending",
            now=now,
            effective_on=change.effective_on,
            source_type=source_type,
            source_id=source_id,
            actor=actor,
        )
        values: dict[str, Any] = {"pending_non_marketing": True, "effective_on": change.effective_on}
    else:
        target = and_(
            clause, or_(contacts.c.marketing_status != "marketing", contacts.c.pending_non_marketing.is_(True))
        )
        old = case((contacts.c.marketing_status != "marketing", "non_marketing"), else_="pending")
        record_events(
            conn,
            where=target,
            operation_id=op,
            old_state=old,
            new_state="marketing",
            now=now,
            effective_on=today,
            source_type=source_type,
            source_id=source_id,
            actor=actor,
        )
        values = {"marketing_status": "marketing", "pending_non_marketing": False, "effective_on": None}
    conn.execute(
        update(contacts)
        .where(target)
        .values(status_source_type=source_type, status_source_id=source_id, status_changed_at=now, **values)
    )
    finish_operation(conn, op, change.as_json())


def apply_status_change(
    conn: Connection,
    *,
    selection: Selection,
    to: MarketingStatus,
    today: date,
    now: datetime,
    actor: str,
    source_type: str,
    source_id: str | None = None,
    allow_tier_upgrade: bool = False,
) -> StatusChange:
    """Inside a write unit of work: catch up, check the tier, then change every selected contact at once."""
    authorize(conn, actor, Action.CHANGE_STATUS)  # before resolving the selection: refuse early
    return apply_status_change_where(
        conn,
        clause=where(conn, selection),
        to=to,
        today=today,
        now=now,
        actor=actor,
        source_type=source_type,
        source_id=source_id,
        allow_tier_upgrade=allow_tier_upgrade,
    )


def apply_status_change_where(
    conn: Connection,
    *,
    clause: ColumnElement[bool],
    to: MarketingStatus,
    today: date,
    now: datetime,
    actor: str,
    source_type: str,
    source_id: str | None = None,
    allow_tier_upgrade: bool = False,
) -> StatusChange:
    """Like ``apply_status_change`` for a SQL condition on contacts (e.g. a workflow's batch of enrollments)."""
    authorize(conn, actor, Action.CHANGE_STATUS)
    catch_up(conn, today=today, now=now)
    acct = load_account(conn)
    change = _preview(conn, acct, clause, to, today, dry_run=False)
    if change.tier_goes_up and not allow_tier_upgrade:
        raise TierUpgradeRequired(change.as_json())
    if change.will_change:
        _write_change(
            conn,
            clause,
            to,
            change=change,
            now=now,
            today=today,
            source_type=source_type,
            source_id=source_id,
            actor=actor,
        )
    if change.tier_goes_up:
        set_billed_tier(
            conn,
            old=change.tier_limit_before,
            new=change.tier_limit_after,
            reason="upgrade",
            effective_on=today,
            now=now,
            marketing=change.marketing_after,
            actor=actor,
        )
    return change


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
) -> StatusChange:
    """Set the selected contacts marketing (at once) or non-marketing (on the next update date)."""
    with db.write(engine) as conn:
        now = moment(today, load_account(conn).timezone)
        return apply_status_change(
            conn,
            selection=selection,
            to=to,
            today=today,
            now=now,
            actor=actor,
            source_type=source_type,
            source_id=source_id,
            allow_tier_upgrade=allow_tier_upgrade,
        )
