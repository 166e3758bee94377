"""What the Set as (non-)marketing dialog shows, and so what confirming it promises (docs/domain.md §10): the
counts, the tier and price after a rise, and the sentence that says how the change went."""

from __future__ import annotations

import streamlit as st

from core.rules.confirmation import Confirmed
from core.rules.status import MarketingStatus
from core.services.status import StatusChange
from pages.contacts._state import StatusDialog
from pages.shared import session
from pages.shared.money import money_line


def contacts(n: int) -> str:
    return f"{n:,} contact" if n == 1 else f"{n:,} contacts"


def success_text(r: StatusChange) -> str:
    if r.to == "non-marketing":
        when = f" They become non-marketing on {r.effective_on:%d %b %Y}." if r.effective_on else ""
        return f"Scheduled {contacts(r.scheduled)} as non-marketing; {r.unchanged:,} not included.{when}"
    tier = f" Billed tier raised to {r.tier_limit_after:,}." if r.tier_goes_up else ""
    changes = "change" if r.undone == 1 else "changes"
    return (
        f"{contacts(r.changed)} became marketing, {r.undone:,} pending {changes} undone, "
        f"{r.unchanged:,} already marketing.{tier}"
    )


def promise(box: StatusDialog) -> Confirmed:
    """What the dialog shows: the number of contacts that change (the number typed for Set as marketing) and,
    for Set as marketing, the billed tier after it, with its monthly price when the tier rises."""
    p = box.preview
    if box.to != MarketingStatus.MARKETING:
        return Confirmed(changes=p.will_change)
    return Confirmed(p.will_change, p.tier_limit_after, p.monthly_price_after if p.tier_goes_up else None)


def non_marketing_counts(box: StatusDialog) -> None:
    p = box.preview
    cols = st.columns(3)
    cols[0].metric("Will be scheduled", session.number(p.scheduled))
    cols[1].metric("Not included", session.number(p.unchanged), help="Already pending or non-marketing")
    day = p.effective_on or box.next_update
    cols[2].metric("Next update date", f"{day:%d %b %Y}")
    st.caption(f"They stay marketing contacts, and billed, until **{day:%d %b %Y}**; from then on they stop counting.")
    money_line(p.money)


def marketing_counts(box: StatusDialog) -> bool:
    """The counts, and the tier warning with its consent box; True when the change may go ahead."""
    p = box.preview
    cols = st.columns(3)
    cols[0].metric("Already marketing", session.number(p.unchanged))
    cols[1].metric("Become marketing now", session.number(p.changed), help="Billed from today")
    cols[2].metric("Pending changes undone", session.number(p.undone))
    money_line(p.money)
    if not p.tier_goes_up:
        st.caption(f"Marketing contacts: {p.marketing_before:,} → {p.marketing_after:,} of {p.tier_limit_after:,}.")
        return True
    after, before = f"{p.monthly_price_after:,} {box.currency}", f"{p.monthly_price_before:,} {box.currency}"
    st.warning(
        f"This raises the billed tier from **{p.tier_limit_before:,}** to **{p.tier_limit_after:,}** marketing "
        f"contacts ({p.marketing_before:,} → **{p.marketing_after:,}** marketing contacts): **{after}** a month "
        f"instead of {before}. The tier is not lowered before renewal.",
        icon=":material/trending_up:",
    )
    return st.checkbox(f"I agree to the {p.tier_limit_after:,}-contact tier at {after} a month", key="ct_dlg_upgrade")
