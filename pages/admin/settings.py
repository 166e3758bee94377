"""Account settings: edition, commitment, subscription start date, billed tier, increments and prices."""

import streamlit as st

from core.errors import DomainError
from core.rules.calendar import Commitment
from core.rules.tiers import Edition, Pricing
from core.services.account_settings import (
    InvalidSettings,
    SettingsInput,
    current_settings,
    defaults_for,
    update_settings,
)
from pages.shared import access, allowed, session
from pages.shared.allowed import Action
from pages.shared.text import plain

access.require_access()  # also when Streamlit runs this file straight from its URL
st.title("Account settings")
settings = session.run(lambda: current_settings(session.engine()))
if settings is None:
    st.stop()

editions = [e.value for e in Edition]
edition = st.selectbox(
    "Edition", editions, index=editions.index(settings.edition), format_func=str.capitalize, key="settings_edition"
)
pricing = defaults_for(edition)
same = edition == settings.edition
now = Pricing(settings.included, settings.increment_size, settings.base_price, settings.increment_price)
st.caption(
    f"Now billed: {settings.billed_tier:,} contacts for {now.monthly_price(settings.billed_tier):,} "
    f"{settings.currency} a month, with {settings.marketing:,} marketing contacts. "
    f"{edition.capitalize()} includes {pricing.included:,} marketing contacts; more are bought in increments."
    + ("" if same else " The increment and prices below are this edition's usual ones: adjust them to your contract.")
)
fitting = (
    max(settings.billed_tier, pricing.fitting_tier(settings.marketing))
    if same
    else pricing.fitting_tier(settings.marketing)
)

with st.form(f"settings_form_{edition}"):
    cols = st.columns(2)
    commitments = [c.value for c in Commitment]
    commitment = cols[0].selectbox(
        "Commitment",
        commitments,
        index=commitments.index(settings.commitment),
        format_func=str.capitalize,
        help="Annual: update dates on the 1st of every month. Monthly: on the monthly renewal day.",
    )
    start_date = cols[1].date_input("Subscription start date", value=settings.start_date, format="YYYY-MM-DD")
    increment_size = cols[0].number_input(
        "Contacts per increment", min_value=1, step=1_000, value=settings.increment_size if same else pricing.increment
    )
    billed_tier = cols[1].number_input(
        "Billed tier (contacts paid for)", min_value=1, step=1_000, value=settings.billed_tier if same else fitting
    )
    base_price = cols[0].number_input(
        f"Base price ({settings.currency} a month)",
        min_value=0,
        step=10,
        value=settings.base_price if same else pricing.base_price,
    )
    increment_price = cols[1].number_input(
        f"Price per increment ({settings.currency} a month)",
        min_value=0,
        step=10,
        value=settings.increment_price if same else pricing.increment_price,
    )
    refused = allowed.refused(Action.MANAGE_SETTINGS)
    submitted = st.form_submit_button("Save settings", type="primary", disabled=bool(refused), help=refused)

if submitted:
    wanted = SettingsInput(
        edition=edition,
        commitment=commitment,
        start_date=start_date,
        billed_tier=int(billed_tier),
        increment_size=int(increment_size),
        base_price=int(base_price),
        increment_price=int(increment_price),
    )
    try:
        saved = update_settings(session.engine(), wanted, today=session.real_today(), actor=session.actor())
    except InvalidSettings as exc:
        st.error("The settings were not saved:\n" + "\n".join(f"- {plain(problem)}" for problem in exc.problems))
    except DomainError as exc:  # e.g. PermissionDenied: only admins change settings
        st.error(plain(exc))
    else:
        changed = ", ".join(name.replace("_", " ") for name in saved.changed) or "nothing changed"
        st.success(f"Settings saved ({changed}). Billed tier: {saved.billed_tier:,} contacts.")
