"""Indexes the Usage & limits read models need at a million contacts (created by migration 0002_usage).

- history and forecast group the event log by day: a covering index on (effective_on, old_state, new_state)
  turns a full scan plus a temporary B-tree into an ordered index range scan;
- counts "as of a day" count pending contacts due by that day: the partial index ``ix_contact_status_due``
  of ``contact_status`` (tables.py) answers it from the pending rows alone.
"""

from __future__ import annotations

from sqlalchemy import Index

from core.store.schema.tables import status_events

events_by_day = Index(
    "ix_status_events_effective_on",
    status_events.c.effective_on,
    status_events.c.old_state,
    status_events.c.new_state,
)
