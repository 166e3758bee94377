"""Choosing the dashboard's language (sidebar) and remembering it per user (docs/architecture.md, "Languages")."""

from __future__ import annotations

import streamlit as st

from core.i18n import LANGUAGES
from core.services.preferences import choose_language, language_of
from pages.shared import i18n, session

LOADED_FOR = "language_loaded_for"  # whose stored choice the session's language came from
CHOICE = "language_choice"
PENDING = "language_pending"  # chosen on the sign-in page, before anyone was let in: kept for whoever signs in


def _let_in() -> bool:
    return bool(st.session_state.get("local_mode") or st.session_state.get("signed_in"))  # set by access.gate


def settle() -> bool:
    """Take the language this person chose before, once per person (a sign-in changes who that is). True when the
    session's language changed."""
    who = session.actor() if _let_in() else None
    if st.session_state.get(LOADED_FOR, "") == who:
        return False
    st.session_state[LOADED_FOR] = who
    pending = st.session_state.pop(PENDING, None) if who else None
    if who and pending:  # the latest choice this person made: theirs from now on
        session.run(lambda: choose_language(session.engine(), who, pending))
    stored = session.per_run(f"language:{who}", lambda: language_of(session.engine(), who)) if who else None
    before = i18n.language()
    if stored is not None:
        st.session_state[i18n.KEY] = stored
    return i18n.language() != before


def _chosen() -> None:
    language = st.session_state[CHOICE]
    st.session_state[i18n.KEY] = language
    if _let_in():
        session.run(lambda: choose_language(session.engine(), session.actor(), language))
    else:
        st.session_state[PENDING] = language


def picker() -> None:
    """The language menu; its options are each language's own name, so anyone finds theirs."""
    st.session_state[CHOICE] = i18n.language()
    st.selectbox(
        i18n._("Language"),
        list(LANGUAGES),
        key=CHOICE,
        format_func=LANGUAGES.__getitem__,
        on_change=_chosen,
    )
