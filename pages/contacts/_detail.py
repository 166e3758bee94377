"""What a contact's page shows: its status with the reason (what made it marketing, by whom, when), its fields
and its status history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from core.rules.record_id import text_of
from core.rules.status import STATE_LABELS, State
from core.services.contact_detail import ContactDetail, original_source
from pages.contacts._rows import stage_text
from pages.shared import i18n, session, simulation
from pages.shared.i18n import N_, _
from pages.shared.text import plain

STATE_TEXT: dict[str | None, str] = {state.value: label for state, label in STATE_LABELS.items()}
STATE_WORD = {None: N_("created"), **STATE_TEXT}  # translated where shown


def header(detail: ContactDetail) -> None:
    fields = detail.fields or {}
    name = " ".join(p for p in (fields.get("first_name"), fields.get("last_name")) if p)
    if detail.fields is None:
        title = _("{name} (deleted)", name=plain(name)) if name else _("Contact (deleted)")
    else:
        title = plain(name) or _("Contact {id}", id=str(detail.id))
    st.title(title, anchor=False)
    st.caption(" · ".join(p for p in (plain(fields.get("email")), _("ID {id}", id=str(detail.id))) if p))


def _state_text(detail: ContactDetail) -> str:
    """The state in words; a pending contact says when it leaves, and whether the simulated day is past that."""
    leaves_on = (detail.fields or {}).get("effective_on")
    if detail.state != "pending" or leaves_on is None:
        known = STATE_TEXT.get(detail.state)
        return _(known) if known else _("Deleted")
    assert detail.fields is not None
    simulated = session.today() if simulation.simulating() else None
    if State.on(detail.fields["marketing_status"], True, leaves_on, simulated) == State.NON_MARKETING:
        return _(
            "{state} from {day} (as of the simulated {today})",
            state=_(STATE_LABELS[State.NON_MARKETING]),
            day=leaves_on,
            today=session.today(),
        )
    return _("{state} (non-marketing from {day})", state=_(STATE_LABELS[State.PENDING]), day=leaves_on)


def status(detail: ContactDetail) -> None:
    """The marketing status and why; for a non-marketing contact, what last made it marketing."""
    with st.container(border=True):
        st.markdown(_("**Marketing status:** {state}", state=_state_text(detail)))
        st.markdown(_("**Why:** {reason}", reason=plain(detail.reason)))
        if detail.made_marketing is not None and detail.state == "non_marketing":
            made = detail.made_marketing
            st.caption(
                _(
                    "It was made marketing by **{source}**, by **{actor}**, on {moment}.",
                    source=plain(made.source_in(i18n.t())),
                    actor=plain(made.actor),
                    moment=made.requested_at,
                )
            )


def _day(value: date | datetime) -> str:
    return i18n.day(value.date() if isinstance(value, datetime) else value)


def fields(found: dict[str, Any]) -> None:
    """Lifecycle stage, dates, original source; a warning when the contact bounced or unsubscribed."""
    cols = st.columns(4)
    cols[0].metric(_("Lifecycle stage"), stage_text(found.get("lifecycle_stage")) or "—")
    cols[1].metric(_("Created"), _day(found["created_at"]))
    activity = found.get("last_activity_at")
    cols[2].metric(_("Last activity"), _day(activity) if activity else "—")
    cols[3].metric(_("Original source"), original_source(found.get("source_type"), i18n.t()))
    bounced, unsubscribed = bool(found["hard_bounced"]), bool(found["unsubscribed_all"])
    if bounced and unsubscribed:
        st.warning(_("This contact hard bounced and unsubscribed from all email."), icon=":material/mail_off:")
    elif bounced:
        st.warning(_("This contact hard bounced."), icon=":material/mail_off:")
    elif unsubscribed:
        st.warning(_("This contact unsubscribed from all email."), icon=":material/mail_off:")
    hubspot = found.get("hubspot_id")  # docs/domain.md §11: HubSpot's Record ID, else ours
    record = text_of(found["id"], hubspot)
    st.caption(_("Record ID {id} (HubSpot's)", id=record) if hubspot else _("Record ID {id} (created here)", id=record))


def _state_word(value: str | None) -> str:
    known = STATE_WORD.get(value)
    return _(known) if known else str(value)


def history(detail: ContactDetail) -> None:
    """Every status change, newest first."""
    st.subheader(_("Status history"), anchor=False)
    t = i18n.t()
    requested, old, new, takes_effect, source, by = (
        _("Requested"),
        _("From"),
        _("To"),
        _("Takes effect on"),
        _("Source"),
        _("By"),
    )
    table = pd.DataFrame(
        [
            {
                requested: e.requested_at,
                old: _state_word(e.old_state),
                new: _state_word(e.new_state) if e.new_state else _("deleted"),
                takes_effect: e.effective_on,
                source: e.source_in(t),
                by: e.actor,
            }
            for e in reversed(detail.history)
        ],
        columns=[requested, old, new, takes_effect, source, by],
    )
    if table.empty:
        st.caption(_("No status change recorded: the contact has kept the status it was created with."))
        return
    st.dataframe(
        table,
        hide_index=True,
        key="cd_history",
        width="stretch",
        column_config={requested: st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")},
    )
