"""Counts computed in the database (index-backed), as of any day, without writing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Connection

from core.rules.status import State
from core.store import states


@dataclass(frozen=True)
class StatusCounts:
    marketing: int  # billed: marketing, pending included
    pending: int
    non_marketing: int

    @property
    def total(self) -> int:
        return self.marketing + self.non_marketing


def stored_counts(conn: Connection) -> StatusCounts:
    """Counts of the stored state (one GROUP BY on the status index)."""
    found = states.count_by_state(conn)
    pending = found[State.PENDING]
    return StatusCounts(found[State.MARKETING] + pending, pending, found[State.NON_MARKETING])


def pending_due_count(conn: Connection, on: date) -> int:
    return states.count_due(conn, on)


def counts_on(conn: Connection, on: date, *, stored: StatusCounts | None = None) -> StatusCounts:
    """Counts as they will be on ``on`` if nothing else changes: due pending contacts have left."""
    stored = stored or stored_counts(conn)  # pass it in when counting several days in one snapshot
    due = pending_due_count(conn, on)
    return StatusCounts(stored.marketing - due, stored.pending - due, stored.non_marketing + due)


def state_breakdown(conn: Connection, where: ColumnElement[bool], on: date) -> dict[str, int]:
    """How many selected contacts are in each state as of ``on`` (keyed by the state's name)."""
    return {state.value: n for state, n in states.count_on(conn, where, on).items()}
