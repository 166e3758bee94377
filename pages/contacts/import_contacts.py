"""Import contacts from a CSV in HubSpot's format: preview, mapping, the spike check, progress, then the report."""

import streamlit as st

from core.services.background import import_job, runs_in_background
from core.services.imports.service import Consent, import_csv
from pages.contacts import _import_preview as import_preview
from pages.contacts import _import_report as import_report
from pages.shared import access, allowed, jobs, session
from pages.shared.allowed import Action
from pages.shared.i18n import _, ngettext

access.require_access()
st.page_link("pages/contacts/contacts.py", label=_("Back to contacts"), icon=":material/arrow_back:")
st.title(_("Import contacts"))


def _in_background(data: bytes, name: str, as_marketing: bool, consent: Consent) -> None:
    """A long import runs as a job (one transaction); its progress shows in the sidebar, on any page."""
    engine, today, actor = session.engine(), session.today(), session.actor()
    started = session.run(
        lambda: import_job(
            engine, data, today=today, actor=actor, as_marketing=as_marketing, consent=consent, file_name=name
        )
    )
    if started is not None:
        jobs.follow(started)
        for key in import_report.FORGET_ON_AGAIN:
            st.session_state.pop(key, None)
        st.session_state[import_report.KEY] = import_report.Started(name)
        st.rerun()


def _run(data: bytes, name: str, as_marketing: bool, consent: Consent) -> None:
    bar = st.progress(0.0, text=_("Starting the import…"))

    def progress(fraction: float, message: str) -> None:  # the import says its steps in English, as Sentences
        bar.progress(min(max(fraction, 0.0), 1.0), text=import_report.said(message))

    result = session.run(
        lambda: import_csv(
            session.engine(),
            data,
            today=session.today(),
            actor=session.actor(),
            as_marketing=as_marketing,
            consent=consent,
            file_name=name,
            progress=progress,
        )
    )
    if result is not None:  # cached counts and history follow by themselves: they are kept per data version
        st.session_state[import_report.KEY] = import_report.Imported(result, data)
        st.rerun()


done = st.session_state.get(import_report.KEY)
if isinstance(done, import_report.Imported | import_report.Started):
    import_report.report(done)
    st.stop()

refused = allowed.refused(Action.EDIT_CONTACTS)
upload = st.file_uploader(
    _("CSV file in HubSpot's export format (UTF-8)"), type=["csv"], key="imp_file", disabled=bool(refused), help=refused
)
if upload is None:
    st.caption(
        # Translators: the column names are HubSpot's own headers, as the file must spell them: keep them in English
        # (in backticks, so that they read as the file's words).
        _(
            "Columns: Email (required), First Name, Last Name, Lifecycle Stage, Create Date, Last Activity Date, "
            "Marketing contact status, Marketing contact until next update, Email hard bounce reason, "
            "Unsubscribed from all email, Record ID, Last Modified Date. Contacts are matched by Record ID, then by "
            "email; a row older than its contact's last status change keeps that status."
        )
    )
    st.stop()
no_status = allowed.blocked(Action.CHANGE_STATUS)
as_marketing = st.checkbox(
    _("Set all contacts as marketing"),
    key="imp_marketing",
    disabled=bool(no_status),
    help=no_status or _("New contacts whose row gives no status become marketing contacts (billed)."),
)
allowed.note(no_status)
data = upload.getvalue()
preview = import_preview.preview_once(upload.file_id, data, as_marketing=as_marketing)
if preview is None:
    st.stop()
consent = import_preview.show(preview)
label = ngettext("Import {n} rows", "Import {n} rows", preview.valid_rows)  # English: "Import 1 rows", as before
if st.button(label, key="imp_run", type="primary", disabled=not consent or bool(refused), help=refused):
    (_in_background if runs_in_background(preview.valid_rows) else _run)(
        data, upload.name, as_marketing, consent or Consent()
    )
