"""Counts computed in the database (index-backed), as of any day, without writing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Connection, and_, case, func, select

from core.store.schema import contacts


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
    rows = conn.execute(
        select(contacts.c.marketing_status, contacts.c.pending_non_marketing, func.count()).group_by(
            contacts.c.marketing_status, contacts.c.pending_non_marketing
        )
    ).all()
    marketing = sum(n for status, _, n in rows if status == "marketing")
    pending = sum(n for status, p, n in rows if status == "marketing" and p)
    return StatusCounts(marketing, pending, sum(n for status, _, n in rows if status != "marketing"))


def due_by(on: date) -> ColumnElement[bool]:
    """Pending contacts whose update date has come by ``on``."""
    return and_(contacts.c.pending_non_marketing.is_(True), contacts.c.effective_on <= on)


def pending_due_count(conn: Connection, on: date) -> int:
    return int(conn.execute(select(func.count()).select_from(contacts).where(due_by(on))).scalar_one())


def counts_on(conn: Connection, on: date, *, stored: StatusCounts | None = None) -> StatusCounts:
    """Counts as they will be on ``on`` if nothing else changes: due pending contacts have left."""
    stored = stored or stored_counts(conn)  # pass it in when counting several days in one snapshot
    due = pending_due_count(conn, on)
    return StatusCounts(stored.marketing - due, stored.pending - due, stored.non_marketing + due)


def state_on(on: date) -> ColumnElement[str]:
    """A contact's state (marketing / pending / non_marketing) as of ``on``, as a SQL expression."""
    return case(
        (contacts.c.marketing_status != "marketing", "non_marketing"),
        (contacts.c.pending_non_marketing.is_(False), "marketing"),
        (contacts.c.effective_on <= on, "non_marketing"),
        else_="pending",
    )


def state_breakdown(conn: Connection, where: ColumnElement[bool], on: date) -> dict[str, int]:
    """How many selected contacts are in each state as of ``on``."""
    state = state_on(on)
    rows = conn.execute(select(state, func.count()).select_from(contacts).where(where).group_by(state)).all()
    found = {"marketing": 0, "pending": 0, "non_marketing": 0}
    found.update({str(s): int(n) for s, n in rows})
    return found
