"""New contact, the Contacts page's popover: one contact created by hand, non-marketing unless ticked.

A marketing contact that would raise the billed tier needs consent to the tier the form shows, and what the form
showed binds (docs/domain.md §10): if, when Create is pressed, the tier or price would differ (someone changed
the contacts meanwhile), nothing is created, the form shows the new figures and the consent is asked again.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.errors import ConfirmationOutdated, DomainError, TierUpgradeRequired
from core.rules.confirmation import Confirmed, differences_in
from core.services.contacts import create_contact_by_hand
from core.services.sources import Headroom, headroom
from pages.contacts import _state as state
from pages.shared import allowed, choices, i18n, session
from pages.shared.allowed import Action
from pages.shared.i18n import _
from pages.shared.text import plain

SHOWN = "ct_new_room"  # the headroom the form last showed: what a consent ticked in it agreed to
OUTDATED = "ct_new_outdated"  # why the last Create was refused, shown once
CONSENT = "ct_new_upgrade"


def _figures(room: Headroom | None) -> None:
    """Where the marketing count stands against the billed tier, and the consent box when the tier is full."""
    if room is None:
        return
    if room.left_before_upgrade:
        st.caption(
            _(
                "Marketing contacts: {marketing} of {tier}. A marketing contact is billed now.",
                marketing=room.marketing,
                tier=room.tier_limit,
            )
        )
        return
    price = i18n.money(room.next_monthly_price, room.currency)
    st.warning(
        _(
            "The billed tier is full ({marketing} of {tier}): a marketing contact raises it to **{next_tier}** "
            "contacts, **{price}** a month. The tier is not lowered before renewal.",
            marketing=room.marketing,
            tier=room.tier_limit,
            next_tier=room.next_tier,
            price=price,
        )
    )
    st.checkbox(
        _("I agree to the {tier}-contact tier at {price} a month", tier=room.next_tier, price=price), key=CONSENT
    )


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
        st.session_state[OUTDATED] = _(
            "Someone changed the contacts meanwhile: {differences}. Nothing was created. "
            "Review the new figures and confirm again.",
            differences="; ".join(differences_in(exc, i18n.t())),
        )
        session.reset_later(**{CONSENT: False})  # the consent was to the old figures
        st.rerun()
    except TierUpgradeRequired as exc:
        st.error(_("{error}. Tick “I agree” to the new tier to create it anyway.", error=plain(i18n.error_text(exc))))
        return
    except DomainError as exc:  # an invalid or duplicate email, a field too long, no permission
        st.error(plain(i18n.error_text(exc)))
        return
    if result.status == "marketing":
        created = _("Created a marketing contact: {email} (ID {id}).", email=result.email, id=str(result.contact_id))
    else:
        created = _(
            "Created a non-marketing contact: {email} (ID {id}).", email=result.email, id=str(result.contact_id)
        )
    state.changed(created)
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
        email = st.text_input(_("Email"), key="ct_new_email")
        cols = st.columns(3)
        first = cols[0].text_input(_("First name"), key="ct_new_first")
        last = cols[1].text_input(_("Last name"), key="ct_new_last")
        with cols[2]:
            stage = choices.stage_picker(_("Lifecycle stage"), key="ct_new_stage")
        no_status = allowed.blocked(Action.CHANGE_STATUS)
        marketing = st.checkbox(
            _("Marketing contact"),
            key="ct_new_marketing",
            value=False,
            disabled=bool(no_status),
            help=no_status or _("Billed from today"),
        )
        _figures(room)
        refused = allowed.blocked(Action.EDIT_CONTACTS)
        allowed.note(refused or no_status)
        submitted = st.form_submit_button(_("Create contact"), type="primary", disabled=bool(refused), help=refused)
    if submitted:
        values = {"email": email, "first_name": first, "last_name": last, "lifecycle_stage": stage}
        _create(values, marketing, _promise(shown if isinstance(shown, Headroom) else room, marketing, consented))
