"""Default status of new contacts by the tool that creates them (DOMAIN.md §5): per form, chatflow and app.

Switching a tool on goes through a confirmation that shows how close the account is to a tier upgrade.
"""

import pandas as pd
import streamlit as st

from core.rules.sources import ADJUSTABLE_DEFAULTS, SourceType
from core.services.sources import FIXED_SOURCES, PER_TOOL, headroom, list_source_settings, set_source_default
from pages.shared import common

TITLES = {SourceType.FORM: "Forms", SourceType.CHATFLOW: "Chatflows", SourceType.INTEGRATION: "Connected apps"}
EFFECT = {
    SourceType.FORM: "new contacts from this form are marketing, and an existing non-marketing contact who "
    "submits it becomes marketing (a pending change is undone)",
    SourceType.CHATFLOW: "new contacts from this chatflow are marketing",
    SourceType.INTEGRATION: "contacts this app creates from now on are marketing (existing ones keep their status)",
}
FIXED_NAMES = {
    "mobile_app": "Mobile app",
    "logged_email": "Logged 1:1 email",
    "connected_inbox": "Connected inbox",
    "document": "Document open",
    "meeting_link": "Meeting link",
    "email_extension": "Email extension",
    "multi_object_import": "Multi-object import",
}

common.require_access()
st.title("Default status by source")
st.caption(
    "Whether a contact a tool creates is a marketing contact (billed) or not. Switching a tool never "
    "changes existing contacts: it applies to what the tool does from then on."
)


def _save(kind: str, source_id: str, marketing: bool) -> None:
    found = common.run(
        lambda: set_source_default(
            common.engine(),
            source=kind,
            source_id=source_id,
            marketing=marketing,
            today=common.today(),
            actor=common.actor(),
        )
    )
    if found is not None:
        st.cache_data.clear()
        st.session_state["src_flash"] = f"{found.name or found.source_id}: new contacts are now " + (
            "marketing." if found.marketing else "non-marketing."
        )


def _toggled(kind: str, source_id: str, key: str) -> None:
    """Off applies at once; on waits for the confirmation below (the switch stays off until then)."""
    if st.session_state[key]:
        st.session_state[key] = False
        st.session_state["src_confirm"] = (kind, source_id)
    else:
        _save(kind, source_id, False)


def _confirm_panel(kind: str, source_id: str) -> None:
    room = common.run(lambda: headroom(common.engine()))
    if room is None:
        return
    with st.container(border=True):
        st.markdown(
            f"**Switch on {kind.replace('integration', 'connected app')} {source_id}?** While on, "
            f"{EFFECT[SourceType(kind)]}."
        )
        st.warning(
            f"The account has {room.marketing:,} marketing contacts on a {room.tier_limit:,}-contact tier: "
            f"{room.left_before_upgrade:,} more fit before the tier rises to {room.next_tier:,} contacts "
            f"({room.next_monthly_price:,} {room.currency} a month instead of {room.monthly_price:,}). "
            "Contacts this tool makes marketing raise the tier automatically when they go over it.",
            icon=":material/trending_up:",
        )
        agreed = st.checkbox("I understand these contacts are billed and may raise the tier", key="src_agree")
        cols = st.columns([1, 1, 4])
        if cols[0].button(
            "Switch on",
            key="src_confirm_on",
            type="primary",
            disabled=not agreed or common.writes_refused("Changing defaults"),
        ):
            _save(kind, source_id, True)
            st.session_state.pop("src_confirm", None)
            st.rerun()
        if cols[1].button("Cancel", key="src_cancel"):
            st.session_state.pop("src_confirm", None)
            st.rerun()


message = st.session_state.pop("src_flash", None)
if message:
    st.success(message, icon=":material/check_circle:")
pending = st.session_state.get("src_confirm")
if pending:
    _confirm_panel(*pending)
settings = common.run(lambda: list_source_settings(common.engine())) or []
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
            f"**{tool.name or tool.source_id}** (`{tool.source_id}`): new contacts are marketing",
            key=key,
            on_change=_toggled,
            args=(kind.value, tool.source_id, key),
            disabled=common.simulating(),
            help=("Default" if tool.is_default else "Set") + f" · {EFFECT[kind]}{since}",
        )

with st.expander("Add a form, chatflow or connected app", icon=":material/add:"), st.form("src_add", border=False):
    cols = st.columns([2, 2, 3])
    kind = cols[0].selectbox(
        "Type", [k.value for k in PER_TOOL], key="src_add_type", format_func=lambda k: TITLES[SourceType(k)][:-1]
    )
    source_id = cols[1].text_input("ID", key="src_add_id", placeholder="e.g. newsletter-signup")
    name = cols[2].text_input("Name", key="src_add_name", placeholder="e.g. Newsletter sign-up")
    listed = {(s.source_type, s.source_id) for s in settings}
    label = TITLES[SourceType(kind)][:-1].lower()
    submitted = st.form_submit_button("Add with its default", disabled=common.simulating())
    if submitted and not source_id.strip():
        st.error(f"Give the {label} its ID: the one the tool sends with each contact it creates.")
    elif submitted and (kind, source_id.strip()) in listed:
        st.error(f"A {label} with the ID “{source_id.strip()}” is already listed above: switch its toggle there.")
    elif submitted:
        added = common.run(
            lambda: set_source_default(
                common.engine(),
                source=kind,
                source_id=source_id,
                marketing=None,
                name=name,
                today=common.today(),
                actor=common.actor(),
            )
        )
        if added is not None:
            st.session_state["src_flash"] = f"Added {added.name or added.source_id}."
            st.rerun()

st.subheader("Other sources", anchor=False)
others = [
    {"Source": "Import", "New contacts": "Non-marketing unless the import sets all contacts as marketing"},
    {"Source": "Manual creation", "New contacts": "The creator picks (“Marketing contact”, off by default)"},
]
others += [{"Source": FIXED_NAMES.get(s, s), "New contacts": "Always non-marketing"} for s in FIXED_SOURCES]
st.dataframe(pd.DataFrame(others), hide_index=True, key="src_fixed", width="stretch")
