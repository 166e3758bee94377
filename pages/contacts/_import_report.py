"""Import contacts, after: what the import did, its rejected lines (to download and fix), import another file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from core.errors import translated
from core.services.imports.preview import rejected_lines_csv
from core.services.imports.service import ImportResult
from pages.shared import session
from pages.shared.i18n import _, pgettext, t

KEY = "imp_result"
FORGET_ON_AGAIN = (KEY, "imp_file", "imp_marketing", "imp_consent", "imp_undo", "imp_preview")


@dataclass(frozen=True)
class Imported:
    """A finished import and the file it read (its rejected lines are cut from it)."""

    result: ImportResult
    data: bytes


def said(text: str) -> str:
    """What the import says (a rejected row's reason, a step of its progress) in the session's language: it says it
    in English as a ``core.rules.sentence.Sentence``, which keeps its sentence and fields; plain text as it is."""
    return translated(text, t())


def rejected_frame(rejected: list[dict[str, Any]]) -> pd.DataFrame:
    """Rejected rows as a table: their line and their reason, in the session's language."""
    return pd.DataFrame([(r["line"], said(r["reason"])) for r in rejected], columns=[_("Line"), _("Reason")])


def _rejected(done: Imported) -> None:
    st.subheader(_("Rejected lines"), anchor=False)
    st.dataframe(rejected_frame(done.result.rejected), hide_index=True, key="imp_rejected", width="stretch")
    st.download_button(
        _("Download the rejected lines (CSV)"),
        data=rejected_lines_csv(done.data, done.result.rejected, t=t()),
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
            _(
                "Importing {file} in the background: follow it in the sidebar, from any page. Nothing is imported "
                "until all of it is.",
                file=done.file_name,
            ),
            icon=":material/hourglass_top:",
        )
        _again()
        return
    result, n = done.result, session.number
    st.success(
        _(
            "Import finished. Its contacts' histories and the Audit page name it as import {id}.",
            id=str(result.import_id),  # an id, not an amount: unformatted
        ),
        icon=":material/check_circle:",
    )
    cols = st.columns(3)
    cols[0].metric(pgettext("import report", "Created"), n(result.created))
    cols[1].metric(pgettext("import report", "Updated"), n(result.updated))
    cols[2].metric(pgettext("import report", "Rejected"), n(len(result.rejected)))
    cols = st.columns(3)
    cols[0].metric(_("Became marketing"), n(result.made_marketing))
    cols[1].metric(_("Scheduled non-marketing"), n(result.scheduled))
    cols[2].metric(_("Pending changes undone"), n(result.undone))
    st.metric(_("Stale rows: their contacts kept their newer status"), n(result.stale))
    if result.tier_limit_after > result.tier_limit_before:
        st.warning(
            _(
                "The billed tier went up from {before} to {after} contacts.",
                before=result.tier_limit_before,
                after=result.tier_limit_after,
            )
        )
    if result.rejected:
        _rejected(done)
    _again()


def _again() -> None:
    if st.button(_("Import another file"), key="imp_again"):
        for key in FORGET_ON_AGAIN:
            st.session_state.pop(key, None)
        st.rerun()
