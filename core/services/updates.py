"""Applying update dates (DOMAIN.md §3) and renewals (§4): idempotent, catching up, each date once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Connection, Engine, insert, update

from core.clock import moment
from core.rules import tiers
from core.rules.calendar import calendar_days_between
from core.store import engine as db
from core.store.account import load_account, marketing_count, set_billed_tier
from core.store.counts import due_by
from core.store.events import finish_operation, record_events, start_operation
from core.store.schema import account, contacts, update_runs

SYSTEM_ACTOR = "system"


@dataclass
class UpdateResult:
    applied: list[dict[str, object]] = field(default_factory=list)
    tier_changes: list[dict[str, object]] = field(default_factory=list)
    marketing: int = 0

    def as_json(self) -> dict[str, object]:
        return {"applied": self.applied, "marketing": self.marketing, "tier_changes": self.tier_changes}


def _apply_update_date(conn: Connection, day: date, *, now: datetime, actor: str) -> int:
    """Every pending contact due by ``day`` becomes non-marketing, with an event dated its own effective day."""
    op = start_operation(conn, kind="update", now=now, actor=actor, source_type="update", source_id=day.isoformat())
    due = due_by(day)
    became = record_events(
        conn,
        where=due,
        operation_id=op,
        old_state="pending",
        new_state="non_marketing",
        now=now,
        effective_on=contacts.c.effective_on,
        source_type="update",
        source_id=day.isoformat(),
        actor=actor,
    )
    if became:
        conn.execute(
            update(contacts)
            .where(due)
            .values(marketing_status="non_marketing", pending_non_marketing=False, effective_on=None)
        )
    marketing = marketing_count(conn)
    conn.execute(
        insert(update_runs).values(
            update_date=day, ran_at=now, became_non_marketing=became, marketing_after=marketing, actor=actor
        )
    )
    finish_operation(conn, op, {"update_date": day.isoformat(), "became_non_marketing": became})
    return became


def catch_up(conn: Connection, *, today: date, now: datetime, actor: str = SYSTEM_ACTOR) -> UpdateResult:
    """Inside a write unit of work: apply every update and renewal day up to today not yet applied."""
    acct = load_account(conn)
    result = UpdateResult()
    billed = acct.billed_tier
    for day in calendar_days_between(acct.commitment, acct.start_date, acct.updates_applied_through, today):
        if day.is_update:
            became = _apply_update_date(conn, day.day, now=now, actor=actor)
            result.applied.append({"update_date": day.day.isoformat(), "became_non_marketing": became})
        if day.is_renewal:
            marketing = marketing_count(conn)
            new = tiers.tier_at_renewal(acct.pricing, marketing)
            if new != billed:
                set_billed_tier(
                    conn,
                    old=billed,
                    new=new,
                    reason="renewal",
                    effective_on=day.day,
                    now=now,
                    marketing=marketing,
                    actor=actor,
                )
                result.tier_changes.append({"effective_on": day.day.isoformat(), "old": billed, "new": new})
                billed = new
    if today > acct.updates_applied_through:
        conn.execute(update(account).where(account.c.id == 1).values(updates_applied_through=today))
    result.marketing = marketing_count(conn)
    return result


def apply_updates(engine: Engine, *, today: date, actor: str = SYSTEM_ACTOR) -> UpdateResult:
    """Apply every update date up to ``today`` not yet applied; running it again applies nothing."""
    with db.write(engine) as conn:
        tz = load_account(conn).timezone
        return catch_up(conn, today=today, now=moment(today, tz), actor=actor)
