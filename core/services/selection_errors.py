"""Turning validation errors raised below the services into the domain errors pages and the CLI show."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from core.errors import DomainError
from core.rules.filters import FilterError


class InvalidSelection(DomainError):
    """A filter or a list the user picked cannot be used; the message says why."""


@contextmanager
def user_errors() -> Iterator[None]:
    """Re-raise a FilterError (bad filter, unknown list) as a DomainError with the same message."""
    try:
        yield
    except FilterError as exc:
        raise InvalidSelection(str(exc)) from None
