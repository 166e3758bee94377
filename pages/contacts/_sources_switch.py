"""Default status by source, the switches: one per form, chatflow and app; on waits for a confirmation that
shows how close the account is to a tier upgrade, off applies at once."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.rules.sources import ADJUSTABLE_DEFAULTS, SourceType
from core.services.sources import PER_TOOL, SourceSetting, headroom, set_source_default
from pages.shared import allowed, session
from pages.shared.allowed import Action
from pages.shared.messages import flash
from pages.shared.text import code, plain

TITLES = {SourceType.FORM: "Forms", SourceType.CHATFLOW: "Chatflows", SourceType.INTEGRATION: "Connected apps"}
EFFECT = {
    SourceType.FORM: "new contacts from this form are marketing, and an existing non-marketing contact who "
    "submits it becomes marketing (a pending change is undone)",
    SourceType.CHATFLOW: "new contacts from this chatflow are marketing",
    SourceType.INTEGRATION: "contacts this app creates from now on are marketing (existing ones keep their status)",
}
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
        now = "marketing." if found.marketing else "non-marketing."
        flash(f"{found.name or found.source_id}: new contacts are now {now}")


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
        what = pending.kind.replace("integration", "connected app")
        st.markdown(f"**Switch on {what} {plain(pending.source_id)}?** While on, {EFFECT[pending.kind]}.")
        st.warning(
            f"The account has {room.marketing:,} marketing contacts on a {room.tier_limit:,}-contact tier: "
            f"{room.left_before_upgrade:,} more fit before the tier rises to {room.next_tier:,} contacts "
            f"({room.next_monthly_price:,} {room.currency} a month instead of {room.monthly_price:,}). "
            "Contacts this tool makes marketing raise the tier automatically when they go over it.",
            icon=":material/trending_up:",
        )
        agreed = st.checkbox("I understand these contacts are billed and may raise the tier", key="src_agree")
        cols = st.columns([1, 1, 4])
        refused = allowed.refused(Action.MANAGE_SETTINGS)
        if cols[0].button("Switch on", key="src_confirm_on", type="primary", disabled=not agreed or bool(refused)):
            _close(True, pending)
        if cols[1].button("Cancel", key="src_cancel"):
            _close(False, pending)


def switches(settings: list[SourceSetting]) -> None:
    """One section per kind of tool, one switch per tool."""
    refused = allowed.blocked(Action.MANAGE_SETTINGS)
    allowed.note(refused)
    for kind in PER_TOOL:
        st.subheader(TITLES[kind], anchor=False)
        tools = [s for s in settings if s.source_type == kind.value]
        default = "marketing" if ADJUSTABLE_DEFAULTS[kind] else "non-marketing"
        st.caption(f"New {TITLES[kind].lower()} make {default} contacts until switched.")
        if not tools:
            st.caption(f"No {TITLES[kind].lower()} yet: add one below, or it appears when it first creates a contact.")
        for tool in tools:
            key = f"src_{kind.value}_{tool.source_id}"
            st.session_state[key] = tool.marketing
            since = f" · on since {tool.switched_on_at:%d %b %Y}" if tool.marketing and tool.switched_on_at else ""
            st.toggle(
                f"**{plain(tool.name or tool.source_id)}** ({code(tool.source_id)}, "
                f"{tool.contacts:,} contacts so far): new contacts are marketing",
                key=key,
                on_change=_toggled,
                args=(kind, tool.source_id, key),
                disabled=bool(refused),
                help=refused or ("Default" if tool.is_default else "Set") + f" · {EFFECT[kind]}{since}",
            )
