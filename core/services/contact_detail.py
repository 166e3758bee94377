"""One contact: its fields, why it has its status (what made it marketing, by whom, when), its full history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, select

from core.errors import DomainError
from core.rules import email_address
from core.rules.status import State
from core.store import engine as db
from core.store import states
from core.store.schema import contacts, status_events

SOURCE_NAMES = {
    "form": "form",
    "import": "import",
    "chatflow": "chatflow",
    "integration": "connected app",
    "manual": "manual creation",
    "bulk_action": "bulk action",
    "usage_wizard": "Manage marketing contacts",
    "workflow": "workflow",
    "update": "update date",
    "demo": "demo data",
}


def describe_source(source_type: str | None, source_id: str | None) -> str:
    """``form contact-us``, ``bulk action``, ``import 12``: how a person reads a source."""
    if not source_type:
        return "unknown"
    name = SOURCE_NAMES.get(source_type, source_type.replace("_", " "))
    return f"{name} {source_id}" if source_id else name


@dataclass(frozen=True)
class HistoryEvent:
    requested_at: datetime
    old_state: str | None  # None: created
    new_state: str | None  # None: deleted
    effective_on: date
    source_type: str
    source_id: str | None
    actor: str

    @property
    def source(self) -> str:
        return describe_source(self.source_type, self.source_id)

    @property
    def makes_marketing(self) -> bool:
        """Created marketing or moved from non-marketing to marketing: what made it marketing, the rule the
        Usage page's breakdown counts by (``core.services.breakdown``); a scheduled change or its undoing is not."""
        return self.new_state in ("marketing", "pending") and self.old_state in (None, "non_marketing")


@dataclass(frozen=True)
class ContactDetail:
    id: int
    fields: dict[str, Any] | None  # None once the contact is deleted (its history stays)
    state: str | None  # marketing / pending / non_marketing; None when deleted
    reason: str  # one sentence: why the contact has this status
    made_marketing: HistoryEvent | None  # the event that last made it marketing
    history: list[HistoryEvent]  # oldest first


def _state(row: Any) -> str:
    return State.of(row["marketing_status"], row["pending_non_marketing"]).value


def _at(event: HistoryEvent) -> str:
    return f"{event.requested_at:%d %b %Y %H:%M} by {event.actor}"


def _reason(state: str | None, row: Any, history: list[HistoryEvent]) -> tuple[str, HistoryEvent | None]:
    made = next((e for e in reversed(history) if e.makes_marketing), None)
    last = history[-1] if history else None
    if state is None:
        return (f"Deleted on {_at(last)}." if last else "Deleted."), made
    if state == "non_marketing":
        if last is not None and last.new_state == "non_marketing" and last.old_state is not None:
            return f"Non-marketing since {last.effective_on:%d %b %Y} ({last.source}, {_at(last)}).", made
        created = describe_source(row["source_type"], row["source_id"])
        return f"Non-marketing since it was created by {created} on {row['created_at']:%d %b %Y}.", made
    why = (
        f"Made marketing by {made.source} on {_at(made)}."
        if made
        else f"Marketing since it was created by {describe_source(row['source_type'], row['source_id'])}."
    )
    if state == "pending":
        scheduled = next((e for e in reversed(history) if e.new_state == "pending"), None)
        by = f" by {scheduled.source} on {_at(scheduled)}" if scheduled else ""
        return f"{why} Set non-marketing{by}: it stays marketing until {row['effective_on']:%d %b %Y}.", made
    if last is not None and last.old_state == "pending" and last.new_state == "marketing":
        return f"{why} A later change to non-marketing was undone by {last.source} on {_at(last)}.", made
    return why, made


def get_contact(engine: Engine, *, contact_id: int) -> ContactDetail:
    """A contact with its status reason and every status event, oldest first (also after deletion)."""
    with db.read(engine) as conn:
        row = conn.execute(states.whole_rows(contacts.c.id == contact_id)).mappings().first()
        events = conn.execute(
            select(status_events).where(status_events.c.contact_id == contact_id).order_by(status_events.c.id)
        ).mappings()
        history = [
            HistoryEvent(
                e["requested_at"],
                e["old_state"],
                e["new_state"],
                e["effective_on"],
                e["source_type"],
                e["source_id"],
                e["actor"],
            )
            for e in events
        ]
    if row is None and not history:
        raise DomainError(f"no contact with ID {contact_id}")
    state = _state(row) if row is not None else None
    reason, made = _reason(state, row, history)
    return ContactDetail(contact_id, dict(row) if row is not None else None, state, reason, made, history)


def find_contact_id(engine: Engine, *, text: str) -> int:
    """A contact's id from its ID or its email, as a person types either."""
    value = text.strip()
    if value.isdigit():
        return int(value)
    with db.read(engine) as conn:
        key = email_address.match_key(value)
        found = conn.execute(select(contacts.c.id).where(contacts.c.email_lower == key)).scalar()
    if found is None:
        raise DomainError(f"no contact with email {value}" if value else "type a contact ID or email")
    return int(found)
