"""Session state shared by the Contacts pages' parts: the counts, the table key, the open dialog.

Keys (prefixed ``ct_``): ``ct_quick``, ``ct_sort``, ``ct_desc``, ``ct_filter__rows`` (the filter builder's rows),
``ct_cursors`` (a keyset cursor per page visited), ``ct_version`` (counts the changes made here: the table's key
changes with it and the page, so a selection never outlives its rows), ``ct_table_key`` and ``ct_dialog``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import streamlit as st

from core.rules.selection import Selection
from core.rules.status import MarketingStatus
from core.services.contacts import ContactQuery, MatchCounts, count_matching
from core.services.status import StatusChange
from pages.contacts import _reads as reads
from pages.contacts._bulk_target import all_label, apply_to_all, selected_label, typed_matches
from pages.shared import session

__all__ = ["all_label", "apply_to_all", "selected_label", "typed_matches"]  # where the other parts find them
from pages.shared.messages import flash

FILTER_KEY = "ct_filter"
DIALOG = "ct_dialog"


@st.cache_data(ttl=60, show_spinner=False)
def _counts(_engine: Any, url: str, selection: Selection, today: date, version: str) -> MatchCounts:
    """Kept until any change is recorded (``data_version``, from any session or the command line) or made here
    (``changed``: list memberships record no operation). ``url`` and ``version`` are only part of the key."""
    del url, version
    return count_matching(_engine, selection=selection, today=today)


def counts(query: ContactQuery) -> MatchCounts | None:
    """Matching contacts by state (cached: counting a million rows is not free)."""
    engine = session.engine()
    version = reads.data_version_now()
    return session.run(lambda: _counts(engine, str(engine.url), query.selection(), session.today(), version))


def changed(message: str | None = None) -> None:
    """After a write: forget the cached counts, start a fresh table (no stale selection), show ``message`` once."""
    _counts.clear()
    session.start_run()  # reads memoised earlier in this run are stale now
    st.session_state["ct_version"] = st.session_state.get("ct_version", 0) + 1
    if message:
        flash(message)


def set_filter_rows(conditions: list[dict[str, Any]]) -> None:
    """Replace the filter builder's rows; fresh row ids so that no widget keeps an old row's value."""
    start = st.session_state.get("ct_row_seq", 0) + 1000
    st.session_state["ct_row_seq"] = start
    st.session_state[f"{FILTER_KEY}__rows"] = [{"id": start + i, **c} for i, c in enumerate(conditions)]


def table_key(signature: str) -> str:
    """The dataframe key for this query, page and data version."""
    cursors = st.session_state.get("ct_cursors", [None])
    key = f"ct_table_{abs(hash((signature, len(cursors), st.session_state.get('ct_version', 0)))) % 10**10}"
    st.session_state["ct_table_key"] = key
    return key


@dataclass(frozen=True)
class Target:
    """What an action applies to: the rows selected on this page, or every contact matching the filter."""

    selection: Selection
    scope: Literal["selected", "all"]
    count: int
    label: str  # in a sentence, in the session's language: "the 3 selected on this page"


@dataclass(frozen=True)
class StatusDialog:
    """Set as (non-)marketing: the preview shown is the one confirmed; ``outdated``: why the last one was refused."""

    target: Target
    to: MarketingStatus
    preview: StatusChange
    next_update: date
    currency: str
    outdated: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeleteDialog:
    target: Target
    counts: MatchCounts  # taken when the dialog opened (again after a refused confirmation: ``outdated`` says why)
    outdated: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListDialog:
    target: Target
    adding: bool  # add to a static list, or remove from one


Dialog = StatusDialog | DeleteDialog | ListDialog


def open_dialog(box: Dialog) -> None:
    """Open ``box`` (or the same dialog with new figures): nothing typed or ticked for the old ones is kept."""
    close_dialog()
    st.session_state[DIALOG] = box


def close_dialog() -> None:
    """Forget the open dialog and what was typed or ticked in it."""
    st.session_state.pop(DIALOG, None)
    for key in [k for k in st.session_state if str(k).startswith("ct_dlg_")]:
        del st.session_state[key]


def dialog() -> Dialog | None:
    found = st.session_state.get(DIALOG)
    return found if isinstance(found, StatusDialog | DeleteDialog | ListDialog) else None


def finish(message: str) -> None:
    """A dialog's change went through: close it, refresh the figures and say how it went."""
    close_dialog()
    changed(message)
    st.rerun()


def cancel() -> None:
    close_dialog()
    st.rerun()
