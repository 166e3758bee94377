"""Bulk status changes from the Contacts index (DOMAIN.md §6.2): More → Set as (non-)marketing, confirmed in a dialog.

The dialog shows the counts of ``preview_status_change``; acting on every contact matching the filter needs
the "apply to all N" box; Set as marketing unlocks only once the number of contacts that change is typed,
and a tier upgrade needs its own consent. The dialog stays open across reruns while ``ct_dialog`` is set.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.rules.status import MarketingStatus
from core.services.status import StatusChange, preview_status_change, set_status
from core.services.usage import get_usage
from pages.contacts import _state as state
from pages.contacts._state import contacts, success_text, typed_matches
from pages.shared import common


def _all_box(box: dict[str, Any]) -> bool:
    if box["scope"] != "all":
        return True
    return st.checkbox(f"Apply to all {box['count']:,} contacts matching this filter", key="ct_dlg_all")


def _close() -> None:
    state.close_dialog()


def _money(amount: int, box: dict[str, Any]) -> str:
    return f"{amount:,} {box['currency']}"


def _non_marketing_counts(p: StatusChange, box: dict[str, Any]) -> None:
    cols = st.columns(3)
    cols[0].metric("Will be scheduled", common.number(p.scheduled))
    cols[1].metric("Not included", common.number(p.unchanged), help="Already pending or non-marketing")
    day = p.effective_on or box["next_update"]
    cols[2].metric("Next update date", f"{day:%d %b %Y}")
    st.caption(f"They stay marketing contacts, and billed, until **{day:%d %b %Y}**; from then on they stop counting.")


def _marketing_counts(p: StatusChange, box: dict[str, Any]) -> bool:
    """The counts, and the tier warning with its consent box; True when the change may go ahead."""
    cols = st.columns(3)
    cols[0].metric("Already marketing", common.number(p.unchanged))
    cols[1].metric("Become marketing now", common.number(p.changed), help="Billed from today")
    cols[2].metric("Pending changes undone", common.number(p.undone))
    if not p.tier_goes_up:
        st.caption(f"Marketing contacts: {p.marketing_before:,} → {p.marketing_after:,} of {p.tier_limit_after:,}.")
        return True
    st.warning(
        f"This raises the billed tier from **{p.tier_limit_before:,}** to **{p.tier_limit_after:,}** marketing "
        f"contacts: **{_money(p.monthly_price_after, box)}** a month instead of {_money(p.monthly_price_before, box)}. "
        "The tier is not lowered before renewal.",
        icon=":material/trending_up:",
    )
    return st.checkbox(
        f"I agree to the {p.tier_limit_after:,}-contact tier at {_money(p.monthly_price_after, box)} a month",
        key="ct_dlg_upgrade",
    )


def _confirm(box: dict[str, Any], p: StatusChange, ready: bool) -> None:
    to = MarketingStatus(box["to"])
    word = "marketing" if to == MarketingStatus.MARKETING else "non-marketing"
    cols = st.columns([1, 1, 2])
    if cols[0].button(f"Set as {word}", key="ct_dlg_confirm", type="primary", disabled=not ready):
        result = common.run(
            lambda: set_status(
                common.engine(),
                selection=box["selection"],
                to=to,
                today=common.today(),
                actor=common.actor(),
                source_type="bulk_action",
                allow_tier_upgrade=bool(st.session_state.get("ct_dlg_upgrade")),
            )
        )
        if result is not None:
            state.close_dialog()
            state.changed(success_text(result))
            st.rerun()
    if cols[1].button("Cancel", key="ct_dlg_cancel"):
        state.close_dialog()
        st.rerun()


def _body(box: dict[str, Any]) -> None:
    p: StatusChange = box["preview"]
    st.markdown(f"**{contacts(p.selected)}**: {box['label']}.")
    if box["to"] == MarketingStatus.NON_MARKETING.value:
        _non_marketing_counts(p, box)
        ready = True
    else:
        ready = _marketing_counts(p, box)
    ready = _all_box(box) and ready
    if box["to"] == MarketingStatus.MARKETING.value and p.will_change:
        typed = st.text_input(
            f"Type **{p.will_change:,}** to confirm", key="ct_dlg_typed", placeholder=str(p.will_change)
        )
        ready = ready and typed_matches(typed, p.will_change)
    if not p.will_change:
        st.info("Nothing to change: every one of these contacts already has this status.")
    refused = common.writes_refused("Changing status")
    _confirm(box, p, ready and p.will_change > 0 and not refused)


@st.dialog("Set as non-marketing", width="large", on_dismiss=_close)
def _non_marketing_dialog() -> None:
    _body(state.dialog() or {})


@st.dialog("Set as marketing", width="large", on_dismiss=_close)
def _marketing_dialog() -> None:
    _body(state.dialog() or {})


def open_status(to: MarketingStatus, *, selection: Any, scope: str, count: int, label: str) -> None:
    """Preview once, when the dialog opens: the counts shown are the ones the user confirms."""
    engine, today = common.engine(), common.today()
    preview = common.run(lambda: preview_status_change(engine, selection=selection, to=to, today=today))
    usage = common.run(lambda: get_usage(engine, today=today))
    if preview is not None and usage is not None:
        state.close_dialog()
        state.open_dialog(
            "status",
            to=to.value,
            selection=selection,
            scope=scope,
            count=count,
            label=label,
            preview=preview,
            next_update=usage.next_update_date,
            currency=usage.currency,
        )


def show_dialog() -> None:
    box = state.dialog()
    if box is None or box["kind"] != "status":
        return
    (_marketing_dialog if box["to"] == MarketingStatus.MARKETING.value else _non_marketing_dialog)()
