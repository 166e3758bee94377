"""The SQL of each person's settings (``core.store.schema.preferences``)."""

from __future__ import annotations

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError

from core.clock import utc_now
from core.store.schema.preferences import user_preferences


def language(engine: Engine, actor: str) -> str | None:
    with engine.connect() as conn:
        found: str | None = conn.execute(
            select(user_preferences.c.language).where(user_preferences.c.actor == actor)
        ).scalar_one_or_none()
    return found


def set_language(engine: Engine, actor: str, value: str | None) -> None:
    """Insert or update, safe against a second tab doing the same at once."""
    now = utc_now()
    for _attempt in range(2):
        with engine.begin() as conn:
            changed = conn.execute(
                update(user_preferences).where(user_preferences.c.actor == actor).values(language=value, updated_at=now)
            ).rowcount
            if changed:
                return
            try:
                with conn.begin_nested():
                    conn.execute(user_preferences.insert().values(actor=actor, language=value, updated_at=now))
                return
            except IntegrityError:
                continue  # another tab inserted it meanwhile: update it
