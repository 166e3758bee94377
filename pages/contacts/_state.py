"""Session state shared by the Contacts page's parts: the query, the page cursor, the table key, dialogs, messages.

Keys (all prefixed ``ct_``): ``ct_quick``, ``ct_sort``, ``ct_desc``, ``ct_filter__rows`` (the filter builder's
rows), ``ct_cursors`` (one keyset cursor per page visited), ``ct_table_key`` (the dataframe's current key: it
changes with the page, so a selection never outlives the rows it was made on), ``ct_dialog`` (the open dialog)
and ``ct_flash`` (a message to show once after a change).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.rules.selection import Selection
from core.services.contacts import ContactQuery, MatchCounts, count_matching
from core.services.status import StatusChange
from pages.shared import common

FILTER_KEY = "ct_filter"
DIALOG = "ct_dialog"


@st.cache_data(ttl=60, show_spinner=False)
def _counts(_engine: Any, url: str, selection: Selection, today: Any, version: int) -> MatchCounts:
    return count_matching(_engine, selection=selection, today=today)


def counts(query: ContactQuery) -> MatchCounts | None:
    """Matching contacts by state (cached briefly: counting a million rows is not free; cleared after changes)."""
    engine = common.engine()
    version = st.session_state.get("ct_version", 0)
    return common.run(lambda: _counts(engine, str(engine.url), query.selection(), common.today(), version))


def changed(message: str | None = None) -> None:
    """After a write: forget cached figures, start a fresh table (no stale selection), show ``message`` once."""
    st.cache_data.clear()
    st.session_state["ct_version"] = st.session_state.get("ct_version", 0) + 1
    if message:
        st.session_state["ct_flash"] = message


def flash() -> None:
    message = st.session_state.pop("ct_flash", None)
    if message:
        st.success(message, icon=":material/check_circle:")


def table_key(signature: str) -> str:
    """The dataframe key for this query, page and data version."""
    cursors = st.session_state.get("ct_cursors", [None])
    key = f"ct_table_{abs(hash((signature, len(cursors), st.session_state.get('ct_version', 0)))) % 10**10}"
    st.session_state["ct_table_key"] = key
    return key


def open_dialog(kind: str, **values: Any) -> None:
    st.session_state[DIALOG] = {"kind": kind, **values}


def close_dialog() -> None:
    st.session_state.pop(DIALOG, None)
    for key in [k for k in st.session_state if str(k).startswith("ct_dlg_")]:
        del st.session_state[key]


def dialog() -> dict[str, Any] | None:
    found = st.session_state.get(DIALOG)
    return found if isinstance(found, dict) else None


def typed_matches(typed: str, expected: int) -> bool:
    """The typed confirmation: the number itself, with or without thousands separators."""
    return typed.strip().replace(",", "").replace(" ", "") == str(expected)


def contacts(n: int) -> str:
    return f"{n:,} contact" if n == 1 else f"{n:,} contacts"


def success_text(r: StatusChange) -> str:
    if r.to == "non-marketing":
        when = f" They become non-marketing on {r.effective_on:%d %b %Y}." if r.effective_on else ""
        return f"Scheduled {contacts(r.scheduled)} as non-marketing; {r.unchanged:,} not included.{when}"
    tier = f" Billed tier raised to {r.tier_limit_after:,}." if r.tier_goes_up else ""
    return (
        f"{contacts(r.changed)} became marketing, {r.undone:,} pending {'change' if r.undone == 1 else 'changes'} "
        "undone, "
        f"{r.unchanged:,} already marketing.{tier}"
    )
