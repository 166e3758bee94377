"""Controls honest to who is signed in: a write control the session may not use is drawn disabled, with why.

Why comes from core (``core.services.permissions``, the same check every change runs in its unit of work), or
from the sidebar's "Simulate as of", during which nothing is written. Pages never restate who may do what."""

from __future__ import annotations

import streamlit as st

from core.rules.roles import Action
from core.services.permissions import Permissions, permissions
from pages.shared import i18n
from pages.shared.i18n import _
from pages.shared.session import actor, engine, per_run, today
from pages.shared.simulation import simulating

__all__ = ["Action", "blocked", "denied", "note", "refused"]


def _permissions() -> Permissions:
    return per_run("permissions", lambda: permissions(engine(), actor=actor()))


def denied(action: Action) -> str | None:
    """Why the person signed in may not perform ``action`` at all (core's answer), or None when they may."""
    why = _permissions().why_not(action, i18n.t())
    return _("Not available: {why}.", why=why) if why else None


def blocked(action: Action) -> str | None:
    """Why a control that does ``action`` is disabled for this session now, or None when it may be used."""
    if simulating():
        return _(
            "Disabled while simulating {day}: switch off Simulate as of in the sidebar to make changes.", day=today()
        )
    return denied(action)


def note(reason: str | None) -> None:
    """Say under a disabled control why it is disabled (a tooltip alone is invisible on a phone)."""
    if reason:
        st.caption(f":material/block: {reason}")


def refused(action: Action) -> str | None:
    """``blocked``, said on the page as a notice (for a form or dialog whose submit button is disabled)."""
    reason = blocked(action)
    if reason:
        st.info(reason, icon=":material/block:")
    return reason
