"""Dry run, enable (with consent when the billed tier would rise), disable and delete a saved workflow."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.services.workflows import definitions as service
from core.services.workflows.definitions import Workflow
from core.services.workflows.dry_run import WorkflowDryRun
from pages.shared import allowed, session
from pages.shared.allowed import Action
from pages.shared.messages import flash
from pages.shared.text import plain
from pages.workflows import _dry_run as dry_runs


def _enable(engine: Any, chosen: Workflow, dry: WorkflowDryRun) -> None:
    session.apply_resets("wf_consent")  # after a refused Enable: consent again, to the new figures
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
        enabled = session.run(  # what the dry run showed binds: if it changed, a new dry run to consent to
            lambda: service.enable_workflow(
                engine, chosen.id, today=session.today(), actor=session.actor(), confirmed=dry_runs.promise(dry)
            ),
            outdated=lambda exc: dry_runs.refused(engine, chosen, exc),
        )
        if enabled is not None:
            flash(f"Workflow {chosen.name!r} enabled: contacts enroll at the next run (or Run now).")
            st.session_state.pop(dry_runs.KEY, None)
            st.rerun()


def _delete(engine: Any, chosen: Workflow) -> None:
    with st.expander("Delete this workflow"):
        st.caption("Its enrollments and run log go too; the status changes it made stay in the audit trail.")
        sure = st.checkbox(f"Delete {plain(repr(chosen.name))}", key="wf_delete_confirm")
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
        st.success(
            f"On since {chosen.enabled_at:%d %b %Y %H:%M} (by {plain(chosen.enabled_by)}).", icon=":material/check:"
        )
    else:
        st.info("Off: nobody enrolls and waiting enrollments pause.", icon=":material/pause_circle:")
    if chosen.blocked:
        st.error(plain(chosen.blocked), icon=":material/block:")
    st.button("Dry run", key="wf_dry_run", icon=":material/science:", on_click=dry_runs.take, args=(engine, chosen))
    stored = dry_runs.shown(chosen)
    if stored is not None:
        dry_runs.show(stored)
    dry = stored.result if stored is not None else None
    if allowed.refused(Action.MANAGE_WORKFLOWS):
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
