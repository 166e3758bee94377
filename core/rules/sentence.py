"""A sentence said in English that keeps its template and fields, so that the dashboard can say it in the reader's
language (docs/languages.md). PURE.

An import's rejected rows carry an English ``reason`` (the command line's JSON lists it, unchanged); the reason is
a ``Sentence``: a ``str`` whose value is that English text, which also keeps the marked sentence
(``N_("unreadable date in {column}: {value}")``) and its fields. ``text(t)`` says it in ``t``'s language, as
``DomainError.text`` does for an error (``core.i18n.message_text`` shows either).
"""

from __future__ import annotations

from typing import Any

from core.i18n import ENGLISH, Translator


class Sentence(str):
    """``Sentence(N_("line {line}: {error}"), line="4", error=...)``: the English text, with its template and fields.

    Fields are filled by type as ``core.i18n.Translator`` fills them (a whole number as ``1,583`` / ``1 583``):
    give a number that must stay unformatted (a line number, a byte offset) as a string."""

    message: str
    params: dict[str, Any]

    def __new__(cls, message: str, /, **params: Any) -> Sentence:
        said = super().__new__(cls, ENGLISH(message, **params) if params else message)
        said.message, said.params = message, params
        return said

    def text(self, t: Translator) -> str:
        """The sentence in ``t``'s language; a field that is itself a ``Sentence`` is said in it too."""
        params = {k: v.text(t) if isinstance(v, Sentence) else v for k, v in self.params.items()}
        return t(self.message, **params) if params else t(self.message)

    @classmethod
    def of(cls, error: BaseException) -> str:
        """What an error says: its ``Sentence`` when it was raised with one (or carries a template and fields, as a
        ``DomainError`` does), else its English text as it is."""
        first = error.args[0] if len(error.args) == 1 else None
        if isinstance(first, Sentence):
            return first
        message, params = getattr(error, "message", None), getattr(error, "params", None)
        if isinstance(message, str) and message and isinstance(params, dict):
            said = cls(message, **params)
            if said == str(error):  # only when the template says exactly what the error says
                return said
        return str(error)
