"""The Contacts page's counts and table: one page of 50 read by keyset, rows selectable, Previous / Next."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from core.rules.status import STATE_PLURALS, State
from core.services.contacts import PAGE_SIZE, ContactQuery, MatchCounts, page_of_contacts
from pages.contacts import _state as state
from pages.contacts._rows import columns, frame, header, page_caption, sort_of
from pages.shared import i18n, session
from pages.shared.i18n import _


def _signature(query: ContactQuery) -> str:
    return f"{query.filter_json()}|{query.quick}|{query.sort}|{query.descending}"


def metrics(found: MatchCounts) -> None:
    cols = st.columns(4)
    cols[0].metric(_("Matching contacts"), i18n.number(found.total))
    cols[1].metric(
        _(STATE_PLURALS[State.MARKETING]),
        i18n.number(found.marketing),
        help=_("Billed: those until next update included"),
    )
    cols[2].metric(_(STATE_PLURALS[State.PENDING]), i18n.number(found.pending), help=_("Leave on the next update date"))
    cols[3].metric(_(STATE_PLURALS[State.NON_MARKETING]), i18n.number(found.non_marketing))


def _cursors(sig: str) -> list[Any]:
    if st.session_state.get("ct_signature") != sig:
        st.session_state["ct_signature"] = sig
        st.session_state["ct_cursors"] = [None]
    cursors: list[Any] = st.session_state.setdefault("ct_cursors", [None])
    return cursors


def _next(cursor: Any) -> None:
    st.session_state["ct_cursors"].append(cursor)


def _previous() -> None:
    if len(st.session_state["ct_cursors"]) > 1:
        st.session_state["ct_cursors"].pop()


@dataclass
class Page:
    data: pd.DataFrame
    next_cursor: Any
    key: str
    chosen: list[int]  # ids of the selected rows (read before the table is drawn, so actions can sit above it)


def _selection(picked: Any) -> dict[str, list[Any]]:
    """The grid's selection as a dict (a browser sends an object, AppTest and older state a dict)."""
    if not picked:
        return {}
    if isinstance(picked, dict):
        found: dict[str, list[Any]] = picked.get("selection") or {}
        return found
    return {"rows": list(picked.selection.rows), "columns": list(picked.selection.columns)}


def sort_by_header() -> None:
    """Before the sort widgets are drawn: a header clicked in the previous run sorts the whole matching set on
    the server (the same header again reverses it); the table's key changes with the sort, which clears the click."""
    previous = st.session_state.get("ct_table_key")
    clicked = (_selection(st.session_state.get(previous)) if previous else {}).get("columns") or []
    if not clicked:
        st.session_state.pop("ct_unsortable", None)
        return
    sort = sort_of(str(clicked[0]))
    if sort is None:
        st.session_state["ct_unsortable"] = str(clicked[0])
        return
    st.session_state.pop("ct_unsortable", None)
    if st.session_state.get("ct_sort") == sort:
        st.session_state["ct_desc"] = not st.session_state.get("ct_desc", True)
    else:
        st.session_state.update(ct_sort=sort, ct_desc=sort in ("created_at", "last_activity_at"))  # newest first


def load(query: ContactQuery) -> Page | None:
    """Read the current page (by keyset) and which of its rows are selected."""
    sig = _signature(query)
    cursors = _cursors(sig)
    found = session.run(
        lambda: page_of_contacts(
            session.engine(), query=query, after=cursors[-1], limit=PAGE_SIZE, today=session.today()
        )
    )
    if found is None:
        return None
    data = frame(found.rows)
    key = state.table_key(sig)
    rows = _selection(st.session_state.get(key)).get("rows", [])
    chosen = [int(data.iloc[i][header("ID")]) for i in rows if i < len(data)]
    return Page(data, found.next_cursor, key, chosen)


def draw(page: Page, total: int, query: ContactQuery) -> None:
    """The table (rows selectable) and Previous / Next."""
    if page.data.empty and total == 0:  # an empty grid drew its placeholder over the buttons below
        st.info(_("No contact matches this filter."), icon=":material/filter_alt_off:")
        return
    st.dataframe(
        page.data,
        key=page.key,
        on_select="rerun",
        selection_mode=["multi-row", "single-column"],  # a header click selects its column: no local sort
        hide_index=True,
        column_config=columns(query.sort, query.descending),
        width="stretch",
        height=min(35 * (len(page.data) + 1) + 3, 738),
    )
    cursors = st.session_state["ct_cursors"]
    first = (len(cursors) - 1) * PAGE_SIZE
    cols = st.columns([2, 2, 7], vertical_alignment="center")
    cols[0].button(
        _("Previous"), key="ct_prev", icon=":material/chevron_left:", disabled=len(cursors) == 1, on_click=_previous
    )
    cols[1].button(
        _("Next"),
        key="ct_next",
        icon=":material/chevron_right:",
        disabled=page.next_cursor is None,
        on_click=_next,
        args=(page.next_cursor,),
    )
    cols[2].caption(page_caption(len(cursors), first, len(page.data), total, st.session_state.get("ct_unsortable")))
