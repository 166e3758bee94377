"""What a contact's page changes: its status (through the Contacts page's dialog), its fields, or the contact."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.rules.selection import Selection
from core.rules.status import MarketingStatus
from core.services.contact_detail import ContactDetail
from core.services.contacts import delete_contacts, update_contact
from pages.contacts import _bulk as bulk
from pages.contacts._state import Target
from pages.shared import allowed, choices, session
from pages.shared.allowed import Action
from pages.shared.i18n import _, ngettext
from pages.shared.messages import flash
from pages.shared.text import plain


def status_buttons(detail: ContactDetail) -> None:
    """Set this one contact marketing or non-marketing: the Contacts page's dialog, for one id."""
    one = Target(Selection(ids=(detail.id,)), "selected", 1, _("this contact"))
    refused = allowed.blocked(Action.CHANGE_STATUS)
    cols = st.columns([1, 1, 3])
    if detail.state != "marketing" and cols[0].button(
        _("Set as marketing"), key="cd_to_marketing", icon=":material/campaign:", disabled=bool(refused), help=refused
    ):
        bulk.open_status(MarketingStatus.MARKETING, one)
    if detail.state == "marketing" and cols[1].button(
        _("Set as non-marketing"),
        key="cd_to_non_marketing",
        icon=":material/unsubscribe:",
        disabled=bool(refused),
        help=refused,
    ):
        bulk.open_status(MarketingStatus.NON_MARKETING, one)
    allowed.note(refused)
    bulk.show_dialog()


def edit_form(contact_id: int, fields: dict[str, Any]) -> None:
    with st.expander(_("Edit fields"), icon=":material/edit:"), st.form("cd_edit", border=False):
        email = st.text_input(_("Email"), value=fields["email"], key="cd_email")
        cols = st.columns(3)
        first = cols[0].text_input(_("First name"), value=fields.get("first_name") or "", key="cd_first")
        last = cols[1].text_input(_("Last name"), value=fields.get("last_name") or "", key="cd_last")
        with cols[2]:
            stage = choices.stage_picker(_("Lifecycle stage"), key="cd_stage", current=fields.get("lifecycle_stage"))
        bounced = st.checkbox(_("Hard bounced"), value=bool(fields["hard_bounced"]), key="cd_bounced")
        unsubscribed = st.checkbox(
            _("Unsubscribed from all email"), value=bool(fields["unsubscribed_all"]), key="cd_unsub"
        )
        refused = allowed.blocked(Action.EDIT_CONTACTS)
        allowed.note(refused)
        if st.form_submit_button(_("Save"), type="primary", disabled=bool(refused), help=refused):
            changes = {
                "email": email,
                "first_name": first,
                "last_name": last,
                "lifecycle_stage": stage,
                "hard_bounced": bounced,
                "unsubscribed_all": unsubscribed,
            }
            done = session.run(
                lambda: update_contact(
                    session.engine(),
                    contact_id=contact_id,
                    changes=changes,
                    today=session.today(),
                    actor=session.actor(),
                )
            )
            if done is not None:
                flash(ngettext("Saved {n} change(s).", "Saved {n} change(s).", done) if done else _("Nothing changed."))
                st.rerun()


def delete(contact_id: int, email: str) -> None:
    with st.expander(_("Delete this contact"), icon=":material/delete:"):
        st.caption(
            _("It leaves the marketing count at once; the billed tier stays until renewal. Its history is kept.")
        )
        refused = allowed.blocked(Action.EDIT_CONTACTS)
        sure = st.checkbox(_("Yes, delete {email}", email=plain(email)), key="cd_delete_sure", disabled=bool(refused))
        allowed.note(refused)
        if st.button(_("Delete contact"), key="cd_delete", disabled=not sure or bool(refused), help=refused):
            result = session.run(
                lambda: delete_contacts(
                    session.engine(),
                    selection=Selection(ids=(contact_id,)),
                    today=session.today(),
                    actor=session.actor(),
                )
            )
            if result is not None:  # the Contacts page's counts follow: they are kept per data version
                flash(
                    _(
                        "Deleted. Marketing contacts: {before} → {after}.",
                        before=result.marketing_before,
                        after=result.marketing_after,
                    )
                )
                st.rerun()
