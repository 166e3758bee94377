"""Dry run, enable (with consent when the billed tier would rise), disable and delete a saved workflow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from core.services.workflows import definitions as service
from core.services.workflows.definitions import Workflow
from core.services.workflows.dry_run import WorkflowDryRun
from pages.shared import session, simulation
from pages.shared.messages import flash


@dataclass(frozen=True)
class DryRunShown:
    """The last dry run, shown while its workflow stays at the revision it ran on."""

    workflow_id: int
    revision: int
    result: WorkflowDryRun


def _dry_run(engine: Any, chosen: Workflow) -> None:
    dry = session.run(lambda: service.dry_run(engine, today=session.today(), workflow_id=chosen.id))
    if dry is not None:
        st.session_state["wf_dry"] = DryRunShown(chosen.id, chosen.revision, dry)


def _shown(chosen: Workflow) -> WorkflowDryRun | None:
    stored = st.session_state.get("wf_dry")
    if isinstance(stored, DryRunShown) and (stored.workflow_id, stored.revision) == (chosen.id, chosen.revision):
        return stored.result
    return None


def _delta(n: int) -> str | None:
    return f"{n:+,}" if n else None


def _show(dry: WorkflowDryRun) -> None:
    n = session.number
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


def _enable(engine: Any, chosen: Workflow, dry: WorkflowDryRun) -> None:
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
        enabled = session.run(
            lambda: service.enable_workflow(
                engine, chosen.id, today=session.today(), actor=session.actor(), allow_tier_upgrade=consent
            )
        )
        if enabled is not None:
            flash(f"Workflow {chosen.name!r} enabled: contacts enroll at the next run (or Run now).")
            st.session_state.pop("wf_dry", None)
            st.rerun()


def _delete(engine: Any, chosen: Workflow) -> None:
    with st.expander("Delete this workflow"):
        st.caption("Its enrollments and run log go too; the status changes it made stay in the audit trail.")
        sure = st.checkbox(f"Delete {chosen.name!r}", key="wf_delete_confirm")
        if not st.button("Delete", key="wf_delete", disabled=not sure, icon=":material/delete:"):
            return
        deleted = session.run(
            lambda: service.delete_workflow(engine, chosen.id, today=session.today(), actor=session.actor())
        )
        if deleted:
            flash(f"Workflow {chosen.name!r} deleted.")
            st.session_state["wf_pick_next"] = 0
            st.rerun()


def _disable(engine: Any, chosen: Workflow) -> None:
    disabled = session.run(
        lambda: service.disable_workflow(engine, chosen.id, today=session.today(), actor=session.actor())
    )
    if disabled is not None:
        flash(f"Workflow {chosen.name!r} disabled.")
        st.rerun()


def panel(engine: Any, chosen: Workflow, *, refused: bool) -> None:
    """State, dry run and the enable / disable / delete buttons of a saved workflow."""
    st.subheader("Dry run & enable")
    if chosen.enabled:
        st.success(f"On since {chosen.enabled_at:%d %b %Y %H:%M} (by {chosen.enabled_by}).", icon=":material/check:")
    else:
        st.info("Off: nobody enrolls and waiting enrollments pause.", icon=":material/pause_circle:")
    if chosen.blocked:
        st.error(chosen.blocked, icon=":material/block:")
    st.button("Dry run", key="wf_dry_run", icon=":material/science:", on_click=_dry_run, args=(engine, chosen))
    dry = _shown(chosen)
    if dry is not None:
        _show(dry)
    if simulation.writes_refused("Enabling and disabling workflows"):
        return
    if chosen.enabled:
        if dry is not None and chosen.blocked:
            _enable(engine, chosen, dry)  # consent again to go past the tier it stopped at
        if st.button("Disable", key="wf_disable", icon=":material/pause:"):
            _disable(engine, chosen)
    elif dry is None:
        st.caption("Dry-run it to see who would enroll and what it does to your count and tier, then enable it.")
    elif not refused:
        _enable(engine, chosen, dry)
    _delete(engine, chosen)
