"""Errors a user can cause. Pages show them with ``st.error``; the command line exits 2 (or 3)."""

from __future__ import annotations

from typing import Any

from core.i18n import ENGLISH, N_, Translator


class DomainError(Exception):
    """Bad input or a request the rules refuse; the message is meant for the user.

    ``DomainError(N_("no contact with {kind} {shown}"), kind=..., shown=...)``: the English sentence with its fields
    and their values, so that a page can show it in the user's language (``text``) while ``str()`` (the command line,
    the logs) stays English. A message without fields is used as it is."""

    exit_code = 2

    def __init__(self, message: str = "", /, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(ENGLISH(message, **params) if params else message)

    def text(self, t: Translator) -> str:
        """The message in ``t``'s language."""
        return t(self.message, **self.params) if self.message else str(self)


class NotInitialised(DomainError):
    def __init__(self) -> None:
        super().__init__(N_("this database was never initialised: run `python -m core init` first"))


class UnknownContacts(DomainError):
    def __init__(self, kind: str, missing: list[str]) -> None:
        if len(missing) > 20:
            super().__init__(
                N_("no contact with {kind} {shown} and {more} more"),
                kind=kind,
                shown=", ".join(missing[:20]),
                more=len(missing) - 20,
            )
        else:
            super().__init__(N_("no contact with {kind} {shown}"), kind=kind, shown=", ".join(missing))
        self.missing = missing


class TierUpgradeRequired(DomainError):
    """The change would raise the billed tier and nobody consented to it."""

    exit_code = 3

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__(
            N_(
                "this change would raise the billed tier from {before} to {after} contacts; "
                "confirm the upgrade to go ahead"
            ),
            before=int(payload["tier_limit_before"]),
            after=int(payload["tier_limit_after"]),
        )
        self.payload = payload


class UndoRequired(DomainError):
    """An import would undo scheduled non-marketing changes and nobody consented to it (docs/domain.md §10)."""

    exit_code = 3

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__(
            N_(
                "this import would undo {undone} scheduled non-marketing change(s); nothing was imported. "
                "Check the file is current (stale rows are kept out by their Last Modified Date) or consent to undo "
                "them (--allow-undo)"
            ),
            undone=int(payload["undone"]),
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
            N_(
                "the change differs from what was confirmed: {differences}. "
                "Nothing was changed; review the new figures and confirm again"
            ),
            differences="; ".join(differences),
        )
        self.differences = differences
        self.payload = payload


class DayRefused(DomainError):
    """A change asked to act on a day it may not: a future day, or one before the last day acted on."""
