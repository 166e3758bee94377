"""Usage & limits, Manage marketing contacts (DOMAIN.md §6.1): intro → Unengaged contacts → Filters and lists →
Review and update → done. The state lives in st.session_state; nothing is written before Update contacts."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from core.services import wizard
from pages.shared import common
from pages.shared.filter_builder import clear, filter_builder
from pages.usage._simulator import effect_metrics

FILTER_KEY = "wiz_filter"
STATE = ("wiz_step", "wiz_unengaged", "wiz_conditions", "wiz_lists", "wiz_result")


def _go(step: str, **values: Any) -> None:
    st.session_state.update(wiz_step=step, **values)
    st.rerun()


def _reset() -> None:
    for key in STATE:
        st.session_state.pop(key, None)
    clear(FILTER_KEY)
    st.rerun()


def _buttons(
    *,
    back: str | None,
    next_label: str = "Next",
    next_key: str = "wiz_next",
    disabled: bool = False,
    skip: bool = False,
) -> tuple[bool, bool]:
    """Back / Next / Skip / Cancel in one row; returns (next clicked, skip clicked)."""
    row = st.container(horizontal=True)
    if back and row.button("Back", key="wiz_back", icon=":material/arrow_back:"):
        _go(back)
    clicked_next = row.button(next_label, key=next_key, type="primary", disabled=disabled)
    clicked_skip = skip and row.button("Skip", key="wiz_skip")
    if row.button("Cancel", key="wiz_cancel"):
        _reset()
    return clicked_next, clicked_skip


def _intro(next_update: date) -> None:
    st.markdown(
        "Clean up contacts you no longer market to. The ones you pick stay marketing contacts, and billed, "
        f"until the next update date (**{next_update:%d %b %Y}**); from then on they stop counting. "
        "Nothing changes until you confirm on the last step."
    )
    if st.button("Start", key="wiz_start", type="primary", icon=":material/cleaning_services:"):
        _go("unengaged")


def _unengaged(today: date) -> None:
    st.subheader("1. Unengaged contacts", anchor=False)
    counts = common.run(lambda: wizard.unengaged_counts(common.engine(), today=today))
    if counts is not None:
        cols = st.columns(4)
        cols[0].metric("Hard bounced", common.number(counts.hard_bounced), help="Marketing contacts, not yet pending")
        cols[1].metric("Unsubscribed from all email", common.number(counts.unsubscribed))
        cols[2].metric("Unengaged marketing contacts", common.number(counts.marketing), help="Either of the two")
        cols[3].metric("Already pending or non-marketing", common.number(counts.not_included))
        st.caption(f"Preselected: **Next** includes these {counts.marketing:,} contacts, **Skip** leaves them out.")
    clicked_next, clicked_skip = _buttons(back="intro", skip=True)
    if clicked_next or clicked_skip:
        _go("filters", wiz_unengaged=clicked_next)


def _filters(today: date) -> None:
    st.subheader("2. Filters and lists", anchor=False)
    conditions = filter_builder(FILTER_KEY)
    names = common.run(lambda: wizard.static_list_names(common.engine())) or []
    chosen = [n for n in st.session_state.get("wiz_lists", []) if n in names]
    lists = st.multiselect("Static lists", names, default=chosen, key="wiz_lists_pick", placeholder="Choose lists")
    if conditions or lists:
        chosen_only = {"unengaged": False, "conditions": conditions, "lists": lists}
        change = common.run(
            lambda: wizard.preview(common.engine(), selection=wizard.wizard_selection(**chosen_only), today=today)
        )
        if change is not None:
            st.metric("Matching marketing contacts", common.number(change.scheduled))
            st.caption(
                f"{change.selected:,} contacts match; {change.unchanged:,} are already pending or non-marketing."
            )
    if st.session_state.get("wiz_unengaged"):
        st.caption("The unengaged contacts from step 1 are included as well.")
    clicked_next, _ = _buttons(back="unengaged")
    if clicked_next:
        _go("review", wiz_conditions=conditions, wiz_lists=lists)


def _review(today: date) -> None:
    st.subheader("3. Review and update", anchor=False)
    state = st.session_state
    selection = common.run(
        lambda: wizard.wizard_selection(
            unengaged=bool(state.get("wiz_unengaged")),
            conditions=state.get("wiz_conditions", []),
            lists=state.get("wiz_lists", []),
        )
    )
    review = common.run(lambda: wizard.review(common.engine(), selection=selection, today=today)) if selection else None
    change = review.change if review else None
    if selection and review and change:
        on = review.effect.next_update_date
        cols = st.columns(3)
        cols[0].metric("Marketing contacts now", common.number(change.marketing_before))
        cols[1].metric("Become non-marketing", common.number(change.scheduled), help=f"On {on:%d %b %Y}")
        cols[2].metric("Not included", common.number(change.unchanged), help="Already pending or non-marketing")
        effect_metrics(review.effect)
        st.caption(
            f"Selected: {selection.describe()}. They become non-marketing on the next update date, {on:%d %b %Y}."
        )
        if not change.scheduled:
            st.warning(
                "No marketing contact is selected: go back and include the unengaged contacts, a filter or a list."
            )
    refused = common.writes_refused("Update contacts")
    nothing = not (change and change.scheduled)
    clicked, _ = _buttons(
        back="filters", next_label="Update contacts", next_key="wiz_update", disabled=refused or nothing
    )
    if clicked and selection is not None:
        update = wizard.update_contacts
        result = common.run(lambda: update(common.engine(), selection=selection, today=today, actor=common.actor()))
        if result is not None:
            _go("done", wiz_result=result)


def _done() -> None:
    result = st.session_state["wiz_result"]
    when = f"on {result.effective_on:%d %b %Y}" if result.effective_on else "on the next update date"
    st.success(
        f"Contacts updated: {result.scheduled:,} become non-marketing {when} (marketing until then); "
        f"{result.unchanged:,} not included (already pending or non-marketing).",
        icon=":material/check_circle:",
    )
    if st.button("Manage more contacts", key="wiz_again"):
        _reset()


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
