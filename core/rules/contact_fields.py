"""A contact's free-text fields, wherever they come from (a form, the dashboard, an import): trimmed, empty
means none, lifecycle stages by HubSpot's internal name or else in lower case (``core.rules.hubspot_labels``),
and never longer than their columns."""

from __future__ import annotations

from collections.abc import Callable

from core.errors import Sentence, SentenceError
from core.i18n import N_
from core.rules.hubspot_labels import stage_value

LIMITS = {"first_name": 100, "last_name": 100, "lifecycle_stage": 40}
LABELS = {"first_name": N_("First name"), "last_name": N_("Last name"), "lifecycle_stage": N_("Lifecycle stage")}
LOWER_CASE = frozenset({"lifecycle_stage"})
TOO_LONG = N_("{field} is longer than {most} characters")


class FieldError(SentenceError):
    """A field that cannot be stored; the message is for the person who typed it. Its ``field`` is a ``Sentence``
    (one of ``LABELS``, translated with the message) or a CSV column's name as it is."""


def cleaner(key: str, *, label: str | None = None) -> Callable[[str], str | None]:
    """``clean`` for one field, its size and case looked up once: for the many rows of a file.

    ``label`` names the field in the error (an import names its CSV column); by default ``LABELS[key]``.
    """
    limit = LIMITS[key]
    name = label or Sentence(LABELS[key])  # a label given (a CSV column) is not translated

    def clean_one(value: str) -> str | None:
        text = value.strip()
        if len(text) > limit:
            raise FieldError(TOO_LONG, field=name, most=str(limit))
        return text or None

    stages: dict[str, str | None] = {}  # a file has few stages: each spelling is read once

    def clean_stage(value: str) -> str | None:
        if value in stages:
            text = stages[value]
        else:
            text = stage_value(value)  # HubSpot's label or name -> its name; any other stage in lower case
            if len(stages) < 1_000:
                stages[value] = text
        if text is not None and len(text) > limit:  # measured as stored: "İ".lower() is two characters
            raise FieldError(TOO_LONG, field=name, most=str(limit))
        return text

    return clean_stage if key in LOWER_CASE else clean_one


_CLEANERS = {key: cleaner(key) for key in LIMITS}


def clean(key: str, value: str | None) -> str | None:
    """The value to store for ``key`` (one of ``LIMITS``), or None when it is empty."""
    return _CLEANERS[key](value or "")
