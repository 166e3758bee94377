"""The Contacts page's other dialogs: delete contacts, add to / remove from a static list."""

from __future__ import annotations

import streamlit as st

from core.errors import ConfirmationOutdated
from core.rules.confirmation import Confirmed, differences_in
from core.services import lists
from core.services.contacts import count_matching, delete_contacts
from core.services.money import deletion_money
from pages.contacts import _bulk_figures as figures
from pages.contacts import _reads as reads
from pages.contacts import _refused as refusal
from pages.contacts import _state as state
from pages.contacts._state import DeleteDialog, ListDialog, Target, typed_matches
from pages.shared import allowed, i18n, session
from pages.shared.allowed import Action
from pages.shared.i18n import _, ngettext, pgettext
from pages.shared.money import money_line
from pages.shared.text import plain


def open_delete(target: Target) -> None:
    """Count once, when the dialog opens: the figures shown are the ones the user confirms."""
    found = session.run(lambda: count_matching(session.engine(), selection=target.selection, today=session.today()))
    if found is not None:
        state.open_dialog(DeleteDialog(target, found))


def _outdated(box: DeleteDialog, refused: ConfirmationOutdated) -> None:
    """Someone changed the contacts since the dialog opened: count again, to be confirmed again."""
    found = session.run(lambda: count_matching(session.engine(), selection=box.target.selection, today=session.today()))
    if found is not None:
        target = refusal.recounted(box.target, found.total)
        refusal.reopen(DeleteDialog(target, found, tuple(differences_in(refused, i18n.t()))))


def _delete_body(box: DeleteDialog) -> None:
    found = box.counts
    refusal.forget_inputs()
    if box.outdated:
        st.warning(figures.outdated_text(box.outdated, deleted=True), icon=":material/sync_problem:")
    st.markdown(
        ngettext(
            "Delete **{n}** contact ({target}). Its status history is kept.",
            "Delete **{n}** contacts ({target}). Their status history is kept.",
            found.total,
            target=plain(box.target.label),
        )
    )
    cols = st.columns(2)
    cols[0].metric(_("Marketing contacts among them"), i18n.number(found.marketing))
    cols[1].metric(pgettext("contacts", "Non-marketing"), i18n.number(found.non_marketing))
    st.caption(
        _(
            "The marketing count drops at once; the billed tier stays as it is until the renewal date. "
            "Setting contacts non-marketing is reversible; deleting is not."
        )
    )
    money_line(
        session.run(lambda: deletion_money(session.engine(), selection=box.target.selection, today=session.today()))
    )
    ready = state.apply_to_all(box.target.scope, found.total)
    typed = st.text_input(_("Type **{n}** to confirm", n=found.total), key="ct_dlg_typed")
    refused = allowed.refused(Action.EDIT_CONTACTS)
    ready = ready and typed_matches(typed, found.total) and found.total > 0 and refused is None
    buttons = st.columns([1, 1, 2])
    if buttons[0].button(_("Delete"), key="ct_dlg_confirm", type="primary", disabled=not ready):
        result = session.run(
            lambda: delete_contacts(
                session.engine(),
                selection=box.target.selection,
                today=session.today(),
                actor=session.actor(),
                confirmed=Confirmed(changes=found.total),  # the number typed: that many, or none
            ),
            outdated=lambda refused: _outdated(box, refused),
        )
        if result is not None:
            state.finish(
                ngettext(
                    "Deleted {n} contact. Marketing contacts: {before} → {after}; the billed tier stays {tier} "
                    "until renewal.",
                    "Deleted {n} contacts. Marketing contacts: {before} → {after}; the billed tier stays {tier} "
                    "until renewal.",
                    result.deleted,
                    before=result.marketing_before,
                    after=result.marketing_after,
                    tier=result.tier_limit,
                )
            )
    if buttons[1].button(_("Cancel"), key="ct_dlg_cancel"):
        state.cancel()


def _delete_dialog(box: DeleteDialog) -> None:
    st.dialog(_("Delete contacts"), width="large", on_dismiss=state.close_dialog)(_delete_body)(box)


def _change_list(box: ListDialog, name: str, known: list[str]) -> None:
    """Add the contacts to ``name`` (created first when new) or remove them from it; close the dialog when done."""
    engine, today, actor = session.engine(), session.today(), session.actor()
    creating = box.adding and name not in known
    if creating and session.run(lambda: lists.create_list(engine, name=name, today=today, actor=actor)) is None:
        return
    change = lists.add_to_list if box.adding else lists.remove_from_list
    done = session.run(lambda: change(engine, name=name, selection=box.target.selection, today=today, actor=actor))
    if done is not None:
        if box.adding:
            state.finish(ngettext("Added {n} contact to “{name}”.", "Added {n} contacts to “{name}”.", done, name=name))
        else:
            state.finish(
                ngettext("Removed {n} contact from “{name}”.", "Removed {n} contacts from “{name}”.", done, name=name)
            )


def _list_body(box: ListDialog) -> None:
    adding = box.adding
    names = [i.name for i in reads.static_lists()]
    target = plain(box.target.label)
    if adding:
        st.markdown(_("Add {target} to a static list.", target=target))
    else:
        st.markdown(_("Remove {target} from a static list.", target=target))
    name = st.selectbox(_("List"), names, key="ct_dlg_list", index=None, placeholder=_("Choose a list"))
    if adding:
        new = st.text_input(_("…or create a new list"), key="ct_dlg_new_list", placeholder=_("New list name"))
        name = new.strip() or name
    ready = bool(name) and state.apply_to_all(box.target.scope, box.target.count)
    cols = st.columns([1, 1, 2])
    clicked = cols[0].button(
        _("Add") if adding else _("Remove"), key="ct_dlg_confirm", type="primary", disabled=not ready
    )
    if clicked and name:
        _change_list(box, name, names)
    if cols[1].button(_("Cancel"), key="ct_dlg_cancel"):
        state.cancel()


def _list_dialog(box: ListDialog) -> None:
    st.dialog(_("Static list"), width="large", on_dismiss=state.close_dialog)(_list_body)(box)


def show_dialog() -> None:
    box = state.dialog()
    if isinstance(box, DeleteDialog):
        _delete_dialog(box)
    elif isinstance(box, ListDialog):
        _list_dialog(box)
