"""Update dates (docs/domain.md §3) and renewals (§4) inside a unit of work: idempotent, catching up, each once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Connection, insert, update

from core.clock import now_in
from core.rules import tiers
from core.rules.calendar import calendar_days_between
from core.rules.requester import SYSTEM, Requester
from core.rules.status import Outcome, UpdateDate
from core.store import states
from core.store.account import Account, load_account, marketing_count, set_billed_tier
from core.store.events import finish_operation, start_operation
from core.store.schema import account, update_runs


@dataclass
class UpdateResult:
    applied: list[dict[str, object]] = field(default_factory=list)
    tier_changes: list[dict[str, object]] = field(default_factory=list)
    marketing: int = 0

    def as_json(self) -> dict[str, object]:
        return {"applied": self.applied, "marketing": self.marketing, "tier_changes": self.tier_changes}


def _apply_update_date(conn: Connection, day: date, *, today: date, now: datetime, tz: str, actor: str) -> int:
    """Every pending contact due by ``day`` becomes non-marketing, with an event dated its own update date; the
    operation acted on ``today``, the day the catch-up runs."""
    by = Requester(actor, "update", day.isoformat())
    op = start_operation(conn, kind="update", at=now_in(tz), on=today, by=by)
    moved = states.apply(
        conn, where=states.due_by(day), request=UpdateDate.COME, day=day, at=now, by=by, operation_id=op
    )
    became = moved[Outcome.LEFT]
    marketing = marketing_count(conn)
    conn.execute(
        insert(update_runs).values(
            update_date=day, ran_at=now, became_non_marketing=became, marketing_after=marketing, actor=actor
        )
    )
    finish_operation(conn, op, {"update_date": day.isoformat(), "became_non_marketing": became})
    return became


def _renew(conn: Connection, acct: Account, day: date, billed: int, *, now: datetime, actor: str) -> int | None:
    """On a renewal day the tier is lowered (or kept) to the smallest that fits that day's count (§4)."""
    marketing = marketing_count(conn)
    new = tiers.tier_at_renewal(acct.pricing, marketing)
    if new == billed:
        return None
    set_billed_tier(
        conn, old=billed, new=new, reason="renewal", effective_on=day, now=now, marketing=marketing, actor=actor
    )
    return new


def catch_up(
    conn: Connection, acct: Account, *, today: date, now: datetime, actor: str = SYSTEM
) -> tuple[UpdateResult, Account]:
    """Apply every update and renewal day up to ``today`` not yet applied; the account as it is afterwards.

    The caller has checked that ``today`` may be acted on (``core.services.unit``); applying through ``today`` also
    makes it the last day acted on, so that no change can act on a day whose update date is already applied."""
    result = UpdateResult()
    billed = acct.billed_tier
    days = calendar_days_between(acct.commitment, acct.start_date, acct.updates_applied_through, today)
    for day in days:
        if day.is_update:
            became = _apply_update_date(conn, day.day, today=today, now=now, tz=acct.timezone, actor=actor)
            result.applied.append({"update_date": day.day.isoformat(), "became_non_marketing": became})
        if day.is_renewal and (new := _renew(conn, acct, day.day, billed, now=now, actor=actor)) is not None:
            result.tier_changes.append({"effective_on": day.day.isoformat(), "old": billed, "new": new})
            billed = new
    if today > acct.updates_applied_through:
        last = max(today, acct.last_acted_on)
        conn.execute(update(account).where(account.c.id == 1).values(updates_applied_through=today, last_acted_on=last))
        acct = load_account(conn)
    return result, acct
