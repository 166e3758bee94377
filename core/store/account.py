"""Reading and writing the single account row."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import Connection, insert, inspect, select, update
from sqlalchemy.exc import OperationalError, ProgrammingError

from core.errors import NotInitialised
from core.rules.calendar import Commitment
from core.rules.tiers import Edition, Pricing, tier_after_change
from core.store import states
from core.store.schema import account, tier_changes


@dataclass(frozen=True)
class Account:
    edition: Edition
    commitment: Commitment
    start_date: date
    timezone: str
    billed_tier: int
    pricing: Pricing
    currency: str
    updates_applied_through: date
    last_acted_on: date  # no change acts on a day before it (docs/domain.md §10)


def is_initialised(conn: Connection) -> bool:
    if not inspect(conn).has_table("account"):
        return False
    return conn.execute(select(account.c.id).where(account.c.id == 1)).first() is not None


def load_account(conn: Connection) -> Account:
    """The account settings; raises NotInitialised on a database that was never set up."""
    try:
        row = conn.execute(select(account).where(account.c.id == 1)).mappings().first()
    except (OperationalError, ProgrammingError):  # no account table: a database that was never initialised
        raise NotInitialised() from None
    if row is None:
        raise NotInitialised()
    return Account(
        edition=Edition(row["edition"]),
        commitment=Commitment(row["commitment"]),
        start_date=row["start_date"],
        timezone=row["timezone"],
        billed_tier=row["billed_tier"],
        pricing=Pricing(row["included_contacts"], row["increment_size"], row["base_price"], row["increment_price"]),
        currency=row["currency"],
        updates_applied_through=row["updates_applied_through"],
        last_acted_on=row["last_acted_on"],
    )


def timezone_of(conn: Connection) -> str:
    """The account's time zone; UTC for a database not initialised yet (a new account starts in UTC). Reads one
    column that every schema has, so it works before the database is migrated."""
    if not is_initialised(conn):
        return "UTC"
    return str(conn.execute(select(account.c.timezone).where(account.c.id == 1)).scalar_one())


def mark_acted_on(conn: Connection, acct: Account, day: date) -> Account:
    """Remember ``day`` as the last day a change acted on, when it is later than the one remembered."""
    if day <= acct.last_acted_on:
        return acct
    conn.execute(update(account).where(account.c.id == 1).values(last_acted_on=day))
    return replace(acct, last_acted_on=day)


def create_account(
    conn: Connection,
    *,
    edition: Edition,
    commitment: Commitment,
    start_date: date,
    today: date,
    now: datetime,
    timezone: str = "UTC",
) -> None:
    pricing = Pricing.default(edition)
    conn.execute(
        insert(account).values(
            id=1,
            edition=edition.value,
            commitment=commitment.value,
            start_date=start_date,
            timezone=timezone,
            billed_tier=pricing.fitting_tier(marketing_count(conn)),
            included_contacts=pricing.included,
            increment_size=pricing.increment,
            base_price=pricing.base_price,
            increment_price=pricing.increment_price,
            updates_applied_through=today,
            last_acted_on=today,
            created_at=now,
            updated_at=now,
        )
    )


def marketing_count(conn: Connection) -> int:
    """Contacts billed now: status marketing, pending ones included."""
    return states.count_billed(conn)


def set_billed_tier(
    conn: Connection, *, old: int, new: int, reason: str, effective_on: date, now: datetime, marketing: int, actor: str
) -> None:
    """Record a tier change and store the new billed tier."""
    if old == new:
        return
    conn.execute(update(account).where(account.c.id == 1).values(billed_tier=new, updated_at=now))
    conn.execute(
        insert(tier_changes).values(
            effective_on=effective_on,
            changed_at=now,
            old_limit=old,
            new_limit=new,
            reason=reason,
            marketing=marketing,
            actor=actor,
        )
    )


def raise_tier_to_fit(
    conn: Connection, acct: Account, *, marketing: int, today: date, now: datetime, actor: str
) -> int:
    """docs/domain.md §4: going over the billed tier upgrades it at once to the smallest that fits; returns the
    tier."""
    new = tier_after_change(acct.pricing, acct.billed_tier, marketing)
    set_billed_tier(
        conn,
        old=acct.billed_tier,
        new=new,
        reason="upgrade",
        effective_on=today,
        now=now,
        marketing=marketing,
        actor=actor,
    )
    return new
