"""The wizard's last steps (docs/domain.md §6.1): Review and update — the figures of what Update contacts would do,
bound to what was shown (docs/domain.md §10) — and the done message."""

from __future__ import annotations

from datetime import date

import streamlit as st

from core.rules.confirmation import Confirmed
from core.rules.selection import Selection
from core.services import wizard
from pages.shared import allowed, session, text
from pages.shared.allowed import Action
from pages.shared.i18n import _, ngettext, t
from pages.shared.messages import outdated_text
from pages.usage._simulator import effect_metrics
from pages.usage._wizard_flow import SHOWN, buttons, go, reset


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


def review(today: date) -> None:
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


def done() -> None:
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
