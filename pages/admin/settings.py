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
from core.services.audit import detail_label
from pages.shared import access, allowed, i18n, session
from pages.shared.allowed import Action
from pages.shared.i18n import _, ngettext, pgettext
from pages.shared.text import plain


def edition_name(edition: str) -> str:
    """HubSpot's edition names (the same in Polish: they are product names)."""
    names = {
        "starter": pgettext("edition", "Starter"),
        "professional": pgettext("edition", "Professional"),
        "enterprise": pgettext("edition", "Enterprise"),
    }
    return names.get(edition, edition.capitalize())


def commitment_name(commitment: str) -> str:
    names = {"annual": pgettext("commitment", "Annual"), "monthly": pgettext("commitment", "Monthly")}
    return names.get(commitment, commitment.capitalize())


access.require_access()  # also when Streamlit runs this file straight from its URL
st.title(_("Account settings"))
settings = session.run(lambda: current_settings(session.engine()))
if settings is None:
    st.stop()

editions = [e.value for e in Edition]
edition = st.selectbox(
    _("Edition"), editions, index=editions.index(settings.edition), format_func=edition_name, key="settings_edition"
)
pricing = defaults_for(edition)
same = edition == settings.edition
now = Pricing(settings.included, settings.increment_size, settings.base_price, settings.increment_price)
billed_now = ngettext(
    "Now billed: {tier} contacts for {price} a month, with {n} marketing contact.",
    "Now billed: {tier} contacts for {price} a month, with {n} marketing contacts.",
    settings.marketing,
    tier=settings.billed_tier,
    price=i18n.money(now.monthly_price(settings.billed_tier), settings.currency),
)
included = _(
    "{edition} includes {included} marketing contacts; more are bought in increments.",
    edition=edition_name(edition),
    included=pricing.included,
)
usual = _("The increment and prices below are this edition's usual ones: adjust them to your contract.")
st.caption(" ".join([billed_now, included] + ([] if same else [usual])))
fitting = (
    max(settings.billed_tier, pricing.fitting_tier(settings.marketing))
    if same
    else pricing.fitting_tier(settings.marketing)
)

with st.form(f"settings_form_{edition}"):
    cols = st.columns(2)
    commitments = [c.value for c in Commitment]
    commitment = cols[0].selectbox(
        _("Commitment"),
        commitments,
        index=commitments.index(settings.commitment),
        format_func=commitment_name,
        help=_("Annual: update dates on the 1st of every month. Monthly: on the monthly renewal day."),
    )
    start_date = cols[1].date_input(_("Subscription start date"), value=settings.start_date, format="YYYY-MM-DD")
    increment_size = cols[0].number_input(
        _("Contacts per increment"),
        min_value=1,
        step=1_000,
        value=settings.increment_size if same else pricing.increment,
    )
    billed_tier = cols[1].number_input(
        _("Billed tier (contacts paid for)"), min_value=1, step=1_000, value=settings.billed_tier if same else fitting
    )
    base_price = cols[0].number_input(
        _("Base price ({currency} a month)", currency=settings.currency),
        min_value=0,
        step=10,
        value=settings.base_price if same else pricing.base_price,
    )
    increment_price = cols[1].number_input(
        _("Price per increment ({currency} a month)", currency=settings.currency),
        min_value=0,
        step=10,
        value=settings.increment_price if same else pricing.increment_price,
    )
    refused = allowed.refused(Action.MANAGE_SETTINGS)
    submitted = st.form_submit_button(_("Save settings"), type="primary", disabled=bool(refused), help=refused)

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
        problems = "\n".join(f"- {plain(i18n.error_text(reason))}" for reason in exc.reasons)
        st.error(_("The settings were not saved:") + "\n" + problems)
    except DomainError as exc:  # e.g. PermissionDenied: only admins change settings
        st.error(plain(i18n.error_text(exc)))
    else:
        t = i18n.t()
        changed = ", ".join(detail_label(name, t) for name in saved.changed) or _("nothing changed")
        st.success(
            ngettext(
                "Settings saved ({changed}). Billed tier: {n} contact.",
                "Settings saved ({changed}). Billed tier: {n} contacts.",
                saved.billed_tier,
                changed=changed,
            )
        )
