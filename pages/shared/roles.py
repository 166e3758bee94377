"""The roles as people read them (the stored values stay the codes ``admin``, ``editor``, ``viewer``)."""

from __future__ import annotations

from pages.shared.i18n import pgettext


def role_name(role: str) -> str:
    """A role as people read it: ``admin`` / ``administrator``, ``editor`` / ``edytor``, ``viewer`` /
    ``przeglądający`` (the stored value stays the code)."""
    names = {
        "admin": pgettext("role", "admin"),
        "editor": pgettext("role", "editor"),
        "viewer": pgettext("role", "viewer"),
    }
    return names.get(role, role)
