"""One contact: its fields, its status with the reason (what made it marketing, by whom, when), its history."""

import pandas as pd
import streamlit as st

from core.errors import DomainError
from core.rules.selection import Selection
from core.rules.status import MarketingStatus, State
from core.services.contact_detail import ContactDetail, find_contact_id, get_contact
from core.services.contacts import delete_contacts, update_contact
from pages.contacts import _bulk as bulk
from pages.contacts import _state as state
from pages.shared import common

STATE_TEXT = {"marketing": "Marketing", "pending": "Marketing until next update", "non_marketing": "Non-marketing"}
STATE_WORD = {None: "created", "marketing": "marketing", "pending": "pending", "non_marketing": "non-marketing"}

common.require_access()
st.page_link("pages/contacts/contacts.py", label="Back to contacts", icon=":material/arrow_back:")


def _lookup() -> None:
    try:
        st.session_state["contact_id"] = find_contact_id(common.engine(), text=st.session_state.get("cd_lookup", ""))
    except DomainError as exc:
        st.session_state["cd_lookup_error"] = str(exc)


st.text_input(
    "Open a contact by ID or email", key="cd_lookup", placeholder="e.g. 42 or ada@example.com", on_change=_lookup
)
if st.session_state.get("cd_lookup_error"):
    st.error(st.session_state.pop("cd_lookup_error"))
contact_id = st.session_state.get("contact_id")
if contact_id is None:
    st.info("Open a contact from the Contacts page (select its row, then Open contact), or type its ID or email.")
    st.stop()
detail: ContactDetail | None = common.run(lambda: get_contact(common.engine(), contact_id=int(contact_id)))
if detail is None:
    st.stop()
message = st.session_state.pop("cd_flash", None)
if message:
    st.success(message, icon=":material/check_circle:")
state.flash()  # a status change made from this page (through the Contacts page's dialog)

fields = detail.fields or {}
name = " ".join(p for p in (fields.get("first_name"), fields.get("last_name")) if p)
st.title(f"{name or 'Contact'} (deleted)" if detail.fields is None else name or f"Contact {detail.id}", anchor=False)
st.caption(" · ".join(p for p in (fields.get("email"), f"ID {detail.id}") if p))
state_text = STATE_TEXT.get(detail.state or "", "Deleted")
leaves_on = fields.get("effective_on")
if detail.state == "pending" and leaves_on is not None:
    simulated = common.today() if common.simulating() else None
    shown = State.on(fields["marketing_status"], True, leaves_on, simulated)
    if shown == State.NON_MARKETING:  # the simulated day is past its update date
        state_text = f"Non-marketing from {leaves_on:%d %b %Y} (as of the simulated {common.today():%d %b %Y})"
    else:
        state_text = f"Marketing until next update (non-marketing from {leaves_on:%d %b %Y})"
with st.container(border=True):
    st.markdown(f"**Marketing status:** {state_text}")
    st.markdown(f"**Why:** {detail.reason}")
    if detail.made_marketing is not None and detail.state == "non_marketing":
        made = detail.made_marketing
        st.caption(
            f"It was made marketing by **{made.source}**, by **{made.actor}**, on {made.requested_at:%d %b %Y %H:%M}."
        )

if detail.fields is not None:  # change this one contact's status: the Contacts page's dialog, for one id
    one = Selection(ids=(detail.id,))
    cols = st.columns([1, 1, 3])
    if detail.state != "marketing" and cols[0].button(
        "Set as marketing", key="cd_to_marketing", icon=":material/campaign:", disabled=common.simulating()
    ):
        bulk.open_status(MarketingStatus.MARKETING, selection=one, scope="selected", count=1, label="this contact")
    if detail.state == "marketing" and cols[1].button(
        "Set as non-marketing", key="cd_to_non_marketing", icon=":material/unsubscribe:", disabled=common.simulating()
    ):
        bulk.open_status(MarketingStatus.NON_MARKETING, selection=one, scope="selected", count=1, label="this contact")
    bulk.show_dialog()

if detail.fields is not None:
    cols = st.columns(4)
    cols[0].metric("Lifecycle stage", fields.get("lifecycle_stage") or "—")
    cols[1].metric("Created", f"{fields['created_at']:%d %b %Y}")
    activity = fields.get("last_activity_at")
    cols[2].metric("Last activity", f"{activity:%d %b %Y}" if activity else "—")
    cols[3].metric("Original source", str(fields.get("source_type") or "—").replace("_", " "))
    flags = [
        t
        for t, on in (
            ("hard bounced", fields["hard_bounced"]),
            ("unsubscribed from all email", fields["unsubscribed_all"]),
        )
        if on
    ]
    if flags:
        st.warning("This contact " + " and ".join(flags) + ".", icon=":material/mail_off:")

st.subheader("Status history", anchor=False)
history = pd.DataFrame(
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
if history.empty:
    st.caption("No status change recorded: the contact has kept the status it was created with.")
else:
    st.dataframe(
        history,
        hide_index=True,
        key="cd_history",
        width="stretch",
        column_config={"Requested": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")},
    )

if detail.fields is None:
    st.stop()
with st.expander("Edit fields", icon=":material/edit:"), st.form("cd_edit", border=False):
    email = st.text_input("Email", value=fields["email"], key="cd_email")
    cols = st.columns(3)
    first = cols[0].text_input("First name", value=fields.get("first_name") or "", key="cd_first")
    last = cols[1].text_input("Last name", value=fields.get("last_name") or "", key="cd_last")
    stage = cols[2].text_input("Lifecycle stage", value=fields.get("lifecycle_stage") or "", key="cd_stage")
    bounced = st.checkbox("Hard bounced", value=bool(fields["hard_bounced"]), key="cd_bounced")
    unsubscribed = st.checkbox("Unsubscribed from all email", value=bool(fields["unsubscribed_all"]), key="cd_unsub")
    if st.form_submit_button("Save", type="primary", disabled=common.simulating()):
        changes = {
            "email": email,
            "first_name": first,
            "last_name": last,
            "lifecycle_stage": stage,
            "hard_bounced": bounced,
            "unsubscribed_all": unsubscribed,
        }
        done = common.run(
            lambda: update_contact(
                common.engine(), contact_id=detail.id, changes=changes, today=common.today(), actor=common.actor()
            )
        )
        if done is not None:
            st.session_state["cd_flash"] = f"Saved {done} change(s)." if done else "Nothing changed."
            st.rerun()

with st.expander("Delete this contact", icon=":material/delete:"):
    st.caption("It leaves the marketing count at once; the billed tier stays until renewal. Its history is kept.")
    sure = st.checkbox(f"Yes, delete {fields['email']}", key="cd_delete_sure")
    if st.button("Delete contact", key="cd_delete", disabled=not sure or common.simulating()):
        result = common.run(
            lambda: delete_contacts(
                common.engine(), selection=Selection(ids=(detail.id,)), today=common.today(), actor=common.actor()
            )
        )
        if result is not None:
            st.cache_data.clear()
            st.session_state["cd_flash"] = (
                f"Deleted. Marketing contacts: {result.marketing_before:,} → {result.marketing_after:,}."
            )
            st.rerun()
