"""The pages' side of the translation layer (``core.i18n``): the session's language, and ``_``/``ngettext`` and
the formatters bound to it.

    from pages.shared.i18n import _, ngettext, t
    st.title(_("Audit"))
    st.write(ngettext("{n} contact", "{n} contacts", count))
    st.caption(_("Showing {day} if nothing else changes.", day=day))   # a date field: 01 Jan 2027 / 1 sty 2027

The language: the one this person chose in the sidebar (kept in the database, per user), else the deployment's
``MARKETABLE_LANGUAGE``, else English. Module constants that name things use ``N_`` and are translated where shown.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from core.i18n import LANGUAGES, N_, Translator, configured_language, message_text, translator

__all__ = ["N_", "_", "contacts", "day", "error_text", "language", "money", "ngettext", "number", "pgettext", "t"]

KEY = "language"  # the session's language, once known


def language() -> str:
    chosen = st.session_state.get(KEY)
    return chosen if chosen in LANGUAGES else configured_language()


def t() -> Translator:
    """The translator for this session's language."""
    return translator(language())


def _(message: str, /, **params: Any) -> str:
    return t()(message, **params)


def ngettext(singular: str, plural: str, n: int, /, **params: Any) -> str:
    return t().ngettext(singular, plural, n, **params)


def pgettext(context: str, message: str, /, **params: Any) -> str:
    return t().pgettext(context, message, **params)


def contacts(n: int) -> str:
    """``1 contact``, ``5 contacts`` / ``1 kontakt``, ``2 kontakty``, ``5 kontaktów``."""
    return ngettext("{n} contact", "{n} contacts", n)


def number(n: int | float) -> str:
    return t().number(n)


def day(value: date) -> str:
    return t().day(value)


def money(value: int | float, currency: str) -> str:
    return t().money(value, currency)


def error_text(error: BaseException) -> str:
    """A core error's message in this session's language."""
    return message_text(error, t())
