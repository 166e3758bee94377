"""A contact's free-text fields, wherever they come from (a form, the dashboard, an import): trimmed, empty
means none, lifecycle stages in lower case, and never longer than their columns."""

from __future__ import annotations

LIMITS = {"first_name": 100, "last_name": 100, "lifecycle_stage": 40}
LABELS = {"first_name": "First name", "last_name": "Last name", "lifecycle_stage": "Lifecycle stage"}


class FieldError(ValueError):
    """A field that cannot be stored; the message is for the person who typed it."""


def clean(key: str, value: str | None) -> str | None:
    """The value to store for ``key`` (one of ``LIMITS``), or None when it is empty."""
    text = (value or "").strip()
    if len(text) > LIMITS[key]:
        raise FieldError(f"{LABELS[key]} is longer than {LIMITS[key]} characters")
    if not text:
        return None
    return text.lower() if key == "lifecycle_stage" else text
