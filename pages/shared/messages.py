"""The one way to say how a change went: a message kept in the session and shown once, on the next run.

A page that changes something calls ``flash(...)`` and reruns (or switches page); the page that draws next
calls ``show_flash()`` where its messages belong. The message is gone after it has been shown once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import streamlit as st

from core.i18n import N_, Translator
from pages.shared import i18n
from pages.shared.text import plain

Level = Literal["success", "info", "error"]
KEY = "flash"
ICONS: dict[Level, str] = {"success": ":material/check_circle:"}


@dataclass(frozen=True)
class Flash:
    text: str
    level: Level = "success"


def flash(text: str, *, level: Level = "success") -> None:
    """Keep ``text`` to show once, where the next run calls ``show_flash``."""
    st.session_state[KEY] = Flash(text, level)


def show_flash() -> None:
    """Show the message the previous change left, once."""
    message = st.session_state.pop(KEY, None)
    if not isinstance(message, Flash):
        return
    show = {"success": st.success, "info": st.info, "error": st.error}[message.level]
    show(plain(message.text), icon=ICONS.get(message.level))  # messages name lists, views, workflows, tools


# Why a confirmed change was refused, for each thing it was about and what it would have done (whole sentences).
_OUTDATED = {
    ("these contacts", "changed"): N_(
        "Someone changed these contacts meanwhile: {differences}. Nothing was changed. "
        "Review the new figures and confirm again."
    ),
    ("these contacts", "deleted"): N_(
        "Someone changed these contacts meanwhile: {differences}. Nothing was deleted. "
        "Review the new figures and confirm again."
    ),
    ("the contacts", "changed"): N_(
        "Someone changed the contacts meanwhile: {differences}. Nothing was changed. "
        "Review the new figures and confirm again."
    ),
    ("the contacts", "created"): N_(
        "Someone changed the contacts meanwhile: {differences}. Nothing was created. "
        "Review the new figures and confirm again."
    ),
}


def outdated_text(differences: list[str], *, what: str = "these contacts", verb: str = "changed") -> str:
    """Why a confirmed change was refused (docs/domain.md §10), in one paragraph for the still-open dialog, in the
    reader's language (a difference core wrote as a translatable sentence is said in it too)."""
    t = i18n.t()
    said = "; ".join(_said(difference, t) for difference in differences)
    template = _OUTDATED.get((what, verb))
    if template is None:  # a combination no page uses yet: English, as before
        return (
            f"Someone changed {what} meanwhile: {said}. Nothing was {verb}. Review the new figures and confirm again."
        )
    return t(template, differences=said)


def _said(text: str, t: Translator) -> str:
    render = getattr(text, "text", None)
    return str(render(t)) if callable(render) else text
