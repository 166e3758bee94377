"""A saved workflow's dry run as the Workflows page shows it: taken on Dry run, kept while the workflow stays at
the revision it ran on, and replaced by a new one when enabling on it was refused because the figures changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from core.errors import ConfirmationOutdated
from core.rules.confirmation import Confirmed
from core.services.workflows import definitions as service
from core.services.workflows.definitions import Workflow
from core.services.workflows.dry_run import WorkflowDryRun
from pages.shared import i18n, session
from pages.shared.i18n import _, ngettext
from pages.shared.messages import outdated_text
from pages.shared.money import money_line

KEY = "wf_dry"


@dataclass(frozen=True)
class DryRunShown:
    """The last dry run, shown while its workflow stays at the revision it ran on; ``outdated``: why enabling on
    the previous one was refused."""

    workflow_id: int
    revision: int
    result: WorkflowDryRun
    outdated: tuple[str, ...] = ()


def take(engine: Any, chosen: Workflow, outdated: tuple[str, ...] = ()) -> None:
    dry = session.run(lambda: service.dry_run(engine, today=session.today(), workflow_id=chosen.id))
    if dry is not None:
        st.session_state[KEY] = DryRunShown(chosen.id, chosen.revision, dry, outdated)


def shown(chosen: Workflow) -> DryRunShown | None:
    stored = st.session_state.get(KEY)
    if isinstance(stored, DryRunShown) and (stored.workflow_id, stored.revision) == (chosen.id, chosen.revision):
        return stored
    return None


def promise(dry: WorkflowDryRun) -> Confirmed:
    """What enabling on this dry run confirms: who would enroll now, the billed tier and the monthly price after."""
    return Confirmed(dry.would_enroll, dry.tier_limit_after, dry.monthly_price_after)


def refused(engine: Any, chosen: Workflow, exc: ConfirmationOutdated) -> None:
    """Enabling was refused because the figures changed: a new dry run, the consent asked again."""
    take(engine, chosen, tuple(exc.differences))
    session.reset_later(wf_consent=False)
    st.rerun()


def _delta(n: int) -> str | None:
    """``+1,583`` / ``-1 583`` (the metric reads the sign), None for no change."""
    return ("+" if n > 0 else "-") + session.number(abs(n)) if n else None


def show(stored: DryRunShown) -> None:
    dry, n = stored.result, session.number
    if stored.outdated:
        st.warning(outdated_text(list(stored.outdated), what="the contacts"), icon=":material/sync_problem:")
    cols = st.columns(2)
    cols[0].metric(_("Would enroll now"), n(dry.would_enroll), help=_("Matching contacts not enrolled yet"))
    cols[1].metric(_("Already waiting"), n(dry.waiting), help=_("Enrolled contacts waiting for their next action"))
    cols = st.columns(2)
    delta = dry.marketing_after - dry.marketing_before
    cols[0].metric(_("Marketing contacts now"), n(dry.marketing_after), delta=_delta(delta), delta_color="inverse")
    later = dry.marketing_next_update_after - dry.marketing_next_update_before
    cols[1].metric(
        _("Marketing from {day}", day=i18n.t().day_month(dry.next_update_date)),
        n(dry.marketing_next_update_after),
        delta=_delta(later),
        delta_color="inverse",
        help=_("After the next update date ({day}): contacts set non-marketing have left", day=dry.next_update_date),
    )
    cols = st.columns(2)
    cols[0].metric(
        _("Billed tier"), n(dry.tier_limit_after), delta=_delta(dry.tier_limit_after - dry.tier_limit_before)
    )
    cols[1].metric(_("Monthly price"), i18n.money(dry.monthly_price_after, dry.currency))
    money_line(dry.money)
    if dry.scheduled:
        st.caption(
            ngettext(  # the English has always said "contacts", even for one
                "{n} marketing contacts would become non-marketing on {day}.",
                "{n} marketing contacts would become non-marketing on {day}.",
                dry.scheduled,
                day=dry.next_update_date,
            )
        )
