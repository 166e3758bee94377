"""Import contacts from a CSV in HubSpot's format: preview, mapping, the spike check, progress, then the report."""

from typing import Any

import pandas as pd
import streamlit as st

from core.services.imports.preview import ImportPreview, preview_import, rejected_lines_csv
from core.services.imports.service import ImportResult, import_csv
from pages.shared import common

PREVIEW_REJECTED = 200  # rejected rows listed before the import (the report after it offers them all)

common.require_access()
st.page_link("pages/contacts/contacts.py", label="Back to contacts", icon=":material/arrow_back:")
st.title("Import contacts")


def _report(result: ImportResult, data: bytes) -> None:
    st.success(
        f"Import finished. Its contacts' histories and the Audit page name it as import {result.import_id}.",
        icon=":material/check_circle:",
    )
    cols = st.columns(3)
    cols[0].metric("Created", common.number(result.created))
    cols[1].metric("Updated", common.number(result.updated))
    cols[2].metric("Rejected", common.number(len(result.rejected)))
    cols = st.columns(3)
    cols[0].metric("Became marketing", common.number(result.made_marketing))
    cols[1].metric("Scheduled non-marketing", common.number(result.scheduled))
    cols[2].metric("Pending changes undone", common.number(result.undone))
    if result.tier_limit_after > result.tier_limit_before:
        st.warning(
            f"The billed tier went up from {result.tier_limit_before:,} to {result.tier_limit_after:,} contacts."
        )
    if result.rejected:
        st.subheader("Rejected lines", anchor=False)
        st.dataframe(
            pd.DataFrame(result.rejected).rename(columns={"line": "Line", "reason": "Reason"}),
            hide_index=True,
            key="imp_rejected",
            width="stretch",
        )
        st.download_button(
            "Download the rejected lines (CSV)",
            data=rejected_lines_csv(data, result.rejected),
            file_name="rejected-lines.csv",
            mime="text/csv",
            key="imp_rejected_download",
            icon=":material/download:",
        )
    if st.button("Import another file", key="imp_again"):
        for key in ("imp_result", "imp_file", "imp_marketing", "imp_consent", "imp_preview"):
            st.session_state.pop(key, None)
        st.rerun()


def _preview(p: ImportPreview) -> bool:
    """Show what the import would do; True when it may run (a tier upgrade needs consent)."""
    st.subheader("First rows", anchor=False)
    st.dataframe(pd.DataFrame(p.first_rows), hide_index=True, key="imp_first_rows", width="stretch")
    st.subheader("Column mapping", anchor=False)
    st.dataframe(
        pd.DataFrame(p.columns, columns=["Column in the file", "Imported as"]),
        hide_index=True,
        key="imp_mapping",
        width="stretch",
    )
    st.subheader("What the import will do", anchor=False)
    cols = st.columns(4)
    cols[0].metric("Rows to import", common.number(p.valid_rows))
    cols[1].metric("New contacts", common.number(p.created))
    cols[2].metric("Existing contacts updated", common.number(p.updated))
    cols[3].metric("Rejected rows", common.number(len(p.rejected)))
    cols = st.columns(4)
    cols[0].metric("Become marketing", common.number(p.made_marketing))
    cols[1].metric(
        "Scheduled non-marketing",
        common.number(p.scheduled),
        help=f"On {p.effective_on:%d %b %Y}" if p.effective_on else None,
    )
    cols[2].metric("Pending changes undone", common.number(p.undone))
    cols[3].metric(
        "Marketing contacts after",
        common.number(p.marketing_after),
        delta=common.number(p.marketing_after - p.marketing_before) if p.made_marketing else None,
    )
    if p.rejected:
        with st.expander(f"Rejected rows ({len(p.rejected):,}): these are skipped, the others go ahead"):
            st.dataframe(
                pd.DataFrame(p.rejected[:PREVIEW_REJECTED]).rename(columns={"line": "Line", "reason": "Reason"}),
                hide_index=True,
                key="imp_preview_rejected",
                width="stretch",
            )
            if len(p.rejected) > PREVIEW_REJECTED:
                st.caption(f"The first {PREVIEW_REJECTED:,}; all of them can be downloaded after the import.")
    if not p.tier_goes_up:
        st.caption(f"The billed tier stays {p.tier_limit_before:,} contacts.")
        return p.valid_rows > 0
    st.warning(
        f"This import makes {p.made_marketing:,} contacts marketing and raises the billed tier from "
        f"**{p.tier_limit_before:,}** to **{p.tier_limit_after:,}** contacts: "
        f"**{p.monthly_price_after:,} {p.currency}** a month instead of {p.monthly_price_before:,} {p.currency}. "
        "The tier is not lowered before renewal.",
        icon=":material/trending_up:",
    )
    consent = st.checkbox(f"I agree to the {p.tier_limit_after:,}-contact tier", key="imp_consent")
    return consent and p.valid_rows > 0


def _run(data: bytes, name: str, as_marketing: bool) -> None:
    bar = st.progress(0.0, text="Starting the import…")

    def progress(fraction: float, message: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    result = common.run(
        lambda: import_csv(
            common.engine(),
            data,
            today=common.today(),
            actor=common.actor(),
            as_marketing=as_marketing,
            file_name=name,
            progress=progress,
        )
    )
    if result is not None:
        st.cache_data.clear()
        st.session_state["imp_result"] = {"result": result, "data": data}
        st.rerun()


done: dict[str, Any] | None = st.session_state.get("imp_result")
if done is not None:
    _report(done["result"], done["data"])
    st.stop()

upload = st.file_uploader("CSV file in HubSpot's export format (UTF-8)", type=["csv"], key="imp_file")
if upload is None:
    st.caption(
        "Columns: Email (required), First Name, Last Name, Lifecycle Stage, Create Date, Last Activity Date, "
        "Marketing contact status, Marketing contact until next update, Email hard bounce reason, "
        "Unsubscribed from all email. Contacts are matched by email."
    )
    st.stop()
as_marketing = st.checkbox(
    "Set all contacts as marketing",
    key="imp_marketing",
    help="New contacts whose row gives no status become marketing contacts (billed).",
)
data = upload.getvalue()
signature = (upload.file_id, as_marketing, common.today())
cached = st.session_state.get("imp_preview")
if cached is None or cached[0] != signature:  # previewing a big file takes seconds: once per file and choice
    found = common.run(lambda: preview_import(common.engine(), data, today=common.today(), as_marketing=as_marketing))
    if found is None:
        st.stop()
    cached = st.session_state["imp_preview"] = (signature, found)
preview: ImportPreview = cached[1]
ready = _preview(preview)
refused = common.writes_refused("Importing")
if st.button(f"Import {preview.valid_rows:,} rows", key="imp_run", type="primary", disabled=not ready or refused):
    _run(data, upload.name, as_marketing)
