"""Usage & limits, Simulator tab: figures on a future date if nothing else changes, and the what-if. No writes."""

from __future__ import annotations

from datetime import date

import streamlit as st

from core.services.usage import simulate
from core.services.whatif import WhatIf, what_if
from core.services.wizard import static_list_names, wizard_selection
from pages.shared import i18n, session
from pages.shared.filter_builder import filter_builder
from pages.shared.i18n import _
from pages.shared.money import money_line


def render_simulator(today: date, next_update: date) -> None:
    """Any future date: counts, tier and price that day, and how many pending contacts will have left."""
    day = st.date_input(
        _("Date to simulate"), value=next_update, min_value=today, key=f"simulate_on_{today}", format="YYYY-MM-DD"
    )
    result = session.run(lambda: simulate(session.engine(), today=today, on=day))
    if result is None:
        return
    cols = st.columns([1, 1, 1, 1.4, 1])  # the price is the widest figure (890,00 USD in Polish)
    cols[0].metric(_("Marketing on that day"), session.number(result.marketing))
    cols[1].metric(_("Non-marketing on that day"), session.number(result.non_marketing))
    cols[2].metric(_("Billed tier on that day"), session.number(result.tier_limit))
    cols[3].metric(_("Monthly price on that day"), i18n.money(result.monthly_price, result.currency))
    cols[4].metric(
        _("Gone by then"),
        session.number(result.became_non_marketing),
        help=_("Pending contacts that will have become non-marketing by that day"),
    )
    st.caption(_("As of {day}, if nothing else changes. Nothing is written.", day=day))
    money_line(result.money)
    st.subheader(_("What if…"), anchor=False)
    render_what_if(today)


def render_what_if(today: date) -> None:
    """A filter or lists whose marketing contacts one would set non-marketing today: the effect, unwritten."""
    st.caption(_("Pick contacts you would set non-marketing today, by filter or by static list."))
    conditions = filter_builder("whatif_filter")
    names = session.run(lambda: static_list_names(session.engine())) or []
    lists = st.multiselect(_("Static lists"), names, key="whatif_lists", placeholder=_("Choose lists"))
    if not conditions and not lists:
        st.caption(_("Add a condition or choose a list to see its effect."))
        return
    effect = session.run(
        lambda: what_if(
            session.engine(),
            selection=wizard_selection(unengaged=False, conditions=conditions, lists=lists),
            today=today,
        )
    )
    if effect is not None:
        effect_metrics(effect)


def _row(figures: list[tuple[str, int, int, bool]], currency: str) -> None:
    """Metrics of (label, before, after, is money): the value after, the change as its delta."""
    for col, (label, before, after, is_money) in zip(st.columns(3), figures, strict=False):
        shown = i18n.money(after, currency) if is_money else session.number(after)
        delta = session.number(after - before) if after != before else None
        col.metric(
            label, shown, delta=delta, delta_color="inverse", help=_("{before} if nothing changes", before=before)
        )


def effect_metrics(effect: WhatIf) -> None:
    """Before and after on the next update date and at renewal (shared by the what-if and the wizard)."""
    st.caption(
        _(
            "On the next update date, {day} (the tier is lowered only at renewal):",
            day=effect.next_update_date,
        )
    )
    _row(
        [
            (_("Marketing after the update"), effect.marketing_before, effect.marketing_after, False),
            (_("Billed tier after the update"), effect.tier_before, effect.tier_after, False),
            (
                _("Monthly price after the update"),
                effect.monthly_price_before,
                effect.monthly_price_after,
                True,
            ),
        ],
        effect.currency,
    )
    st.caption(_("At renewal, {day} (the smallest tier that fits that day's count):", day=effect.renewal_date))
    _row(
        [
            (_("Tier at renewal"), effect.renewal_tier_before, effect.renewal_tier_after, False),
            (_("Monthly price at renewal"), effect.renewal_price_before, effect.renewal_price_after, True),
        ],
        effect.currency,
    )
    money_line(effect.money)
