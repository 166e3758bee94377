"""Applying update dates (docs/domain.md §3) and renewals (§4): idempotent, catching up, each date once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import Engine

from core.i18n import N_
from core.rules.requester import SYSTEM, Requester
from core.services.unit import changing
from core.services.update_dates import UpdateResult, catch_up
from core.store.account import marketing_count

__all__ = ["UpdateResult", "apply_updates"]


def apply_updates(
    engine: Engine, *, today: date, actor: str = SYSTEM, progress: Callable[[float, str], None] | None = None
) -> UpdateResult:
    """Apply every update date up to ``today`` not yet applied; running it again applies nothing. ``progress``
    (a background job's reporter) hears when the catch-up starts and when it has committed."""
    with changing(engine, by=Requester(actor, "update"), today=today, catch_up_first=False) as unit:
        if progress:
            progress(0.1, N_("applying the update dates that have come"))  # a page translates a step it shows
        result, _ = catch_up(unit.conn, unit.account, today=today, now=unit.now, actor=actor)
        result.marketing = marketing_count(unit.conn)
        if progress:
            progress(0.9, N_("committing"))
    return result
