"""Import contacts, after: what the import did, its rejected lines (to download and fix), import another file."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core.services.imports.preview import rejected_lines_csv
from core.services.imports.service import ImportResult
from pages.shared import session

KEY = "imp_result"
FORGET_ON_AGAIN = (KEY, "imp_file", "imp_marketing", "imp_consent", "imp_undo", "imp_preview")


@dataclass(frozen=True)
class Imported:
    """A finished import and the file it read (its rejected lines are cut from it)."""

    result: ImportResult
    data: bytes


def _rejected(done: Imported) -> None:
    st.subheader("Rejected lines", anchor=False)
    st.dataframe(
        pd.DataFrame(done.result.rejected).rename(columns={"line": "Line", "reason": "Reason"}),
        hide_index=True,
        key="imp_rejected",
        width="stretch",
    )
    st.download_button(
        "Download the rejected lines (CSV)",
        data=rejected_lines_csv(done.data, done.result.rejected),
        file_name="rejected-lines.csv",
        mime="text/csv",
        key="imp_rejected_download",
        icon=":material/download:",
    )


@dataclass(frozen=True)
class Started:
    """A long import started as a background job (its progress and outcome show in the sidebar)."""

    file_name: str


def report(done: Imported | Started) -> None:
    if isinstance(done, Started):
        st.info(
            f"Importing {done.file_name} in the background: follow it in the sidebar, from any page. Nothing is "
            "imported until all of it is.",
            icon=":material/hourglass_top:",
        )
        _again()
        return
    result, n = done.result, session.number
    st.success(
        f"Import finished. Its contacts' histories and the Audit page name it as import {result.import_id}.",
        icon=":material/check_circle:",
    )
    cols = st.columns(3)
    cols[0].metric("Created", n(result.created))
    cols[1].metric("Updated", n(result.updated))
    cols[2].metric("Rejected", n(len(result.rejected)))
    cols = st.columns(3)
    cols[0].metric("Became marketing", n(result.made_marketing))
    cols[1].metric("Scheduled non-marketing", n(result.scheduled))
    cols[2].metric("Pending changes undone", n(result.undone))
    st.metric("Stale rows: their contacts kept their newer status", n(result.stale))
    if result.tier_limit_after > result.tier_limit_before:
        st.warning(
            f"The billed tier went up from {result.tier_limit_before:,} to {result.tier_limit_after:,} contacts."
        )
    if result.rejected:
        _rejected(done)
    _again()


def _again() -> None:
    if st.button("Import another file", key="imp_again"):
        for key in FORGET_ON_AGAIN:
            st.session_state.pop(key, None)
        st.rerun()
