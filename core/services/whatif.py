"""What-if: the effect of setting a selection non-marketing today, on the next update date and at renewal.

Computed in SQL from the stored state, written nowhere: the same rules as ``simulate`` with the selected
marketing contacts leaving on the next update date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Engine

from core.rules.money import MoneyEffect
from core.rules.selection import Selection
from core.services.money import money_effect_in
from core.services.selection_errors import user_errors
from core.store import engine as db
from core.store.account import Account, load_account
from core.store.counts import state_breakdown
from core.store.selection import where


@dataclass(frozen=True)
class WhatIf:
    today: date
    selected: int
    would_leave: int  # marketing, not yet pending: they would become non-marketing on the next update date
    not_included: int  # already pending or non-marketing
    next_update_date: date
    marketing_before: int  # on the next update date, if nothing else changes
    marketing_after: int  # ... and if the selection is set non-marketing today
    tier_before: int  # billed tier on the next update date
    tier_after: int
    monthly_price_before: int
    monthly_price_after: int
    renewal_date: date
    renewal_tier_before: int  # the tier one could renew at (smallest that fits the count that day)
    renewal_tier_after: int
    renewal_price_before: int
    renewal_price_after: int
    currency: str
    money: MoneyEffect


def what_if_in(conn: Connection, acct: Account, selection: Selection, *, today: date) -> WhatIf:
    """Inside a read unit of work: before and after figures if ``selection`` were set non-marketing today (the
    prices from ``core.services.money``, the one computation of a money effect)."""
    states = state_breakdown(conn, where(conn, selection), today)
    leaving = states["marketing"]
    money = money_effect_in(conn, acct, today=today, update_delta=-leaving)
    at_update, at_renewal = money.next_update, money.renewal
    return WhatIf(
        today=today,
        selected=sum(states.values()),
        would_leave=leaving,
        not_included=states["pending"] + states["non_marketing"],
        next_update_date=at_update.on,
        marketing_before=at_update.marketing_before,
        marketing_after=at_update.marketing_after,
        tier_before=at_update.tier_before,
        tier_after=at_update.tier_after,
        monthly_price_before=at_update.price_before,
        monthly_price_after=at_update.price_after,
        renewal_date=at_renewal.on,
        renewal_tier_before=at_renewal.tier_before,
        renewal_tier_after=at_renewal.tier_after,
        renewal_price_before=at_renewal.price_before,
        renewal_price_after=at_renewal.price_after,
        currency=acct.currency,
        money=money,
    )


def what_if(engine: Engine, *, selection: Selection, today: date) -> WhatIf:
    """The next update date and the renewal tier, before and after setting ``selection`` non-marketing today."""
    with user_errors(), db.read(engine) as conn:
        return what_if_in(conn, load_account(conn), selection, today=today)
