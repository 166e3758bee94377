"""Turning validation errors raised below the services into the domain errors pages and the CLI show."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from core.errors import DomainError
from core.i18n import Translator
from core.rules.filters import FilterError, phrases


class InvalidSelection(DomainError):
    """A filter or a list the user picked cannot be used; the message says why."""

    def text(self, t: Translator) -> str:
        if not self.message or not self.params:
            return super().text(t)
        return t(self.message, **phrases(self.params, t))  # "condition 2 (...)" in the language too


@contextmanager
def user_errors() -> Iterator[None]:
    """Re-raise a FilterError (bad filter, unknown list) as a DomainError with the same message."""
    try:
        yield
    except FilterError as exc:
        raise InvalidSelection(exc.message, **exc.params) from None
