"""What the Set as (non-)marketing dialog shows, and so what confirming it promises (docs/domain.md §10): the
counts, the tier and price after a rise, and the sentence that says how the change went."""

from __future__ import annotations

import streamlit as st

from core.rules.confirmation import Confirmed
from core.rules.status import MarketingStatus
from core.services.status import StatusChange
from pages.contacts._state import StatusDialog
from pages.shared import i18n
from pages.shared.i18n import _, ngettext
from pages.shared.money import money_line


def contacts(n: int) -> str:
    return i18n.contacts(n)


def success_text(r: StatusChange) -> str:
    if r.to == "non-marketing":
        scheduled = ngettext(
            "Scheduled {n} contact as non-marketing; {unchanged} not included.",
            "Scheduled {n} contacts as non-marketing; {unchanged} not included.",
            r.scheduled,
            unchanged=r.unchanged,
        )
        if not r.effective_on:
            return scheduled
        return _("{scheduled} They become non-marketing on {day}.", scheduled=scheduled, day=r.effective_on)
    became = ngettext(
        "{n} contact became marketing, {undone} pending {changes} undone, {unchanged} already marketing.",
        "{n} contacts became marketing, {undone} pending {changes} undone, {unchanged} already marketing.",
        r.changed,
        undone=r.undone,
        unchanged=r.unchanged,
        changes=ngettext("change", "changes", r.undone),
    )
    if not r.tier_goes_up:
        return became
    return _("{became} Billed tier raised to {tier}.", became=became, tier=r.tier_limit_after)


def outdated_text(differences: tuple[str, ...], *, deleted: bool = False) -> str:
    """Why a confirmed change was refused (docs/domain.md §10): the contacts changed meanwhile."""
    if deleted:
        return _(
            "Someone changed these contacts meanwhile: {differences}. Nothing was deleted. "
            "Review the new figures and confirm again.",
            differences="; ".join(differences),
        )
    return _(
        "Someone changed these contacts meanwhile: {differences}. Nothing was changed. "
        "Review the new figures and confirm again.",
        differences="; ".join(differences),
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
    cols[0].metric(_("Will be scheduled"), i18n.number(p.scheduled))
    cols[1].metric(_("Not included"), i18n.number(p.unchanged), help=_("Already pending or non-marketing"))
    day = p.effective_on or box.next_update
    cols[2].metric(_("Next update date"), i18n.day(day))
    st.caption(
        _("They stay marketing contacts, and billed, until **{day}**; from then on they stop counting.", day=day)
    )
    money_line(p.money)


def marketing_counts(box: StatusDialog) -> bool:
    """The counts, and the tier warning with its consent box; True when the change may go ahead."""
    p = box.preview
    cols = st.columns(3)
    cols[0].metric(_("Already marketing"), i18n.number(p.unchanged))
    cols[1].metric(_("Become marketing now"), i18n.number(p.changed), help=_("Billed from today"))
    cols[2].metric(_("Pending changes undone"), i18n.number(p.undone))
    money_line(p.money)
    if not p.tier_goes_up:
        st.caption(
            _(
                "Marketing contacts: {before} → {after} of {tier}.",
                before=p.marketing_before,
                after=p.marketing_after,
                tier=p.tier_limit_after,
            )
        )
        return True
    after, before = i18n.money(p.monthly_price_after, box.currency), i18n.money(p.monthly_price_before, box.currency)
    st.warning(
        _(
            "This raises the billed tier from **{tier_before}** to **{tier_after}** marketing contacts "
            "({marketing_before} → **{marketing_after}** marketing contacts): **{after}** a month instead of "
            "{before}. The tier is not lowered before renewal.",
            tier_before=p.tier_limit_before,
            tier_after=p.tier_limit_after,
            marketing_before=p.marketing_before,
            marketing_after=p.marketing_after,
            after=after,
            before=before,
        ),
        icon=":material/trending_up:",
    )
    return st.checkbox(
        _("I agree to the {tier}-contact tier at {price} a month", tier=p.tier_limit_after, price=after),
        key="ct_dlg_upgrade",
    )
