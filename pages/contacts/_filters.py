"""The Contacts page's filter area: quick filters, the filter builder, sort, saved views, the filter as JSON."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import streamlit as st

from core.rules.filters import FilterError, parse_filter
from core.services import views
from core.services.contacts import QUICK_FILTERS, SORT_LABELS, ContactQuery
from pages.contacts import _reads as reads
from pages.contacts import _state as state
from pages.shared import allowed, i18n, session
from pages.shared.allowed import Action
from pages.shared.filter_builder import filter_builder
from pages.shared.i18n import N_, _
from pages.shared.messages import flash
from pages.shared.text import plain

QUICK_OPTIONS = ["all", *QUICK_FILTERS]
QUICK_LABELS = {"all": N_("All contacts"), **QUICK_FILTERS}  # translated where shown


def _apply(query: ContactQuery) -> None:
    state.set_filter_rows([c.as_dict() for c in query.conditions])
    st.session_state.update(ct_quick=query.quick or "all", ct_sort=query.sort, ct_desc=query.descending)


def _load_view() -> None:
    name = st.session_state.get("ct_view")
    if not name:
        return
    view = session.run(lambda: views.get_view(session.engine(), name=name))
    if view is not None:
        _apply(view.query)


def _apply_json() -> None:
    text = st.session_state.get("ct_json", "")
    try:
        conditions = parse_filter(text) if text.strip() else ()
    except FilterError as exc:
        st.session_state["ct_json_error"] = exc.text(i18n.t())
        return
    st.session_state.pop("ct_json_error", None)
    state.set_filter_rows([c.as_dict() for c in conditions])


def _query(conditions: list[dict[str, Any]]) -> ContactQuery | None:
    quick = st.session_state.get("ct_quick", "all")
    try:
        return ContactQuery(
            conditions=parse_filter(conditions),
            quick=None if quick == "all" else quick,
            sort=st.session_state.get("ct_sort", "created_at"),
            descending=st.session_state.get("ct_desc", True),
        )
    except FilterError as exc:
        st.error(_("This filter cannot be used: {error}", error=exc.text(i18n.t())))
        return None


def _views_bar(query: ContactQuery | None, names: list[str], today: date) -> None:
    cols = st.columns([3, 3, 2, 2], vertical_alignment="bottom")
    cols[0].selectbox(
        _("Saved view"), ["", *names], key="ct_view", on_change=_load_view, format_func=lambda n: n or "—"
    )
    name = cols[1].text_input(_("Save this view as"), key="ct_view_name", placeholder=_("e.g. Unengaged leads"))
    taken = name.strip() in names
    replace = taken and st.checkbox(
        _("Replace the saved view “{name}” with this filter", name=plain(name.strip())), key="ct_view_replace"
    )
    refused = allowed.blocked(Action.EDIT_CONTACTS)
    disabled = query is None or not name.strip() or bool(refused) or (taken and not replace)
    if cols[2].button(
        _("Save view"), key="ct_view_save", disabled=disabled, icon=":material/bookmark_add:", help=refused
    ):
        assert query is not None
        saved = session.run(
            lambda: views.save_view(
                session.engine(), name=name, query=query, today=today, actor=session.actor(), overwrite=replace
            )
        )
        if saved is not None:
            flash(_("Saved the view “{name}”.", name=saved.name))
            st.rerun()
    chosen = st.session_state.get("ct_view")
    with cols[3].popover(_("Delete view"), disabled=not chosen or bool(refused), help=refused):
        st.markdown(_("Delete the saved view “{name}”? The contacts are not touched.", name=plain(chosen)))
        delete = st.button(_("Delete the view"), key="ct_view_delete", type="primary")
    if (
        delete
        and chosen
        and session.run(lambda: views.delete_view(session.engine(), name=chosen, today=today, actor=session.actor()))
    ):
        st.session_state.pop("ct_view", None)
        flash(_("Deleted the view “{name}”.", name=chosen))
        st.rerun()
    allowed.note(refused)


def render(today: date) -> ContactQuery | None:
    """Draw the filter area; the query it describes (None while the filter is invalid)."""
    for key, default in (("ct_quick", "all"), ("ct_sort", "created_at"), ("ct_desc", True)):
        st.session_state.setdefault(key, default)
    st.radio(
        _("Quick filter"),
        QUICK_OPTIONS,
        key="ct_quick",
        horizontal=True,
        format_func=lambda option: _(QUICK_LABELS[option]),
        label_visibility="collapsed",
    )
    list_names = [i.name for i in reads.static_lists()]
    view_names = [v.name for v in session.run(lambda: views.list_views(session.engine())) or []]
    with st.expander(
        _("Filters, sort and saved views"), expanded=bool(st.session_state.get(f"{state.FILTER_KEY}__rows"))
    ):
        conditions = filter_builder(state.FILTER_KEY, list_names=list_names)
        cols = st.columns([2, 2, 4], vertical_alignment="bottom")
        cols[0].selectbox(_("Sort by"), list(SORT_LABELS), key="ct_sort", format_func=lambda key: _(SORT_LABELS[key]))
        cols[1].toggle(_("Descending (newest / Z first)"), key="ct_desc")
        query = _query(conditions)
        _views_bar(query, view_names, today)
        with st.popover(_("Filter as JSON"), icon=":material/data_object:"):
            st.caption(_("The same filter model as `python -m core set-status --filter '...'`."))
            if st.session_state.get("ct_quick") == "unengaged":
                st.caption(
                    _(
                        "The Unengaged quick filter is not part of this JSON: on the command line it is "
                        "`--unengaged`, which stands alone (no `--filter` with it)."
                    )
                )
            shown = query.filter_json() if query else json.dumps(conditions)
            st.code(shown, language="json", wrap_lines=True)
            st.text_area(_("Paste a filter (JSON list of conditions)"), key="ct_json", height=100)
            st.button(_("Use this filter"), key="ct_json_apply", on_click=_apply_json)
            if st.session_state.get("ct_json_error"):
                st.error(st.session_state["ct_json_error"])
    return query
