"""Import contacts, before: the first rows, the column mapping, what the import will do, and the tier check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from core.services.imports.preview import ImportPreview, preview_import
from core.services.imports.service import Consent
from pages.contacts import _import_consent as import_consent
from pages.contacts import _import_report as import_report
from pages.shared import session
from pages.shared.i18n import _, t
from pages.shared.money import money_line

PREVIEW_REJECTED = 200  # rejected rows listed before the import (the report after it offers them all)
KEY = "imp_preview"


@dataclass(frozen=True)
class Previewed:
    """The preview of one file with one choice, on one day: previewing a big file takes seconds, so once."""

    file_id: str
    as_marketing: bool
    today: date
    preview: ImportPreview


def preview_once(file_id: str, data: bytes, *, as_marketing: bool) -> ImportPreview | None:
    """The preview of this file and choice (read again only when either, or the day, changes)."""
    today = session.today()
    kept = st.session_state.get(KEY)
    if isinstance(kept, Previewed) and (kept.file_id, kept.as_marketing, kept.today) == (file_id, as_marketing, today):
        return kept.preview
    found = session.run(lambda: preview_import(session.engine(), data, today=today, as_marketing=as_marketing))
    if found is not None:
        st.session_state[KEY] = Previewed(file_id, as_marketing, today, found)
    return found


def _tables(p: ImportPreview) -> None:
    st.subheader(_("First rows"), anchor=False)
    st.dataframe(pd.DataFrame(p.first_rows), hide_index=True, key="imp_first_rows", width="stretch")
    st.subheader(_("Column mapping"), anchor=False)
    said = t()
    st.dataframe(
        pd.DataFrame(
            [(column, said(use)) for column, use in p.columns], columns=[_("Column in the file"), _("Imported as")]
        ),
        hide_index=True,
        key="imp_mapping",
        width="stretch",
    )


def _figures(p: ImportPreview) -> None:
    n = session.number
    st.subheader(_("What the import will do"), anchor=False)
    cols = st.columns(4)
    cols[0].metric(_("Rows to import"), n(p.valid_rows))
    cols[1].metric(_("New contacts"), n(p.created))
    cols[2].metric(_("Existing contacts updated"), n(p.updated))
    cols[3].metric(_("Rejected rows"), n(len(p.rejected)))
    marks = st.columns(5)
    marks[0].metric(_("Become marketing"), n(p.made_marketing))
    marks[1].metric(
        _("Scheduled non-marketing"),
        n(p.scheduled),
        help=_("On {day}", day=p.effective_on) if p.effective_on else None,
    )
    marks[2].metric(_("Pending changes undone"), n(p.undone))
    marks[3].metric(
        _("Marketing contacts after"),
        n(p.marketing_after),
        delta=n(p.marketing_after - p.marketing_before) if p.made_marketing else None,
    )
    marks[4].metric(_("Stale rows: status kept"), n(p.stale), help=_("Older than the contact's last status change"))
    money_line(p.money)


def _rejected(p: ImportPreview) -> None:
    if not p.rejected:
        return
    with st.expander(_("Rejected rows ({n}): these are skipped, the others go ahead", n=len(p.rejected))):
        st.dataframe(
            import_report.rejected_frame(p.rejected[:PREVIEW_REJECTED]),
            hide_index=True,
            key="imp_preview_rejected",
            width="stretch",
        )
        if len(p.rejected) > PREVIEW_REJECTED:
            st.caption(_("The first {n}; all of them can be downloaded after the import.", n=PREVIEW_REJECTED))


def show(p: ImportPreview) -> Consent | None:
    """Show what the import would do; the consent to run it, or None while it may not run (docs/domain.md §10:
    undoing scheduled changes and raising the tier need consent)."""
    _tables(p)
    _figures(p)
    _rejected(p)
    import_consent.stale(p)
    return import_consent.consent(p)
