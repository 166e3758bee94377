"""Each person's own settings: the language the dashboard speaks to them (docs/architecture.md, "Languages")."""

from __future__ import annotations

from sqlalchemy import Engine

from core.errors import DomainError
from core.i18n import LANGUAGES, N_
from core.store import preferences as store


def language_of(engine: Engine, actor: str) -> str | None:
    """The language this person chose, or None (then the deployment's, ``MARKETABLE_LANGUAGE``)."""
    chosen = store.language(engine, actor)
    return chosen if chosen in LANGUAGES else None


def choose_language(engine: Engine, actor: str, language: str) -> None:
    """Remember the language ``actor`` chose; every session of theirs then opens in it."""
    if language not in LANGUAGES:
        raise DomainError(
            N_("unknown language {language}; choose one of {known}"), language=language, known=", ".join(LANGUAGES)
        )
    store.set_language(engine, actor, language)
