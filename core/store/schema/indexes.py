"""Indexes the Usage & limits read models need at a million contacts (created by migration 0002_usage).

- history and forecast group the event log by day: a covering index on (effective_on, old_state, new_state)
  turns a full scan plus a temporary B-tree into an ordered index range scan;
- counts "as of a day" count pending contacts due by that day: (effective_on, pending_non_marketing)
  answers it from the index alone.
"""

from __future__ import annotations

from sqlalchemy import Index

from core.store.schema.tables import contacts, status_events

events_by_day = Index(
    "ix_status_events_effective_on",
    status_events.c.effective_on,
    status_events.c.old_state,
    status_events.c.new_state,
)
contacts_due = Index("ix_contacts_effective_pending", contacts.c.effective_on, contacts.c.pending_non_marketing)
