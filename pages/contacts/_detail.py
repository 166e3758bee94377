"""What a contact's page shows: its status with the reason (what made it marketing, by whom, when), its fields
and its status history."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.rules.hubspot_labels import stage_label
from core.rules.record_id import text_of
from core.rules.status import STATE_LABELS, State
from core.services.contact_detail import ContactDetail
from pages.shared import session, simulation
from pages.shared.text import plain

STATE_TEXT: dict[str | None, str] = {state.value: label for state, label in STATE_LABELS.items()}
STATE_WORD = {None: "created", **STATE_TEXT}


def header(detail: ContactDetail) -> None:
    fields = detail.fields or {}
    name = " ".join(p for p in (fields.get("first_name"), fields.get("last_name")) if p)
    st.title(
        f"{plain(name or 'Contact')} (deleted)" if detail.fields is None else plain(name) or f"Contact {detail.id}",
        anchor=False,
    )
    st.caption(" · ".join(p for p in (plain(fields.get("email")), f"ID {detail.id}") if p))


def _state_text(detail: ContactDetail) -> str:
    """The state in words; a pending contact says when it leaves, and whether the simulated day is past that."""
    leaves_on = (detail.fields or {}).get("effective_on")
    if detail.state != "pending" or leaves_on is None:
        return STATE_TEXT.get(detail.state, "Deleted")
    assert detail.fields is not None
    simulated = session.today() if simulation.simulating() else None
    if State.on(detail.fields["marketing_status"], True, leaves_on, simulated) == State.NON_MARKETING:
        gone = STATE_LABELS[State.NON_MARKETING]
        return f"{gone} from {leaves_on:%d %b %Y} (as of the simulated {session.today():%d %b %Y})"
    return f"{STATE_LABELS[State.PENDING]} (non-marketing from {leaves_on:%d %b %Y})"


def status(detail: ContactDetail) -> None:
    """The marketing status and why; for a non-marketing contact, what last made it marketing."""
    with st.container(border=True):
        st.markdown(f"**Marketing status:** {_state_text(detail)}")
        st.markdown(f"**Why:** {plain(detail.reason)}")
        if detail.made_marketing is not None and detail.state == "non_marketing":
            made = detail.made_marketing
            st.caption(
                f"It was made marketing by **{plain(made.source)}**, by **{plain(made.actor)}**, "
                f"on {made.requested_at:%d %b %Y %H:%M}."
            )


def fields(found: dict[str, Any]) -> None:
    """Lifecycle stage, dates, original source; a warning when the contact bounced or unsubscribed."""
    cols = st.columns(4)
    cols[0].metric("Lifecycle stage", stage_label(found.get("lifecycle_stage")) or "—")
    cols[1].metric("Created", f"{found['created_at']:%d %b %Y}")
    activity = found.get("last_activity_at")
    cols[2].metric("Last activity", f"{activity:%d %b %Y}" if activity else "—")
    cols[3].metric("Original source", str(found.get("source_type") or "—").replace("_", " "))
    flags = [
        text
        for text, on in (
            ("hard bounced", found["hard_bounced"]),
            ("unsubscribed from all email", found["unsubscribed_all"]),
        )
        if on
    ]
    if flags:
        st.warning("This contact " + " and ".join(flags) + ".", icon=":material/mail_off:")
    hubspot = found.get("hubspot_id")  # docs/domain.md §11: HubSpot's Record ID, else ours
    st.caption(f"Record ID {text_of(found['id'], hubspot)}" + (" (HubSpot's)" if hubspot else " (created here)"))


def history(detail: ContactDetail) -> None:
    """Every status change, newest first."""
    st.subheader("Status history", anchor=False)
    table = pd.DataFrame(
        [
            {
                "Requested": e.requested_at,
                "From": STATE_WORD.get(e.old_state, e.old_state),
                "To": STATE_WORD.get(e.new_state, e.new_state) if e.new_state else "deleted",
                "Takes effect on": e.effective_on,
                "Source": e.source,
                "By": e.actor,
            }
            for e in reversed(detail.history)
        ],
        columns=["Requested", "From", "To", "Takes effect on", "Source", "By"],
    )
    if table.empty:
        st.caption("No status change recorded: the contact has kept the status it was created with.")
        return
    st.dataframe(
        table,
        hide_index=True,
        key="cd_history",
        width="stretch",
        column_config={"Requested": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")},
    )
