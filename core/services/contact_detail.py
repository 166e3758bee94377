"""One contact: its fields, why it has its status (what made it marketing, by whom, when), its full history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, select

from core.errors import DomainError
from core.i18n import ENGLISH, N_, Translator
from core.rules import email_address
from core.rules.status import State
from core.store import engine as db
from core.store import states
from core.store.schema import contacts, status_events

SOURCE_NAMES = {  # English in the export and on the command line; translated where a page shows them
    "form": N_("form"),
    "import": N_("import"),
    "chatflow": N_("chatflow"),
    "integration": N_("connected app"),
    "manual": N_("manual creation"),
    "bulk_action": N_("bulk action"),
    "usage_wizard": N_("Manage marketing contacts"),
    "workflow": N_("workflow"),
    "update": N_("update date"),
    "demo": N_("demo data"),
    "mobile_app": N_("mobile app"),
    "logged_email": N_("logged email"),
    "connected_inbox": N_("connected inbox"),
    "document": N_("document"),
    "meeting_link": N_("meeting link"),
    "email_extension": N_("email extension"),
    "multi_object_import": N_("multi object import"),
}


# A contact's original source as its code reads (``bulk_action``: bulk action; the page always showed the code).
_ORIGINAL_SOURCES = {
    **SOURCE_NAMES,
    "integration": N_("integration"),
    "manual": N_("manual"),
    "usage_wizard": N_("usage wizard"),
    "update": N_("update"),
    "demo": N_("demo"),
}


def original_source(code: str | None, t: Translator = ENGLISH) -> str:
    """A contact's original source as its code reads (``bulk_action``: bulk action), in ``t``'s language."""
    if not code:
        return "—"
    known = _ORIGINAL_SOURCES.get(str(code))
    return t(known) if known else str(code).replace("_", " ")


def describe_source(source_type: str | None, source_id: str | None, t: Translator = ENGLISH) -> str:
    """``form contact-us``, ``bulk action``, ``import 12``: how a person reads a source (in ``t``'s language)."""
    if not source_type:
        return t(N_("unknown"))
    known = SOURCE_NAMES.get(source_type)
    name = t(known) if known else source_type.replace("_", " ")
    return t(N_("{source} {id}"), source=name, id=source_id) if source_id else name


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

    def source_in(self, t: Translator) -> str:
        return describe_source(self.source_type, self.source_id, t)

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


def _at(event: HistoryEvent, t: Translator) -> str:
    return t(N_("{moment} by {actor}"), moment=event.requested_at, actor=event.actor)


def _day(value: Any) -> date:
    """A stored day (a ``datetime`` read from the database) as a day: the sentence shows no time."""
    return value.date() if isinstance(value, datetime) else value


def _reason(state: str | None, row: Any, history: list[HistoryEvent], t: Translator) -> tuple[str, HistoryEvent | None]:
    made = next((e for e in reversed(history) if e.makes_marketing), None)
    last = history[-1] if history else None
    if state is None:
        return (t(N_("Deleted on {when}."), when=_at(last, t)) if last else t(N_("Deleted."))), made
    if state == "non_marketing":
        if last is not None and last.new_state == "non_marketing" and last.old_state is not None:
            since = N_("Non-marketing since {day} ({source}, {when}).")
            return t(since, day=_day(last.effective_on), source=last.source_in(t), when=_at(last, t)), made
        created = describe_source(row["source_type"], row["source_id"], t)
        since = N_("Non-marketing since it was created by {source} on {day}.")
        return t(since, source=created, day=_day(row["created_at"])), made
    why = (
        t(N_("Made marketing by {source} on {when}."), source=made.source_in(t), when=_at(made, t))
        if made
        else t(
            N_("Marketing since it was created by {source}."),
            source=describe_source(row["source_type"], row["source_id"], t),
        )
    )
    if state == "pending":
        scheduled = next((e for e in reversed(history) if e.new_state == "pending"), None)
        leaves = _day(row["effective_on"])
        if scheduled:
            pending = N_("{why} Set non-marketing by {source} on {when}: it stays marketing until {day}.")
            return t(pending, why=why, source=scheduled.source_in(t), when=_at(scheduled, t), day=leaves), made
        return t(N_("{why} Set non-marketing: it stays marketing until {day}."), why=why, day=leaves), made
    if last is not None and last.old_state == "pending" and last.new_state == "marketing":
        undone = N_("{why} A later change to non-marketing was undone by {source} on {when}.")
        return t(undone, why=why, source=last.source_in(t), when=_at(last, t)), made
    return why, made


def get_contact(engine: Engine, *, contact_id: int, t: Translator = ENGLISH) -> ContactDetail:
    """A contact with its status reason (in ``t``'s language: English for the command line) and every status
    event, oldest first (also after deletion)."""
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
        raise DomainError(N_("no contact with ID {id}"), id=str(contact_id))
    state = _state(row) if row is not None else None
    reason, made = _reason(state, row, history, t)
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
        if value:
            raise DomainError(N_("no contact with email {email}"), email=value)
        raise DomainError(N_("type a contact ID or email"))
    return int(found)
