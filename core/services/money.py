"""The one computation of a change's money effect (docs/domain.md §4, §10 "Money"): every confirmation, ``usage``,
``simulate`` and every ``--dry-run`` take their price figures from here, so that none of them can disagree."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, Engine

from core.rules import tiers
from core.rules.calendar import next_renewal_date, next_update_date, renewal_dates_between
from core.rules.money import MoneyEffect, PriceOn
from core.rules.selection import Selection
from core.services.selection_errors import user_errors
from core.store import engine as db
from core.store.account import Account, load_account
from core.store.counts import StatusCounts, counts_on, state_breakdown, stored_counts
from core.store.selection import where


def money_effect_in(
    conn: Connection,
    acct: Account,
    *,
    today: date,
    now_delta: int = 0,
    update_delta: int = 0,
    stored: StatusCounts | None = None,
) -> MoneyEffect:
    """The price now, on the next update date and at renewal, without and with a change that moves the marketing
    count by ``now_delta`` today and by ``update_delta`` from the next update date on (contacts scheduled to
    leave, changes undone), if nothing else changes. Upgrades happen at once, lowering only at renewal (§4)."""
    stored = stored or stored_counts(conn)
    update_on = next_update_date(acct.commitment, acct.start_date, today)
    renewal_on = next_renewal_date(acct.commitment, acct.start_date, today)
    pricing, price = acct.pricing, acct.pricing.monthly_price
    counted: dict[date, int] = {}

    def marketing(day: date) -> int:
        if day not in counted:
            counted[day] = counts_on(conn, day, stored=stored).marketing
        return counted[day]

    def delta(day: date) -> int:
        return update_delta if day >= update_on else now_delta

    def tier(day: date, with_change: bool) -> int:
        """The billed tier on ``day``: the last renewal on or before it (not yet applied) fits that day's count;
        any day's count above the tier raises it at once."""
        shift = delta if with_change else (lambda _day: 0)
        billed = acct.billed_tier
        renewals = renewal_dates_between(acct.commitment, acct.start_date, acct.updates_applied_through, day)
        if renewals:
            billed = tiers.tier_at_renewal(pricing, marketing(renewals[-1]) + shift(renewals[-1]))
        since = renewals[-1] if renewals else today
        for seen in sorted(d for d in {today, update_on, day} if since <= d <= day):
            billed = tiers.tier_after_change(pricing, billed, marketing(seen) + shift(seen))
        return billed

    def point(day: date) -> PriceOn:
        before, after = tier(day, False), tier(day, True)
        return PriceOn(day, marketing(day), marketing(day) + delta(day), before, after, price(before), price(after))

    return MoneyEffect(acct.currency, point(today), point(update_on), point(renewal_on))


def deletion_money(engine: Engine, *, selection: Selection, today: date) -> MoneyEffect:
    """What deleting the selected contacts does to the bill: the count drops at once, the tier not before renewal
    (docs/domain.md §2, §4); pending contacts would have left on the next update date anyway."""
    with user_errors(), db.read(engine) as conn:
        found = state_breakdown(conn, where(conn, selection), today)
        billed = found["marketing"] + found["pending"]
        return money_effect_in(
            conn, load_account(conn), today=today, now_delta=-billed, update_delta=-found["marketing"]
        )
