"""Usage & limits, Manage marketing contacts (docs/domain.md §6.1): intro → Unengaged contacts → Filters and lists →
Review and update → done. The state lives in st.session_state; nothing is written before Update contacts."""

from __future__ import annotations

from datetime import date

import streamlit as st

from core.services import wizard
from pages.shared import session
from pages.shared.filter_builder import filter_builder
from pages.shared.i18n import _, ngettext, pgettext
from pages.usage import _wizard_review as review_step
from pages.usage._wizard_flow import FILTER_KEY, buttons, go


def _intro(next_update: date) -> None:
    st.markdown(
        _(
            "Clean up contacts you no longer market to. The ones you pick stay marketing contacts, and billed, "
            "until the next update date (**{day}**); from then on they stop counting. "
            "Nothing changes until you confirm on the last step.",
            day=next_update,
        )
    )
    if st.button(_("Start"), key="wiz_start", type="primary", icon=":material/cleaning_services:"):
        go("unengaged")


def _unengaged(today: date) -> None:
    st.subheader(_("1. Unengaged contacts"), anchor=False)
    counts = session.run(lambda: wizard.unengaged_counts(session.engine(), today=today))
    if counts is not None:
        cols = st.columns(4)
        cols[0].metric(
            pgettext("contacts", "Hard bounced"),
            session.number(counts.hard_bounced),
            help=_("Marketing contacts, not yet pending"),
        )
        cols[1].metric(pgettext("contacts", "Unsubscribed from all email"), session.number(counts.unsubscribed))
        cols[2].metric(_("Unengaged marketing contacts"), session.number(counts.marketing), help=_("Either of the two"))
        cols[3].metric(_("Already pending or non-marketing"), session.number(counts.not_included))
        st.caption(
            ngettext(
                "Preselected: **Next** includes these {n} contacts, **Skip** leaves them out.",
                "Preselected: **Next** includes these {n} contacts, **Skip** leaves them out.",
                counts.marketing,
            )
        )
    clicked_next, clicked_skip = buttons(back="intro", skip=True)
    if clicked_next or clicked_skip:
        go("filters", wiz_unengaged=clicked_next)


def _filters(today: date) -> None:
    st.subheader(_("2. Filters and lists"), anchor=False)
    conditions = filter_builder(FILTER_KEY)
    names = session.run(lambda: wizard.static_list_names(session.engine())) or []
    chosen = [n for n in st.session_state.get("wiz_lists", []) if n in names]
    lists = st.multiselect(
        _("Static lists"), names, default=chosen, key="wiz_lists_pick", placeholder=_("Choose lists")
    )
    if conditions or lists:
        change = session.run(  # the filter and lists alone: how many contacts they add to step 1's
            lambda: wizard.preview(
                session.engine(),
                selection=wizard.wizard_selection(unengaged=False, conditions=conditions, lists=lists),
                today=today,
            )
        )
        if change is not None:
            st.metric(_("Matching marketing contacts"), session.number(change.scheduled))
            st.caption(
                ngettext(
                    "{n} contacts match; {unchanged} are already pending or non-marketing.",
                    "{n} contacts match; {unchanged} are already pending or non-marketing.",
                    change.selected,
                    unchanged=change.unchanged,
                )
            )
    if st.session_state.get("wiz_unengaged"):
        st.caption(_("The unengaged contacts from step 1 are included as well."))
    clicked_next, _skip = buttons(back="unengaged")
    if clicked_next:
        go("review", wiz_conditions=conditions, wiz_lists=lists)


def render(today: date, next_update: date) -> None:
    """Draw the wizard's current step."""
    step = st.session_state.get("wiz_step", "intro")
    if step == "done" and st.session_state.get("wiz_result") is not None:
        review_step.done()
    elif step == "unengaged":
        _unengaged(today)
    elif step == "filters":
        _filters(today)
    elif step == "review":
        review_step.review(today)
    else:
        _intro(next_update)
