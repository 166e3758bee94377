"""New contact, the Contacts page's popover: one contact created by hand, non-marketing unless ticked.

A marketing contact that would raise the billed tier needs consent to the tier the form shows, and what the form
showed binds (docs/domain.md §10): if, when Create is pressed, the tier or price would differ (someone changed
the contacts meanwhile), nothing is created, the form shows the new figures and the consent is asked again.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.errors import ConfirmationOutdated, DomainError, TierUpgradeRequired
from core.rules.confirmation import Confirmed
from core.services.contacts import create_contact_by_hand
from core.services.sources import Headroom, headroom
from pages.contacts import _state as state
from pages.shared import allowed, choices, session
from pages.shared.allowed import Action
from pages.shared.messages import outdated_text
from pages.shared.text import plain

SHOWN = "ct_new_room"  # the headroom the form last showed: what a consent ticked in it agreed to
OUTDATED = "ct_new_outdated"  # why the last Create was refused, shown once
CONSENT = "ct_new_upgrade"


def _figures(room: Headroom | None) -> None:
    """Where the marketing count stands against the billed tier, and the consent box when the tier is full."""
    if room is None:
        return
    if room.left_before_upgrade:
        st.caption(f"Marketing contacts: {room.marketing:,} of {room.tier_limit:,}. A marketing contact is billed now.")
        return
    price = f"{room.next_monthly_price:,} {room.currency}"
    st.warning(
        f"The billed tier is full ({room.marketing:,} of {room.tier_limit:,}): a marketing contact raises it to "
        f"**{room.next_tier:,}** contacts, **{price}** a month. The tier is not lowered before renewal."
    )
    st.checkbox(f"I agree to the {room.next_tier:,}-contact tier at {price} a month", key=CONSENT)


def _promise(room: Headroom | None, marketing: bool, consented: bool) -> Confirmed | None:
    """What the form showed a marketing contact does to the tier and price (a non-marketing one changes neither)."""
    if room is None or not marketing:
        return None
    if room.left_before_upgrade:
        return Confirmed(tier_limit=room.tier_limit, monthly_price=room.monthly_price)
    return Confirmed(tier_limit=room.next_tier, monthly_price=room.next_monthly_price) if consented else None


def _create(values: dict[str, Any], marketing: bool, confirmed: Confirmed | None) -> None:
    try:
        result = create_contact_by_hand(
            session.engine(),
            **values,
            marketing=marketing,
            today=session.today(),
            actor=session.actor(),
            confirmed=confirmed,
        )
    except ConfirmationOutdated as exc:
        st.session_state[OUTDATED] = outdated_text(exc.differences, what="the contacts", verb="created")
        session.reset_later(**{CONSENT: False})  # the consent was to the old figures
        st.rerun()
    except TierUpgradeRequired as exc:
        st.error(f"{plain(exc)}. Tick “I agree” to the new tier to create it anyway.")
        return
    except DomainError as exc:  # an invalid or duplicate email, a field too long, no permission
        st.error(plain(exc))
        return
    status = "a marketing" if result.status == "marketing" else "a non-marketing"
    state.changed(f"Created {status} contact: {result.email} (ID {result.contact_id}).")
    st.rerun()


def form() -> None:
    """The form: email, names, stage, "Marketing contact" and, when the tier is full, the consent to the next."""
    shown = st.session_state.get(SHOWN)  # what the user saw when they pressed Create
    consented = bool(st.session_state.get(CONSENT))
    session.apply_resets(CONSENT)
    room = session.run(lambda: headroom(session.engine()))
    st.session_state[SHOWN] = room
    if message := st.session_state.pop(OUTDATED, None):
        st.warning(message, icon=":material/sync_problem:")
    with st.form("ct_new_contact", clear_on_submit=False, border=False):
        email = st.text_input("Email", key="ct_new_email")
        cols = st.columns(3)
        first = cols[0].text_input("First name", key="ct_new_first")
        last = cols[1].text_input("Last name", key="ct_new_last")
        with cols[2]:
            stage = choices.stage_picker("Lifecycle stage", key="ct_new_stage")
        no_status = allowed.blocked(Action.CHANGE_STATUS)
        marketing = st.checkbox(
            "Marketing contact",
            key="ct_new_marketing",
            value=False,
            disabled=bool(no_status),
            help=no_status or "Billed from today",
        )
        _figures(room)
        refused = allowed.blocked(Action.EDIT_CONTACTS)
        allowed.note(refused or no_status)
        submitted = st.form_submit_button("Create contact", type="primary", disabled=bool(refused), help=refused)
    if submitted:
        values = {"email": email, "first_name": first, "last_name": last, "lifecycle_stage": stage}
        _create(values, marketing, _promise(shown if isinstance(shown, Headroom) else room, marketing, consented))
