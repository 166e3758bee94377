"""Recording operations and status events set-based (INSERT ... SELECT), never a loop over contacts."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, FromClause, insert, literal, select, update

from core.rules.requester import Requester
from core.store.schema import contacts, operations, status_events

EVENT_COLUMNS = (  # a status event's columns, in the order set-based and bulk writers give them
    "contact_id",
    "operation_id",
    "old_state",
    "new_state",
    "requested_at",
    "effective_on",
    "source_type",
    "source_id",
    "actor",
)


def start_operation(conn: Connection, *, kind: str, at: datetime, on: date, by: Requester) -> int:
    """One row per operation (who asked, through what, the real time ``at`` it was recorded, the day ``on`` it
    acted on); its events point at it."""
    result = conn.execute(
        insert(operations)
        .values(
            kind=kind, requested_at=at, acted_on=on, actor=by.actor, source_type=by.source_type, source_id=by.source_id
        )
        .returning(operations.c.id)
    )
    return int(result.scalar_one())


def finish_operation(conn: Connection, operation_id: int, summary: dict[str, Any]) -> None:
    conn.execute(
        update(operations).where(operations.c.id == operation_id).values(summary=json.dumps(summary, default=str))
    )


def record_events(
    conn: Connection,
    *,
    where: ColumnElement[bool],
    operation_id: int,
    old_state: Any,
    new_state: str | None,
    at: datetime,
    effective_on: date,
    by: Requester,
    rows: FromClause = contacts,
) -> int:
    """One event per contact matching ``where``, set-based; ``old_state`` may be a SQL expression (a deletion
    records each contact's state as it was: ``core.store.states.stored_state()``, read from ``rows``,
    ``core.store.states.ROWS``)."""
    columns = [
        contacts.c.id,
        literal(operation_id),
        old_state if not isinstance(old_state, str | None) else literal(old_state),
        literal(new_state),
        literal(at),
        literal(effective_on),
        literal(by.source_type),
        literal(by.source_id),
        literal(by.actor),
    ]
    rows_matching = select(*columns).select_from(rows).where(where)
    result = conn.execute(insert(status_events).from_select(list(EVENT_COLUMNS), rows_matching))
    return int(result.rowcount)
