"""Default status by source: adding a form, chatflow or connected app before it creates its first contact."""

from __future__ import annotations

import streamlit as st

from core.rules.sources import SourceType
from core.services.sources import PER_TOOL, SourceSetting, set_source_default
from pages.contacts._sources_text import KINDS, LISTED, NEEDS_ID
from pages.shared import allowed, session
from pages.shared.allowed import Action
from pages.shared.i18n import _, t
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
        flash(_("Added {name}.", name=added.name or added.source_id))
        st.rerun()


def add_form(settings: list[SourceSetting]) -> None:
    """The tool's kind, ID and name; it is added with its kind's default (an ID already listed is refused)."""
    said = t()
    with (
        st.expander(_("Add a form, chatflow or connected app"), icon=":material/add:"),
        st.form("src_add", border=False),
    ):
        cols = st.columns([2, 2, 3])
        kind = cols[0].selectbox(
            _("Type"), [k.value for k in PER_TOOL], key="src_add_type", format_func=lambda k: said(KINDS[SourceType(k)])
        )
        source_id = cols[1].text_input(_("ID"), key="src_add_id", placeholder=_("e.g. newsletter-signup"))
        name = cols[2].text_input(_("Name"), key="src_add_name", placeholder=_("e.g. Newsletter sign-up"))
        listed = {(s.source_type, s.source_id) for s in settings}
        refused = allowed.blocked(Action.MANAGE_SETTINGS)
        allowed.note(refused)
        submitted = st.form_submit_button(_("Add with its default"), disabled=bool(refused), help=refused)
        if submitted and not source_id.strip():
            st.error(said(NEEDS_ID[SourceType(kind)]))
        elif submitted and (kind, source_id.strip()) in listed:
            st.error(said(LISTED[SourceType(kind)], id=plain(source_id.strip())))
        elif submitted:
            _add(kind, source_id, name)
