"""Usage & limits, Manage marketing contacts (docs/domain.md §6.1): intro → Unengaged contacts → Filters and lists →
Review and update → done. The state lives in st.session_state; nothing is written before Update contacts."""

from __future__ import annotations

from datetime import date

import streamlit as st

from core.rules.confirmation import Confirmed
from core.rules.selection import Selection
from core.services import wizard
from pages.shared import allowed, session, text
from pages.shared.allowed import Action
from pages.shared.filter_builder import filter_builder
from pages.shared.i18n import _, ngettext, pgettext, t
from pages.shared.messages import outdated_text
from pages.usage._simulator import effect_metrics
from pages.usage._wizard_flow import FILTER_KEY, SHOWN, buttons, go, reset


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


def _figures(selection: Selection, review: wizard.Review) -> None:
    change, on = review.change, review.effect.next_update_date
    cols = st.columns(3)
    cols[0].metric(_("Marketing contacts now"), session.number(change.marketing_before))
    cols[1].metric(_("Become non-marketing"), session.number(change.scheduled), help=_("On {day}", day=on))
    cols[2].metric(_("Not included"), session.number(change.unchanged), help=_("Already pending or non-marketing"))
    effect_metrics(review.effect)
    st.caption(
        _(
            "Selected: {selection}. They leave on the next update date, {day}.",
            selection=text.plain(selection.describe(t())),
            day=on,
        )
    )
    if not change.scheduled:
        st.warning(
            _("No marketing contact is selected: go back and include the unengaged contacts, a filter or a list.")
        )


def _update(selection: Selection, today: date, shown: Confirmed | None) -> None:
    """Update contacts with the figures the Review showed when the button was pressed: if the change would now
    differ, nothing is written and the Review (already redrawn with the new figures) says what changed."""
    refused: list[str] = []
    result = session.run(
        lambda: wizard.update_contacts(
            session.engine(), selection=selection, today=today, actor=session.actor(), confirmed=shown
        ),
        outdated=lambda exc: refused.extend(exc.differences),
    )
    if refused:
        st.warning(outdated_text(refused), icon=":material/sync_problem:")
    if result is not None:
        go("done", wiz_result=result)


def _review(today: date) -> None:
    st.subheader(_("3. Review and update"), anchor=False)
    state = st.session_state
    shown = state.pop(SHOWN, None)  # the Review's figures as drawn before this run: what Update contacts confirms
    selection = session.run(
        lambda: wizard.wizard_selection(
            unengaged=bool(state.get("wiz_unengaged")),
            conditions=state.get("wiz_conditions", []),
            lists=state.get("wiz_lists", []),
        )
    )
    review = (
        session.run(lambda: wizard.review(session.engine(), selection=selection, today=today)) if selection else None
    )
    if selection and review:
        _figures(selection, review)
        state[SHOWN] = Confirmed(changes=review.change.will_change)
    refused = bool(allowed.refused(Action.CHANGE_STATUS))
    nothing = not (review and review.change.scheduled)
    clicked, _skip = buttons(
        back="filters", next_label=_("Update contacts"), next_key="wiz_update", disabled=refused or nothing
    )
    if clicked and selection is not None:
        _update(selection, today, shown if isinstance(shown, Confirmed) else None)


def _done() -> None:
    result = st.session_state["wiz_result"]
    if result.effective_on:
        done = ngettext(
            "Contacts updated: {n} become non-marketing on {day} (marketing until then); {unchanged} not included "
            "(already pending or non-marketing).",
            "Contacts updated: {n} become non-marketing on {day} (marketing until then); {unchanged} not included "
            "(already pending or non-marketing).",
            result.scheduled,
            day=result.effective_on,
            unchanged=result.unchanged,
        )
    else:
        done = ngettext(
            "Contacts updated: {n} become non-marketing on the next update date (marketing until then); "
            "{unchanged} not included (already pending or non-marketing).",
            "Contacts updated: {n} become non-marketing on the next update date (marketing until then); "
            "{unchanged} not included (already pending or non-marketing).",
            result.scheduled,
            unchanged=result.unchanged,
        )
    st.success(done, icon=":material/check_circle:")
    if st.button(_("Manage more contacts"), key="wiz_again"):
        reset()


def render(today: date, next_update: date) -> None:
    """Draw the wizard's current step."""
    step = st.session_state.get("wiz_step", "intro")
    if step == "done" and st.session_state.get("wiz_result") is not None:
        _done()
    elif step == "unengaged":
        _unengaged(today)
    elif step == "filters":
        _filters(today)
    elif step == "review":
        _review(today)
    else:
        _intro(next_update)
