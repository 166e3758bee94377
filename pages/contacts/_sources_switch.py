"""Default status by source, the switches: one per form, chatflow and app; on waits for a confirmation that
shows how close the account is to a tier upgrade, off applies at once."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.rules.sources import ADJUSTABLE_DEFAULTS, SourceType
from core.services.sources import PER_TOOL, SourceSetting, headroom, set_source_default
from pages.contacts._sources_text import EFFECT, NONE_YET, SWITCH_ON, TITLES, UNTIL_SWITCHED
from pages.shared import allowed, session
from pages.shared.allowed import Action
from pages.shared.i18n import _, day, money, ngettext, pgettext, t
from pages.shared.messages import flash
from pages.shared.text import code, plain

CONFIRM = "src_confirm"


@dataclass(frozen=True)
class SwitchOn:
    """A tool whose switch was turned on: it stays off until the user confirms."""

    kind: SourceType
    source_id: str


def _save(kind: SourceType, source_id: str, marketing: bool) -> None:
    found = session.run(
        lambda: set_source_default(
            session.engine(),
            source=kind,
            source_id=source_id,
            marketing=marketing,
            today=session.today(),
            actor=session.actor(),
        )
    )
    if found is not None:
        name = found.name or found.source_id
        if found.marketing:
            flash(_("{name}: new contacts are now marketing.", name=name))
        else:
            flash(_("{name}: new contacts are now non-marketing.", name=name))


def _toggled(kind: SourceType, source_id: str, key: str) -> None:
    """Off applies at once; on waits for the confirmation (the switch stays off until then)."""
    if st.session_state[key]:
        st.session_state[key] = False
        st.session_state[CONFIRM] = SwitchOn(kind, source_id)
    else:
        _save(kind, source_id, False)


def _close(save: bool, pending: SwitchOn) -> None:
    if save:
        _save(pending.kind, pending.source_id, True)
    st.session_state.pop(CONFIRM, None)
    st.rerun()


def confirm_panel() -> None:
    """The confirmation of the switch turned on, if any: the tier headroom, a consent box, Switch on / Cancel."""
    pending = st.session_state.get(CONFIRM)
    if not isinstance(pending, SwitchOn):
        return
    room = session.run(lambda: headroom(session.engine()))
    if room is None:
        return
    with st.container(border=True):
        st.markdown(_(SWITCH_ON[pending.kind], id=plain(pending.source_id)))
        st.warning(
            ngettext(  # the English says "1 marketing contacts", as it always did
                # Translators: {price_now} is the bare number (English shows it so); {price_now_money} is the
                # same amount with its currency, for a language that wants it.
                "The account has {n} marketing contacts on a {tier}-contact tier: {left} more fit before the tier "
                "rises to {next_tier} contacts ({next_price} a month instead of {price_now}). Contacts this tool "
                "makes marketing raise the tier automatically when they go over it.",
                "The account has {n} marketing contacts on a {tier}-contact tier: {left} more fit before the tier "
                "rises to {next_tier} contacts ({next_price} a month instead of {price_now}). Contacts this tool "
                "makes marketing raise the tier automatically when they go over it.",
                room.marketing,
                tier=room.tier_limit,
                left=room.left_before_upgrade,
                next_tier=room.next_tier,
                next_price=money(room.next_monthly_price, room.currency),
                price_now=room.monthly_price,
                price_now_money=money(room.monthly_price, room.currency),
            ),
            icon=":material/trending_up:",
        )
        agreed = st.checkbox(_("I understand these contacts are billed and may raise the tier"), key="src_agree")
        cols = st.columns([1, 1, 4])
        refused = allowed.refused(Action.MANAGE_SETTINGS)
        if cols[0].button(_("Switch on"), key="src_confirm_on", type="primary", disabled=not agreed or bool(refused)):
            _close(True, pending)
        if cols[1].button(_("Cancel"), key="src_cancel"):
            _close(False, pending)


def switches(settings: list[SourceSetting]) -> None:
    """One section per kind of tool, one switch per tool."""
    refused = allowed.blocked(Action.MANAGE_SETTINGS)
    allowed.note(refused)
    said = t()
    for kind in PER_TOOL:
        st.subheader(said(TITLES[kind]), anchor=False)
        tools = [s for s in settings if s.source_type == kind.value]
        st.caption(said(UNTIL_SWITCHED[kind, bool(ADJUSTABLE_DEFAULTS[kind])]))
        if not tools:
            st.caption(said(NONE_YET[kind]))
        for tool in tools:
            key = f"src_{kind.value}_{tool.source_id}"
            st.session_state[key] = tool.marketing
            how = pgettext("tool setting", "Default") if tool.is_default else pgettext("tool setting", "Set")
            notes = [how, said(EFFECT[kind])]
            if tool.marketing and tool.switched_on_at:
                notes.append(_("on since {day}", day=day(tool.switched_on_at)))
            st.toggle(
                ngettext(  # the English says "1 contacts", as it always did
                    "**{name}** ({id}, {n} contacts so far): new contacts are marketing",
                    "**{name}** ({id}, {n} contacts so far): new contacts are marketing",
                    tool.contacts,
                    name=plain(tool.name or tool.source_id),
                    id=code(tool.source_id),
                ),
                key=key,
                on_change=_toggled,
                args=(kind, tool.source_id, key),
                disabled=bool(refused),
                help=refused or " · ".join(notes),
            )
