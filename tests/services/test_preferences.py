"""Each person's language (core/services/preferences.py), on both engines: kept per actor, an unknown language
refused, and two tabs choosing at once for someone new both succeed (one row, one of the two choices)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, func, select

from core.errors import DomainError
from core.services.preferences import choose_language, language_of
from core.store.schema.preferences import user_preferences


def _rows(engine: Engine, actor: str) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(user_preferences).where(user_preferences.c.actor == actor)
            ).scalar_one()
        )


def test_a_chosen_language_is_kept_per_actor_and_can_be_changed(engine: Engine) -> None:
    assert language_of(engine, "ada") is None, "nobody chose yet: the deployment's language applies"
    choose_language(engine, "ada", "pl")
    assert language_of(engine, "ada") == "pl"
    assert language_of(engine, "bob") is None, "one person's choice is theirs only"
    choose_language(engine, "ada", "en")
    assert language_of(engine, "ada") == "en"
    assert _rows(engine, "ada") == 1, "changed in place, not added again"


def test_an_unknown_language_is_refused_and_nothing_is_stored(engine: Engine) -> None:
    with pytest.raises(DomainError, match="unknown language de; choose one of en, pl"):
        choose_language(engine, "ada", "de")
    assert language_of(engine, "ada") is None
    assert _rows(engine, "ada") == 0
    choose_language(engine, "ada", "pl")
    with pytest.raises(DomainError):
        choose_language(engine, "ada", "")
    assert language_of(engine, "ada") == "pl", "a refused choice leaves the earlier one"


def _choose_at_once(engine: Engine, actor: str, languages: tuple[str, ...]) -> list[BaseException]:
    """Each language chosen for ``actor`` by a thread of its own, all let go at the same moment; what they raised."""
    start = threading.Barrier(len(languages))
    failures: list[BaseException] = []

    def choose(language: str) -> None:
        try:
            start.wait(timeout=10)
            choose_language(engine, actor, language)
        except BaseException as exc:  # reported by the caller: a thread's exception would otherwise be lost
            failures.append(exc)

    tabs = [threading.Thread(target=choose, args=(language,)) for language in languages]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join(timeout=30)
    return failures


def test_two_tabs_choosing_at_once_for_someone_new_both_succeed(engine: Engine) -> None:
    for round_ in range(5):  # a race: several tries, each for someone new
        actor = f"new{round_}"
        assert _choose_at_once(engine, actor, ("pl", "en")) == []
        assert _rows(engine, actor) == 1, "one row per person"
        assert language_of(engine, actor) in ("pl", "en"), "the last of the two choices"
