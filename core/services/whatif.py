"""What-if: the effect of setting a selection non-marketing today, on the next update date and at renewal.

Computed in SQL from the stored state, written nowhere: the same rules as ``simulate`` with the selected
marketing contacts leaving on the next update date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Engine

from core.rules import tiers
from core.rules.calendar import next_renewal_date, next_update_date
from core.rules.selection import Selection
from core.services.selection_errors import user_errors
from core.services.usage import tier_on
from core.store import engine as db
from core.store.account import Account, load_account
from core.store.counts import counts_on, state_breakdown, stored_counts
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


def what_if_in(conn: Connection, acct: Account, selection: Selection, *, today: date) -> WhatIf:
    """Inside a read unit of work: before and after figures if ``selection`` were set non-marketing today."""
    states = state_breakdown(conn, where(conn, selection), today)
    leaving = states["marketing"]
    update_on = next_update_date(acct.commitment, acct.start_date, today)
    renewal_on = next_renewal_date(acct.commitment, acct.start_date, today)
    stored = stored_counts(conn)  # one GROUP BY; each day then only counts its due pending contacts
    at_update = counts_on(conn, update_on, stored=stored).marketing
    at_renewal = counts_on(conn, renewal_on, stored=stored).marketing
    renewal_leaving = leaving if renewal_on >= update_on else 0
    tier_before = tier_on(conn, acct, update_on, stored=stored)
    tier_after = tier_on(conn, acct, update_on, stored=stored, leaving=leaving, leave_on=update_on)
    renew_before = tiers.tier_at_renewal(acct.pricing, at_renewal)
    renew_after = tiers.tier_at_renewal(acct.pricing, at_renewal - renewal_leaving)
    price = acct.pricing.monthly_price
    return WhatIf(
        today=today,
        selected=sum(states.values()),
        would_leave=leaving,
        not_included=states["pending"] + states["non_marketing"],
        next_update_date=update_on,
        marketing_before=at_update,
        marketing_after=at_update - leaving,
        tier_before=tier_before,
        tier_after=tier_after,
        monthly_price_before=price(tier_before),
        monthly_price_after=price(tier_after),
        renewal_date=renewal_on,
        renewal_tier_before=renew_before,
        renewal_tier_after=renew_after,
        renewal_price_before=price(renew_before),
        renewal_price_after=price(renew_after),
        currency=acct.currency,
    )


def what_if(engine: Engine, *, selection: Selection, today: date) -> WhatIf:
    """The next update date and the renewal tier, before and after setting ``selection`` non-marketing today."""
    with user_errors(), db.read(engine) as conn:
        return what_if_in(conn, load_account(conn), selection, today=today)
