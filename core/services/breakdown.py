"""Why is my count this number: marketing contacts by what made them marketing and by lifecycle stage."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, func, select

from core.store import engine as db
from core.store import states
from core.store.schema import contacts

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Breakdown:
    on: date
    marketing: int
    by_source: list[tuple[str, int]]  # status_source_type: form, import, workflow, manual, integration, ...
    by_stage: list[tuple[str, int]]  # lifecycle stage


def _ranked(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def marketing_breakdown(engine: Engine, *, today: date) -> Breakdown:
    """Marketing contacts on ``today`` by status source type and by lifecycle stage (one GROUP BY, one pass)."""
    source = func.coalesce(states.column("status_source_type"), UNKNOWN)
    stage = func.coalesce(contacts.c.lifecycle_stage, UNKNOWN)
    billed = states.billed_on(today)
    query = select(source, stage, func.count()).select_from(states.ROWS).where(billed).group_by(source, stage)
    by_source: dict[str, int] = defaultdict(int)
    by_stage: dict[str, int] = defaultdict(int)
    with db.read(engine) as conn:
        for source_type, lifecycle_stage, n in conn.execute(query):  # at most sources x stages rows
            by_source[str(source_type)] += int(n)
            by_stage[str(lifecycle_stage)] += int(n)
    return Breakdown(today, sum(by_source.values()), _ranked(by_source), _ranked(by_stage))
