"""Usage and simulation: where the account stands on a day, if nothing else changes (writes nothing)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine

from core.errors import DomainError
from core.i18n import N_
from core.rules import tiers
from core.rules.calendar import next_renewal_date, next_update_date, renewal_dates_between
from core.rules.money import MoneyEffect
from core.services.money import money_effect_in
from core.store import engine as db
from core.store.account import Account, load_account
from core.store.counts import StatusCounts, counts_on, pending_due_count, stored_counts


@dataclass(frozen=True)
class Usage:
    today: date
    edition: str
    commitment: str
    marketing: int
    pending: int
    non_marketing: int
    total: int
    tier_limit: int
    percent_of_tier: float
    next_update_date: date
    renewal_date: date
    alerts: list[dict[str, Any]]
    monthly_price: int
    currency: str
    renewal_tier: int  # the tier one could renew at with today's count after the next update
    became_non_marketing: int = 0
    money: MoneyEffect | None = None  # the price on this day, on the next update date and at renewal
    pending_saves: MoneyEffect | None = None  # as if every pending change were undone: its price change is the saving
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("extra")
        data.update(self.extra)
        data.pop("money")
        data.pop("pending_saves")
        if self.money is not None and self.pending_saves is not None:
            data["money"] = self.money.as_json()
            data["tier_at_next_update"] = self.money.next_update.tier_before
            data["monthly_price_at_next_update"] = self.money.next_update.price_before
            data["tier_at_renewal"] = self.money.renewal.tier_before
            data["monthly_price_at_renewal"] = self.money.renewal.price_before
            # what the pending changes save a month: the price if they were undone, minus the price as it is
            data["pending_saves_at_next_update"] = self.pending_saves.next_update.price_change
            data["pending_saves_at_renewal"] = self.pending_saves.renewal.price_change
        for key in ("today", "next_update_date", "renewal_date"):
            data[key] = data[key].isoformat()
        return data


def tier_on(
    conn: Connection,
    acct: Account,
    on: date,
    *,
    stored: StatusCounts | None = None,
    leaving: int = 0,
    leave_on: date | None = None,
) -> int:
    """The billed tier on ``on``: unchanged, unless a renewal since the last applied day lowers it.

    ``leaving`` contacts that would leave the marketing count on ``leave_on`` (a what-if) are taken off the
    count of a renewal on or after that day."""
    renewals = renewal_dates_between(acct.commitment, acct.start_date, acct.updates_applied_through, on)
    if not renewals:
        return acct.billed_tier
    last = renewals[-1]
    marketing_then = counts_on(conn, last, stored=stored).marketing
    if leave_on is not None and last >= leave_on:
        marketing_then -= leaving
    return tiers.tier_at_renewal(acct.pricing, marketing_then)


def usage_on(conn: Connection, acct: Account, *, on: date, today: date) -> Usage:
    """The usage object for ``on`` (``today`` itself, or a future day for a simulation)."""
    stored = stored_counts(conn)  # one GROUP BY; the other days only count due pending contacts
    counts = counts_on(conn, on, stored=stored)
    tier = tier_on(conn, acct, on, stored=stored)
    next_update = next_update_date(acct.commitment, acct.start_date, on)
    renewal_count = counts_on(conn, next_update, stored=stored).marketing
    money = money_effect_in(conn, acct, today=on, stored=stored)
    # if every pending contact stayed: the count from the next update date on is higher by the pending ones
    undone = money_effect_in(conn, acct, today=on, stored=stored, update_delta=counts.pending)
    return Usage(
        today=on,
        edition=acct.edition.value,
        commitment=acct.commitment.value,
        marketing=counts.marketing,
        pending=counts.pending,
        non_marketing=counts.non_marketing,
        total=counts.total,
        tier_limit=tier,
        percent_of_tier=tiers.percent_of_tier(counts.marketing, tier),
        next_update_date=next_update,
        renewal_date=next_renewal_date(acct.commitment, acct.start_date, on),
        alerts=[a.as_dict() for a in tiers.alerts(counts.marketing, tier)],
        monthly_price=acct.pricing.monthly_price(tier),
        currency=acct.currency,
        renewal_tier=tiers.tier_at_renewal(acct.pricing, renewal_count),
        became_non_marketing=pending_due_count(conn, on) - pending_due_count(conn, today) if on > today else 0,
        money=money,
        pending_saves=undone,
    )


def get_usage(engine: Engine, *, today: date) -> Usage:
    """Marketing, pending and non-marketing counts, billed tier, alerts and the next dates, as of today."""
    with db.read(engine) as conn:
        return usage_on(conn, load_account(conn), on=today, today=today)


def simulate(engine: Engine, *, today: date, on: date | None = None) -> Usage:
    """The usage as it will be on ``on`` (default: the next update date) if nothing else changes."""
    with db.read(engine) as conn:
        acct = load_account(conn)
        target = on or next_update_date(acct.commitment, acct.start_date, today)
        if target < today:
            raise DomainError(
                N_("--on {day} is before today ({today}): simulation looks forward"), day=str(target), today=str(today)
            )
        return usage_on(conn, acct, on=target, today=today)
