"""Bulk status changes from the Contacts index (docs/domain.md §6.2): More → Set as (non-)marketing, confirmed in
a dialog.

The dialog shows the counts of ``preview_status_change``; acting on every contact matching the filter needs
the "apply to all N" box; Set as marketing unlocks only once the number of contacts that change is typed,
and a tier upgrade needs its own consent. The dialog stays open across reruns while ``ct_dialog`` is set.
Confirming sends what the dialog showed (``promise``): if the change would now differ, nothing is written and
the dialog stays open with the new figures, to be confirmed again (docs/domain.md §10).
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core.errors import ConfirmationOutdated
from core.rules.confirmation import differences_in
from core.rules.status import MarketingStatus
from core.services.background import runs_in_background, set_status_job
from core.services.status import preview_status_change, set_status
from core.services.usage import get_usage
from pages.contacts import _bulk_figures as figures
from pages.contacts import _refused as refusal
from pages.contacts import _state as state
from pages.contacts._state import StatusDialog, Target, typed_matches
from pages.shared import allowed, i18n, jobs, session
from pages.shared.allowed import Action
from pages.shared.i18n import _, ngettext
from pages.shared.text import plain


def _outdated(box: StatusDialog, refused: ConfirmationOutdated) -> None:
    """Someone changed the contacts since the dialog opened: show the new figures, to be confirmed again."""
    engine, today = session.engine(), session.today()
    preview = session.run(lambda: preview_status_change(engine, selection=box.target.selection, to=box.to, today=today))
    if preview is None:
        return
    target = refusal.recounted(box.target, preview.selected)
    refusal.reopen(replace(box, target=target, preview=preview, outdated=tuple(differences_in(refused, i18n.t()))))


def _confirm(box: StatusDialog, ready: bool) -> None:
    marketing = box.to == MarketingStatus.MARKETING
    cols = st.columns([1, 1, 2])
    clicked = cols[0].button(
        _("Set as marketing") if marketing else _("Set as non-marketing"),
        key="ct_dlg_confirm",
        type="primary",
        disabled=not ready,
    )
    if clicked and runs_in_background(box.preview.selected):
        _in_background(box, marketing)
    elif clicked:
        result = session.run(
            lambda: set_status(
                session.engine(),
                selection=box.target.selection,
                to=box.to,
                today=session.today(),
                actor=session.actor(),
                source_type="bulk_action",
                confirmed=figures.promise(box),
            ),
            outdated=lambda refused: _outdated(box, refused),
        )
        if result is not None:
            state.finish(figures.success_text(result))
    if cols[1].button(_("Cancel"), key="ct_dlg_cancel"):
        state.cancel()


def _in_background(box: StatusDialog, marketing: bool) -> None:
    """A long change runs as a job (same checks, one transaction); its progress shows in the sidebar."""
    started = session.run(
        lambda: set_status_job(
            session.engine(),
            selection=box.target.selection,
            to=box.to,
            today=session.today(),
            actor=session.actor(),
            confirmed=figures.promise(box),
            label=box.target.label,
        )
    )
    if started is not None:
        jobs.follow(started)
        n = box.preview.will_change
        if marketing:
            started_text = ngettext(
                "Setting {n} contact as marketing in the background: follow it in the sidebar. "
                "Nothing changes until all of it is done.",
                "Setting {n} contacts as marketing in the background: follow it in the sidebar. "
                "Nothing changes until all of it is done.",
                n,
            )
        else:
            started_text = ngettext(
                "Setting {n} contact as non-marketing in the background: follow it in the sidebar. "
                "Nothing changes until all of it is done.",
                "Setting {n} contacts as non-marketing in the background: follow it in the sidebar. "
                "Nothing changes until all of it is done.",
                n,
            )
        state.finish(started_text)


def _body(box: StatusDialog) -> None:
    p = box.preview
    refusal.forget_inputs()
    if box.outdated:
        st.warning(figures.outdated_text(box.outdated), icon=":material/sync_problem:")
    st.markdown(_("**{contacts}**: {target}.", contacts=figures.contacts(p.selected), target=plain(box.target.label)))
    marketing = box.to == MarketingStatus.MARKETING
    if marketing:
        ready = figures.marketing_counts(box)
    else:
        figures.non_marketing_counts(box)
        ready = True
    ready = state.apply_to_all(box.target.scope, box.target.count) and ready
    if marketing and p.will_change:
        typed = st.text_input(_("Type **{n}** to confirm", n=p.will_change), key="ct_dlg_typed")  # starts empty
        ready = ready and typed_matches(typed, p.will_change)
    if not p.will_change:
        st.info(_("Nothing to change: every one of these contacts already has this status."))
    refused = allowed.refused(Action.CHANGE_STATUS)
    _confirm(box, ready and p.will_change > 0 and refused is None)


def open_status(to: MarketingStatus, target: Target) -> None:
    """Preview once, when the dialog opens: the counts shown are the ones the user confirms."""
    engine, today = session.engine(), session.today()
    preview = session.run(lambda: preview_status_change(engine, selection=target.selection, to=to, today=today))
    usage = session.run(lambda: get_usage(engine, today=today))
    if preview is not None and usage is not None:
        state.open_dialog(StatusDialog(target, to, preview, usage.next_update_date, usage.currency))


def show_dialog() -> None:
    box = state.dialog()
    if isinstance(box, StatusDialog):
        title = _("Set as marketing") if box.to == MarketingStatus.MARKETING else _("Set as non-marketing")
        st.dialog(title, width="large", on_dismiss=state.close_dialog)(_body)(box)
