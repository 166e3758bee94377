"""Dry run, enable (with consent when the billed tier would rise), disable and delete a saved workflow."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.services.workflows import definitions as service
from core.services.workflows.definitions import Workflow
from core.services.workflows.dry_run import WorkflowDryRun
from core.services.workflows.engine import said
from pages.shared import allowed, i18n, session
from pages.shared.allowed import Action
from pages.shared.i18n import _, ngettext
from pages.shared.messages import flash
from pages.shared.text import plain
from pages.workflows import _dry_run as dry_runs


def amount(value: int, currency: str) -> str:
    """An amount of money without its currency (``1,140`` / ``1 140,00``), said once after a second amount."""
    return i18n.money(value, currency).replace(currency, "").strip()


def _enable(engine: Any, chosen: Workflow, dry: WorkflowDryRun) -> None:
    session.apply_resets("wf_consent")  # after a refused Enable: consent again, to the new figures
    if dry.tier_goes_up:
        st.warning(
            _(
                "Enabling raises the billed tier at once from **{before}** to **{after}** contacts: "
                "{price_before} → {price_after} a month.",
                before=dry.tier_limit_before,
                after=dry.tier_limit_after,
                price_before=amount(dry.monthly_price_before, dry.currency),
                price_after=i18n.money(dry.monthly_price_after, dry.currency),
            ),
            icon=":material/warning:",
        )
        consent = st.checkbox(
            ngettext("I agree to the {n}-contact tier", "I agree to the {n}-contact tier", dry.tier_limit_after),
            key="wf_consent",
        )
    else:
        consent = False
    allowed = consent or not dry.tier_goes_up
    if st.button(_("Enable"), key="wf_enable", type="primary", icon=":material/play_circle:", disabled=not allowed):
        enabled = session.run(  # what the dry run showed binds: if it changed, a new dry run to consent to
            lambda: service.enable_workflow(
                engine, chosen.id, today=session.today(), actor=session.actor(), confirmed=dry_runs.promise(dry)
            ),
            outdated=lambda exc: dry_runs.refused(engine, chosen, exc),
        )
        if enabled is not None:
            flash(_("Workflow {name} enabled: contacts enroll at the next run (or Run now).", name=repr(chosen.name)))
            st.session_state.pop(dry_runs.KEY, None)
            st.rerun()


def _delete(engine: Any, chosen: Workflow) -> None:
    with st.expander(_("Delete this workflow")):
        st.caption(_("Its enrollments and run log go too; the status changes it made stay in the audit trail."))
        sure = st.checkbox(_("Delete {name}", name=plain(repr(chosen.name))), key="wf_delete_confirm")
        if not st.button(_("Delete"), key="wf_delete", disabled=not sure, icon=":material/delete:"):
            return
        deleted = session.run(
            lambda: service.delete_workflow(engine, chosen.id, today=session.today(), actor=session.actor())
        )
        if deleted:
            flash(_("Workflow {name} deleted.", name=repr(chosen.name)))
            st.session_state["wf_pick_next"] = 0
            st.rerun()


def _disable(engine: Any, chosen: Workflow) -> None:
    disabled = session.run(
        lambda: service.disable_workflow(engine, chosen.id, today=session.today(), actor=session.actor())
    )
    if disabled is not None:
        flash(_("Workflow {name} disabled.", name=repr(chosen.name)))
        st.rerun()


def panel(engine: Any, chosen: Workflow, *, refused: bool) -> None:
    """State, dry run and the enable / disable / delete buttons of a saved workflow."""
    st.subheader(_("Dry run & enable"))
    if chosen.enabled:
        since = i18n.t().moment(chosen.enabled_at) if chosen.enabled_at else ""
        st.success(
            _("On since {since} (by {user}).", since=since, user=plain(chosen.enabled_by)), icon=":material/check:"
        )
    else:
        st.info(_("Off: nobody enrolls and waiting enrollments pause."), icon=":material/pause_circle:")
    if chosen.blocked:
        st.error(plain(said(chosen.blocked, i18n.t())), icon=":material/block:")
    st.button(_("Dry run"), key="wf_dry_run", icon=":material/science:", on_click=dry_runs.take, args=(engine, chosen))
    stored = dry_runs.shown(chosen)
    if stored is not None:
        dry_runs.show(stored)
    dry = stored.result if stored is not None else None
    if allowed.refused(Action.MANAGE_WORKFLOWS):
        return
    if chosen.enabled:
        if dry is not None and chosen.blocked:
            _enable(engine, chosen, dry)  # consent again to go past the tier it stopped at
        if st.button(_("Disable"), key="wf_disable", icon=":material/pause:"):
            _disable(engine, chosen)
    elif dry is None:
        st.caption(_("Dry-run it to see who would enroll and what it does to your count and tier, then enable it."))
    elif not refused:
        _enable(engine, chosen, dry)
    _delete(engine, chosen)
