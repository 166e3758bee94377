"""The Contacts page's counts and table: one page of 50 read by keyset, rows selectable, Previous / Next."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from core.services.contact_detail import describe_source
from core.services.contacts import PAGE_SIZE, ContactQuery, MatchCounts, page_of_contacts
from pages.contacts import _state as state
from pages.shared import common

STATUS_TEXT = {"marketing": "Marketing", "non_marketing": "Non-marketing"}
COLUMN_ORDER = [
    "ID",
    "Email",
    "Name",
    "Lifecycle stage",
    "Marketing status",
    "Status set by",
    "Created",
    "Last activity",
]
COLUMNS = {  # widths add up to the page's width at 1400 px, so no column hides behind a scroll bar
    "ID": st.column_config.NumberColumn("ID", format="%d", width=55),
    "Email": st.column_config.TextColumn("Email", width=200),
    "Name": st.column_config.TextColumn("Name", width=100),
    "Lifecycle stage": st.column_config.TextColumn("Lifecycle stage", width=105),
    "Marketing status": st.column_config.TextColumn("Marketing status", width=170),
    "Status set by": st.column_config.TextColumn("Status set by", width=95),
    "Created": st.column_config.TextColumn("Created", width=90),
    "Last activity": st.column_config.TextColumn("Last activity", width=90),
}


def signature(query: ContactQuery) -> str:
    return f"{query.filter_json()}|{query.quick}|{query.sort}|{query.descending}"


def metrics(found: MatchCounts) -> None:
    cols = st.columns(4)
    cols[0].metric("Matching contacts", common.number(found.total))
    cols[1].metric("Marketing", common.number(found.marketing), help="Billed: pending ones included")
    cols[2].metric("Pending non-marketing", common.number(found.pending), help="Leave on the next update date")
    cols[3].metric("Non-marketing", common.number(found.non_marketing))


def _status(row: dict[str, Any]) -> str:
    if row["state"] == "pending" and row["effective_on"]:
        return f"Pending (leaves {row['effective_on']:%d %b})"
    if row["state"] == "non_marketing" and row["pending_non_marketing"] and row["effective_on"]:
        return f"Non-marketing (from {row['effective_on']:%d %b})"  # a simulated day after its update date
    return STATUS_TEXT.get(row["state"], "Marketing until next update")


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The page's rows as people read them (50 rows: building a frame here is cheap)."""
    return pd.DataFrame(
        [
            {
                "ID": r["id"],
                "Email": r["email"],
                "Name": " ".join(p for p in (r["first_name"], r["last_name"]) if p),
                "Lifecycle stage": r["lifecycle_stage"] or "",
                "Marketing status": _status(r),
                "Status set by": describe_source(r["status_source_type"], r["status_source_id"])
                if r["status_source_type"] and r["state"] != "non_marketing"
                else "",
                "Created": f"{r['created_at']:%Y-%m-%d}",
                "Last activity": f"{r['last_activity_at']:%Y-%m-%d}" if r["last_activity_at"] else "",
            }
            for r in rows
        ],
        columns=COLUMN_ORDER,
    )


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


def load(query: ContactQuery) -> Page | None:
    """Read the current page (by keyset) and which of its rows are selected."""
    sig = signature(query)
    cursors = _cursors(sig)
    found = common.run(
        lambda: page_of_contacts(common.engine(), query=query, after=cursors[-1], limit=PAGE_SIZE, today=common.today())
    )
    if found is None:
        return None
    data = frame(found.rows)
    key = state.table_key(sig)
    picked = st.session_state.get(key) or {}
    rows = (picked.get("selection") or {}).get("rows", []) if isinstance(picked, dict) else picked.selection.rows
    chosen = [int(data.iloc[i]["ID"]) for i in rows if i < len(data)]
    return Page(data, found.next_cursor, key, chosen)


def draw(page: Page, total: int) -> None:
    """The table (rows selectable) and Previous / Next."""
    if page.data.empty and total == 0:  # an empty grid drew its placeholder over the buttons below
        st.info("No contact matches this filter.", icon=":material/filter_alt_off:")
        return
    st.dataframe(
        page.data,
        key=page.key,
        on_select="rerun",
        selection_mode="multi-row",
        hide_index=True,
        column_config=COLUMNS,
        width="stretch",
        height=min(35 * (len(page.data) + 1) + 3, 738),
    )
    cursors = st.session_state["ct_cursors"]
    first = (len(cursors) - 1) * PAGE_SIZE
    cols = st.columns([1, 1, 6], vertical_alignment="center")
    cols[0].button(
        "Previous", key="ct_prev", icon=":material/chevron_left:", disabled=len(cursors) == 1, on_click=_previous
    )
    cols[1].button(
        "Next",
        key="ct_next",
        icon=":material/chevron_right:",
        disabled=page.next_cursor is None,
        on_click=_next,
        args=(page.next_cursor,),
    )
    size = len(page.data)
    shown = f"contacts {first + 1:,}–{first + size:,} of {total:,}" if size else "no contacts"
    cols[2].caption(f"Page {len(cursors)}: {shown}")
