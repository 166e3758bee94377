"""Errors a user can cause. Pages show them with ``st.error``; the command line exits 2 (or 3)."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Bad input or a request the rules refuse; the message is meant for the user."""

    exit_code = 2


class NotInitialised(DomainError):
    def __init__(self) -> None:
        super().__init__("this database was never initialised: run `python -m core init` first")


class UnknownContacts(DomainError):
    def __init__(self, kind: str, missing: list[str]) -> None:
        shown = ", ".join(missing[:20]) + (f" and {len(missing) - 20} more" if len(missing) > 20 else "")
        super().__init__(f"no contact with {kind} {shown}")
        self.missing = missing


class TierUpgradeRequired(DomainError):
    """The change would raise the billed tier and nobody consented to it."""

    exit_code = 3

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__(
            f"this change would raise the billed tier from {payload['tier_limit_before']:,} to "
            f"{payload['tier_limit_after']:,} contacts; confirm the upgrade to go ahead"
        )
        self.payload = payload


class UndoRequired(DomainError):
    """An import would undo scheduled non-marketing changes and nobody consented to it (docs/domain.md §10)."""

    exit_code = 3

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__(
            f"this import would undo {payload['undone']:,} scheduled non-marketing change(s); nothing was imported. "
            "Check the file is current (stale rows are kept out by their Last Modified Date) or consent to undo "
            "them (--allow-undo)"
        )
        self.payload = payload


class PermissionDenied(DomainError):
    """The acting user may not do this."""


class ConfirmationOutdated(DomainError):
    """The change would now differ from what was confirmed (docs/domain.md §10): nothing is written, and the
    payload holds the new figures, what differs (``differences``) and what was confirmed (``confirmed``)."""

    exit_code = 3

    def __init__(self, differences: list[str], payload: dict[str, Any]) -> None:
        super().__init__(
            "the change differs from what was confirmed: "
            + "; ".join(differences)
            + ". Nothing was changed; review the new figures and confirm again"
        )
        self.differences = differences
        self.payload = payload


class DayRefused(DomainError):
    """A change asked to act on a day it may not: a future day, or one before the last day acted on."""
