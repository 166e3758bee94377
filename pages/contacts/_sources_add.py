"""Default status by source: adding a form, chatflow or connected app before it creates its first contact."""

from __future__ import annotations

import streamlit as st

from core.rules.sources import SourceType
from core.services.sources import PER_TOOL, SourceSetting, set_source_default
from pages.contacts._sources_switch import TITLES
from pages.shared import allowed, session
from pages.shared.allowed import Action
from pages.shared.messages import flash
from pages.shared.text import plain


def _add(kind: str, source_id: str, name: str) -> None:
    added = session.run(
        lambda: set_source_default(
            session.engine(),
            source=kind,
            source_id=source_id,
            marketing=None,
            name=name,
            today=session.today(),
            actor=session.actor(),
        )
    )
    if added is not None:
        flash(f"Added {added.name or added.source_id}.")
        st.rerun()


def add_form(settings: list[SourceSetting]) -> None:
    """The tool's kind, ID and name; it is added with its kind's default (an ID already listed is refused)."""
    with st.expander("Add a form, chatflow or connected app", icon=":material/add:"), st.form("src_add", border=False):
        cols = st.columns([2, 2, 3])
        kind = cols[0].selectbox(
            "Type", [k.value for k in PER_TOOL], key="src_add_type", format_func=lambda k: TITLES[SourceType(k)][:-1]
        )
        source_id = cols[1].text_input("ID", key="src_add_id", placeholder="e.g. newsletter-signup")
        name = cols[2].text_input("Name", key="src_add_name", placeholder="e.g. Newsletter sign-up")
        listed = {(s.source_type, s.source_id) for s in settings}
        label = TITLES[SourceType(kind)][:-1].lower()
        refused = allowed.blocked(Action.MANAGE_SETTINGS)
        allowed.note(refused)
        submitted = st.form_submit_button("Add with its default", disabled=bool(refused), help=refused)
        if submitted and not source_id.strip():
            st.error(f"Give the {label} its ID: the one the tool sends with each contact it creates.")
        elif submitted and (kind, source_id.strip()) in listed:
            st.error(
                f"A {label} with the ID “{plain(source_id.strip())}” is already listed above: switch its toggle there."
            )
        elif submitted:
            _add(kind, source_id, name)
