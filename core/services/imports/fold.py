"""Folding an import's rows in file order (DOMAIN.md §9): a later row updates the contact an earlier row
created, and every status request goes through the transition table (``core.rules.status``), for new and
existing contacts alike, with ``import`` as the source. PURE: ``today`` and the update date are parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from core.rules.csvformat import StatusRequest
from core.rules.sources import SourceType, default_for_new_contact
from core.rules.status import MarketingStatus, State, transition
from core.services.imports.parse import ParsedRow

Event = tuple[State | None, State, date]  # old state (None: created), new state, the day it counts from

# What a row's status cells ask for, as requests of the transition table applied in order.
STEPS: dict[StatusRequest, tuple[MarketingStatus, ...]] = {
    StatusRequest.MARKETING: (MarketingStatus.MARKETING,),
    StatusRequest.NON_MARKETING: (MarketingStatus.NON_MARKETING,),
    StatusRequest.LEAVE_AT_UPDATE: (MarketingStatus.NON_MARKETING,),
    StatusRequest.UNTIL_UPDATE: (MarketingStatus.MARKETING, MarketingStatus.NON_MARKETING),
}
# The status a row's "Marketing contact status" cell names (None: empty; "until next update" alone names none).
NAMED_STATUS: dict[StatusRequest | None, bool | None] = {
    None: None,
    StatusRequest.MARKETING: True,
    StatusRequest.UNTIL_UPDATE: True,
    StatusRequest.NON_MARKETING: False,
    StatusRequest.LEAVE_AT_UPDATE: None,
}


@dataclass(slots=True)
class Record:
    """One contact's state while the file's rows are folded in order."""

    id: int | None  # None: created by this file
    fields: dict[str, Any]  # a new contact's: only what its rows filled (defaults are applied on insert)
    state: State
    events: list[Event]


@dataclass
class Folded:
    """The file's rows folded: every contact they name, and how many rows created or updated one."""

    records: dict[str, Record]  # by email in lower case
    created: int
    updated: int


def request_status(record: Record, request: StatusRequest, *, today: date, effective: date) -> None:
    """Apply one row's status request to the record through the transition table (DOMAIN.md §2): a contact
    made pending counts from the update date ``effective``, any other move from ``today``."""
    if request == StatusRequest.UNTIL_UPDATE and record.state == State.PENDING:
        return  # already marketing until the next update: unchanged
    for asked in STEPS[request]:
        old = record.state
        new = transition(old, asked).new
        if new != old:
            record.events.append((old, new, effective if new == State.PENDING else today))
            record.state = new


def created_state(request: StatusRequest | None, *, as_marketing: bool) -> State:
    """A contact an import creates starts in the status its row names, else in the import's default
    (``--as-marketing`` is the import's setting, DOMAIN.md §5)."""
    named = NAMED_STATUS[request]
    if named is None:
        named = default_for_new_contact(SourceType.IMPORT, tool_setting=as_marketing)
    return State.MARKETING if named else State.NON_MARKETING


def new_record(request: StatusRequest | None, *, as_marketing: bool, today: date, effective: date) -> Record:
    """A contact created by a row: created (marketing with its event, or non-marketing), then the row's request
    applied as to any existing contact."""
    start = created_state(request, as_marketing=as_marketing)
    record = Record(None, {}, start, [(None, start, today)] if start == State.MARKETING else [])
    if request is not None:
        request_status(record, request, today=today, effective=effective)
    return record


def fold_rows(
    rows: list[ParsedRow], existing: dict[str, Record], *, as_marketing: bool, today: date, effective: date
) -> Folded:
    """Apply rows in file order: a later row updates the contact an earlier row created.

    Consumes ``rows``: a new contact's fields are its first row's own dict (no copy per row), so parse the
    file again before folding it a second time."""
    records = dict(existing)
    created = updated = 0
    outcomes = {  # a new contact's state and events depend on its row's request only: five at most
        request: new_record(request, as_marketing=as_marketing, today=today, effective=effective)
        for request in (None, *StatusRequest)
    }
    for row in rows:
        key = row.key
        record = records.get(key)
        if record is None:
            outcome = outcomes[row.request]
            fields = row.fields  # the row is folded once: its cells become the new contact's
            fields["email"] = row.email
            records[key] = Record(None, fields, outcome.state, list(outcome.events))
            created += 1
        else:
            updated += 1
            if row.request is not None:
                request_status(record, row.request, today=today, effective=effective)
            record.fields.update(row.fields)
    return Folded(records, created, updated)


def event_counts(records: list[Record]) -> dict[str, int]:
    """What the folded rows do to statuses: made marketing, scheduled (pending), pending changes undone."""
    counts = {"made_marketing": 0, "scheduled": 0, "undone": 0}
    for record in records:
        for old, new, _ in record.events:
            if new == State.PENDING:
                counts["scheduled"] += 1
            elif old == State.PENDING:
                counts["undone"] += 1
            else:
                counts["made_marketing"] += 1
    return counts
