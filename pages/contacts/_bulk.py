"""Bulk status changes from the Contacts index (DOMAIN.md §6.2): More → Set as (non-)marketing, confirmed in a dialog.

The dialog shows the counts of ``preview_status_change``; acting on every contact matching the filter needs
the "apply to all N" box; Set as marketing unlocks only once the number of contacts that change is typed,
and a tier upgrade needs its own consent. The dialog stays open across reruns while ``ct_dialog`` is set.
"""

from __future__ import annotations

import streamlit as st

from core.rules.status import MarketingStatus
from core.services.status import StatusChange, preview_status_change, set_status
from core.services.usage import get_usage
from pages.contacts import _state as state
from pages.contacts._state import StatusDialog, Target, typed_matches
from pages.shared import session, simulation


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


def _non_marketing_counts(box: StatusDialog) -> None:
    p = box.preview
    cols = st.columns(3)
    cols[0].metric("Will be scheduled", session.number(p.scheduled))
    cols[1].metric("Not included", session.number(p.unchanged), help="Already pending or non-marketing")
    day = p.effective_on or box.next_update
    cols[2].metric("Next update date", f"{day:%d %b %Y}")
    st.caption(f"They stay marketing contacts, and billed, until **{day:%d %b %Y}**; from then on they stop counting.")


def _marketing_counts(box: StatusDialog) -> bool:
    """The counts, and the tier warning with its consent box; True when the change may go ahead."""
    p = box.preview
    cols = st.columns(3)
    cols[0].metric("Already marketing", session.number(p.unchanged))
    cols[1].metric("Become marketing now", session.number(p.changed), help="Billed from today")
    cols[2].metric("Pending changes undone", session.number(p.undone))
    if not p.tier_goes_up:
        st.caption(f"Marketing contacts: {p.marketing_before:,} → {p.marketing_after:,} of {p.tier_limit_after:,}.")
        return True
    after, before = f"{p.monthly_price_after:,} {box.currency}", f"{p.monthly_price_before:,} {box.currency}"
    st.warning(
        f"This raises the billed tier from **{p.tier_limit_before:,}** to **{p.tier_limit_after:,}** marketing "
        f"contacts: **{after}** a month instead of {before}. The tier is not lowered before renewal.",
        icon=":material/trending_up:",
    )
    return st.checkbox(f"I agree to the {p.tier_limit_after:,}-contact tier at {after} a month", key="ct_dlg_upgrade")


def _confirm(box: StatusDialog, ready: bool) -> None:
    word = "marketing" if box.to == MarketingStatus.MARKETING else "non-marketing"
    cols = st.columns([1, 1, 2])
    if cols[0].button(f"Set as {word}", key="ct_dlg_confirm", type="primary", disabled=not ready):
        result = session.run(
            lambda: set_status(
                session.engine(),
                selection=box.target.selection,
                to=box.to,
                today=session.today(),
                actor=session.actor(),
                source_type="bulk_action",
                allow_tier_upgrade=bool(st.session_state.get("ct_dlg_upgrade")),
            )
        )
        if result is not None:
            state.finish(success_text(result))
    if cols[1].button("Cancel", key="ct_dlg_cancel"):
        state.cancel()


def _body(box: StatusDialog) -> None:
    p = box.preview
    st.markdown(f"**{contacts(p.selected)}**: {box.target.label}.")
    marketing = box.to == MarketingStatus.MARKETING
    if marketing:
        ready = _marketing_counts(box)
    else:
        _non_marketing_counts(box)
        ready = True
    ready = state.apply_to_all(box.target.scope, box.target.count) and ready
    if marketing and p.will_change:
        typed = st.text_input(
            f"Type **{p.will_change:,}** to confirm", key="ct_dlg_typed", placeholder=str(p.will_change)
        )
        ready = ready and typed_matches(typed, p.will_change)
    if not p.will_change:
        st.info("Nothing to change: every one of these contacts already has this status.")
    refused = simulation.writes_refused("Changing status")
    _confirm(box, ready and p.will_change > 0 and not refused)


@st.dialog("Set as non-marketing", width="large", on_dismiss=state.close_dialog)
def _non_marketing_dialog(box: StatusDialog) -> None:
    _body(box)


@st.dialog("Set as marketing", width="large", on_dismiss=state.close_dialog)
def _marketing_dialog(box: StatusDialog) -> None:
    _body(box)


def open_status(to: MarketingStatus, target: Target) -> None:
    """Preview once, when the dialog opens: the counts shown are the ones the user confirms."""
    engine, today = session.engine(), session.today()
    preview = session.run(lambda: preview_status_change(engine, selection=target.selection, to=to, today=today))
    usage = session.run(lambda: get_usage(engine, today=today))
    if preview is not None and usage is not None:
        state.open_dialog(StatusDialog(target, to, preview, usage.next_update_date, usage.currency))


def show_dialog() -> None:
    box = state.dialog()
    if isinstance(box, StatusDialog):
        (_marketing_dialog if box.to == MarketingStatus.MARKETING else _non_marketing_dialog)(box)
