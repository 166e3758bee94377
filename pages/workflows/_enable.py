"""Dry run, enable (with consent when the billed tier would rise), disable and delete a saved workflow."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.services.workflows import definitions as service
from pages.shared import common
from pages.workflows._log import flash


def _who() -> dict[str, Any]:
    return {"today": common.today(), "actor": common.actor()}


def _dry_run(engine: Any, chosen: Any) -> None:
    dry = common.run(lambda: service.dry_run(engine, today=common.today(), workflow_id=chosen.id))
    if dry is not None:
        st.session_state["wf_dry"] = (chosen.id, chosen.revision, dry)


def _delta(n: int) -> str | None:
    return f"{n:+,}" if n else None


def _show(dry: Any) -> None:
    n = common.number
    cols = st.columns(2)
    cols[0].metric("Would enroll now", n(dry.would_enroll), help="Matching contacts not enrolled yet")
    cols[1].metric("Already waiting", n(dry.waiting), help="Enrolled contacts waiting for their next action")
    cols = st.columns(2)
    delta = dry.marketing_after - dry.marketing_before
    cols[0].metric("Marketing contacts now", n(dry.marketing_after), delta=_delta(delta), delta_color="inverse")
    later = dry.marketing_next_update_after - dry.marketing_next_update_before
    cols[1].metric(
        f"Marketing from {dry.next_update_date:%d %b}",
        n(dry.marketing_next_update_after),
        delta=_delta(later),
        delta_color="inverse",
        help=f"After the next update date ({dry.next_update_date:%d %b %Y}): contacts set non-marketing have left",
    )
    cols = st.columns(2)
    cols[0].metric("Billed tier", n(dry.tier_limit_after), delta=_delta(dry.tier_limit_after - dry.tier_limit_before))
    cols[1].metric("Monthly price", f"{dry.monthly_price_after:,} {dry.currency}")
    if dry.scheduled:
        st.caption(
            f"{dry.scheduled:,} marketing contacts would become non-marketing on {dry.next_update_date:%d %b %Y}."
        )


def _enable(engine: Any, chosen: Any, dry: Any) -> None:
    if dry.tier_goes_up:
        st.warning(
            f"Enabling raises the billed tier at once from **{dry.tier_limit_before:,}** to "
            f"**{dry.tier_limit_after:,}** contacts: {dry.monthly_price_before:,} → {dry.monthly_price_after:,} "
            f"{dry.currency} a month.",
            icon=":material/warning:",
        )
        consent = st.checkbox(f"I agree to the {dry.tier_limit_after:,}-contact tier", key="wf_consent")
    else:
        consent = False
    allowed = consent or not dry.tier_goes_up
    if st.button("Enable", key="wf_enable", type="primary", icon=":material/play_circle:", disabled=not allowed):
        enabled = common.run(
            lambda: service.enable_workflow(
                engine, chosen.id, today=common.today(), actor=common.actor(), allow_tier_upgrade=consent
            )
        )
        if enabled is not None:
            flash("success", f"Workflow {chosen.name!r} enabled: contacts enroll at the next run (or Run now).")
            st.session_state.pop("wf_dry", None)
            st.rerun()


def _delete(engine: Any, chosen: Any) -> None:
    with st.expander("Delete this workflow"):
        st.caption("Its enrollments and run log go too; the status changes it made stay in the audit trail.")
        sure = st.checkbox(f"Delete {chosen.name!r}", key="wf_delete_confirm")
        clicked = st.button("Delete", key="wf_delete", disabled=not sure, icon=":material/delete:")
        if clicked and common.run(lambda: service.delete_workflow(engine, chosen.id, **_who())):
            flash("success", f"Workflow {chosen.name!r} deleted.")
            st.session_state["wf_pick_next"] = 0
            st.rerun()


def panel(engine: Any, chosen: Any, *, refused: bool) -> None:
    """State, dry run and the enable / disable / delete buttons of a saved workflow."""
    st.subheader("Dry run & enable")
    if chosen.enabled:
        st.success(f"On since {chosen.enabled_at:%d %b %Y %H:%M} (by {chosen.enabled_by}).", icon=":material/check:")
    else:
        st.info("Off: nobody enrolls and waiting enrollments pause.", icon=":material/pause_circle:")
    if chosen.blocked:
        st.error(chosen.blocked, icon=":material/block:")
    st.button("Dry run", key="wf_dry_run", icon=":material/science:", on_click=_dry_run, args=(engine, chosen))
    stored = st.session_state.get("wf_dry")
    dry = stored[2] if stored and stored[:2] == (chosen.id, chosen.revision) else None
    if dry is not None:
        _show(dry)
    if common.writes_refused("Enabling and disabling workflows"):
        return
    if chosen.enabled:
        if dry is not None and chosen.blocked:
            _enable(engine, chosen, dry)  # consent again to go past the tier it stopped at
        clicked = st.button("Disable", key="wf_disable", icon=":material/pause:")
        if clicked and common.run(lambda: service.disable_workflow(engine, chosen.id, **_who())):
            flash("success", f"Workflow {chosen.name!r} disabled.")
            st.rerun()
    elif dry is None:
        st.caption("Dry-run it to see who would enroll and what it does to your count and tier, then enable it.")
    elif not refused:
        _enable(engine, chosen, dry)
    _delete(engine, chosen)
