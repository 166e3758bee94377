"""Errors a user can cause. Pages show them with ``st.error``; the command line exits 2 (or 3)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.i18n import ENGLISH, N_, Translator


class Sentence(str):
    """An English sentence that keeps its template and fields, so that it can be said in another language too.

    ``Sentence(N_("{username} may not act on {day}"), username=..., day=...)`` is the English text (what ``str``
    code, the command line's JSON and the logs see: it *is* that string) and ``text(t)`` is the same sentence in
    ``t``'s language. A rule that answers "why not" with a string returns one, and a ``DomainError`` made from it
    (even through ``str(error)``) keeps it translatable. A field may itself be a ``Sentence`` (a word such as
    ``N_("email")``) or a ``Joined`` list of them. A sentence about a count: ``Sentence.ngettext("{n} contact was
    confirmed", "{n} contacts were confirmed", n)`` (Polish has three forms)."""

    message: str
    params: dict[str, Any]
    plural: str | None = None  # ngettext's: the plural form, and the count that picks the form
    n: int = 0

    def __new__(cls, message: str, /, **params: Any) -> Sentence:
        sentence = super().__new__(cls, ENGLISH(message, **params) if params else message)
        sentence.message, sentence.params = message, params
        return sentence

    @classmethod
    def ngettext(cls, singular: str, plural: str, n: int, /, **params: Any) -> Sentence:
        """The form of a sentence for ``n``; ``{n}`` is filled with ``n`` (extracted like ``ngettext``)."""
        sentence = str.__new__(cls, ENGLISH.ngettext(singular, plural, n, **params))
        sentence.message, sentence.params, sentence.plural, sentence.n = singular, params, plural, n
        return sentence

    def text(self, t: Translator) -> str:
        """The sentence in ``t``'s language."""
        if self.plural is not None:
            return t.ngettext(self.message, self.plural, self.n, **rendered(self.params, t))
        return t(self.message, **rendered(self.params, t)) if self.params else t(self.message)


class Joined(str):
    """Several sentences said one after the other (``"; "``-separated, say), each in the language asked for."""

    separator: str
    items: tuple[str, ...]

    def __new__(cls, separator: str, items: Iterable[str]) -> Joined:
        kept = tuple(items)
        joined = super().__new__(cls, separator.join(kept))
        joined.separator, joined.items = separator, kept
        return joined

    def text(self, t: Translator) -> str:
        return self.separator.join(translated(item, t) for item in self.items)


def translated(text: str, t: Translator) -> str:
    """``text`` in ``t``'s language when it is a ``Sentence`` (or ``Joined``), else as it is (data, a name)."""
    render = getattr(text, "text", None)
    return render(t) if callable(render) else text


def rendered(params: dict[str, Any], t: Translator) -> dict[str, Any]:
    """The fields of a sentence, those that are sentences themselves said in ``t``'s language."""
    return {key: translated(value, t) if isinstance(value, str) else value for key, value in params.items()}


class SentenceError(ValueError):
    """A value a pure rule refuses (an email address, a field too long), shaped like ``DomainError``: the English
    sentence (``message``) and its fields (``params``); ``str()`` is the English, ``text(t)`` the sentence in ``t``'s
    language, a field that is a ``Sentence`` itself (a field's label) translated too."""

    def __init__(self, message: str, /, **params: Any) -> None:
        self.message, self.params = message, params
        self.sentence = Sentence(message, **params)
        super().__init__(str(self.sentence))

    def text(self, t: Translator) -> str:
        return self.sentence.text(t)


class DomainError(Exception):
    """Bad input or a request the rules refuse; the message is meant for the user.

    ``DomainError(N_("no contact with {kind} {shown}"), kind=..., shown=...)``: the English sentence with its fields
    and their values, so that a page can show it in the user's language (``text``) while ``str()`` (the command line,
    the logs) stays English. A message without fields is used as it is; a ``Sentence`` (a rule's refusal, or
    ``str()`` of another translatable error) keeps its fields."""

    exit_code = 2

    def __init__(self, message: str = "", /, **params: Any) -> None:
        if isinstance(message, Sentence) and not params:
            given: Sentence = message
            self.sentence = given
            message, params = given.message, dict(given.params)
        else:
            self.sentence = Sentence(message, **params)
        self.message = message
        self.params = params
        super().__init__(str(self.sentence))

    def __str__(self) -> str:
        # The English text, as a Sentence: ``DomainError(str(exc))`` elsewhere keeps it translatable.
        sentence: Sentence | None = getattr(self, "sentence", None)
        return sentence if sentence is not None and self.args == (str(sentence),) else super().__str__()

    def text(self, t: Translator) -> str:
        """The message in ``t``'s language."""
        return self.sentence.text(t) if self.message else str(self)


class InvalidValue(DomainError, ValueError):
    """A value a rule refuses (a role, a status, a user name): a ``DomainError`` that ``except ValueError`` code
    (argument parsing) still catches."""


class DatabaseBusy(DomainError):
    """Another change holds the database's one write lock past the wait (SQLite: an import or a bulk change running
    in the background, say). Nothing of this change was written; the original error is its ``__cause__``."""

    def __init__(self) -> None:
        super().__init__(
            N_(
                "the database is busy with another change (an import or a bulk change still running, say): nothing "
                "was changed; try again when it has finished"
            )
        )


class NotInitialised(DomainError):
    def __init__(self) -> None:
        super().__init__(N_("this database was never initialised: run `python -m core init` first"))


class UnknownContacts(DomainError):
    def __init__(self, kind: str, missing: list[str]) -> None:
        if len(missing) > 20:
            more = len(missing) - 20  # English says "and 1 more" and "and 5 more"; Polish needs the count's form
            super().__init__(
                Sentence.ngettext(
                    "no contact with {kind} {shown} and {more} more",
                    "no contact with {kind} {shown} and {more} more",
                    more,
                    kind=Sentence(kind),
                    shown=", ".join(missing[:20]),
                    more=more,
                )
            )
        else:
            super().__init__(N_("no contact with {kind} {shown}"), kind=Sentence(kind), shown=", ".join(missing))
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
            differences=Joined("; ", differences),
        )
        self.differences = differences
        self.payload = payload


class DayRefused(DomainError):
    """A change asked to act on a day it may not: a future day, or one before the last day acted on."""
