"""Folding incoming rows in order (docs/domain.md §9, §11): each row is matched to a contact by its Record ID, then
its email (``core.rules.record_id.decide``); a later row updates the contact an earlier row created; a row
older than the contact's last status change keeps that status (stale, ``core.rules.stale``); and every status
request goes through the transition table (``core.rules.status``), for new and existing contacts alike.
The same fold serves CSV imports and HubSpot syncs. PURE: ``today`` and the update date are parameters.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from core.rules.csvformat import StatusRequest
from core.rules.email_address import match_key as email_key
from core.rules.record_id import Known, RecordId, Verdict, decide
from core.rules.sources import SourceType, default_for_new_contact
from core.rules.stale import is_stale
from core.rules.status import MarketingStatus, State, transition
from core.services.imports import packed
from core.services.imports.incoming import IncomingRow

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


@dataclass(slots=True, eq=False)  # a record is one contact: compared by identity
class Record:
    """One contact's state while the rows are folded in order."""

    id: int | None  # None: created by these rows
    fields: dict[str, Any]  # a new contact's: only what its rows filled (defaults are applied on insert)
    state: State
    events: list[Event]
    hubspot_id: int | None = None  # its HubSpot Record ID (stored, taken from a row, or a new contact's)
    changed_at: datetime | None = None  # its last status change as stored (stale rows are older)
    adopted: bool = False  # an existing contact takes ``hubspot_id`` from a row (it had none)
    email_changed: bool = False  # a row matched by Record ID gave it another email


@dataclass
class Folded:
    """The rows folded: every contact they name, how many rows created or updated one, the rows rejected
    because their Record ID and Email name two contacts, and the rows whose status was kept as stale.

    A contact is a ``Record``, or (``fold_packed``) the number of the file's row that made it, when no other row
    named it (its row is in ``rows``): ``record`` makes it one, ``events`` gives its events."""

    records: dict[str, Record | int]  # by (current) email in lower case
    created: int
    updated: int
    rejected: list[dict[str, Any]] = field(default_factory=list)
    stale_rows: list[dict[str, Any]] = field(default_factory=list)  # line, email, the status kept, the one asked
    outcomes: dict[StatusRequest | None, Record] = field(default_factory=dict)  # a new contact by its request
    rows: packed.PackedRows | None = None

    @property
    def stale(self) -> int:
        return len(self.stale_rows)

    def record(self, key: str, entry: Record | int) -> Record:
        """A contact as a record: a packed one as the row that made it made it (a new record each time)."""
        if isinstance(entry, Record):
            return entry
        assert self.rows is not None
        _, email, fields = packed.fields_of(key, self.rows.row(entry))
        fields["email"] = email
        outcome = self.outcomes[self.rows.request(entry)]
        return Record(None, fields, outcome.state, list(outcome.events), hubspot_id=self.rows.hubspot_id(entry))

    def event_counts(self) -> dict[str, int]:
        """``event_counts`` of every contact folded."""
        counts = {"made_marketing": 0, "scheduled": 0, "undone": 0}
        by_code: Counter[int] = Counter()  # packed contacts, by their rows' codes
        codes = self.rows.codes if self.rows is not None else b""
        for entry in self.records.values():
            if isinstance(entry, Record):
                if entry.events:
                    _count(entry.events, counts)
            else:
                by_code[codes[entry]] += 1
        for code, n in by_code.items():
            once = {name: 0 for name in counts}
            _count(self.outcomes[packed.REQUESTS[code & ~packed.HAS_ID]].events, once)
            for name, found in once.items():
                counts[name] += found * n
        return counts


def request_status(record: Record, request: StatusRequest, *, today: date, effective: date) -> None:
    """Apply one row's status request to the record through the transition table (docs/domain.md §2): a contact
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
    (``--as-marketing`` is the import's setting, docs/domain.md §5)."""
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


class _Index:
    """The contacts known while folding: by email (in lower case) and by Record ID. A new contact that one row of a
    file made, and no other row named yet, is that row's number (``packed``) by email, until another row names it."""

    def __init__(self, existing: dict[str, Record]) -> None:
        self.by_email: dict[str, Record | int] = dict(existing)
        self.by_record: dict[RecordId, Record] = {}
        for record in existing.values():
            self.name(record)

    def name(self, record: Record) -> None:
        if record.id is not None:
            self.by_record[RecordId(own=record.id)] = record
        if record.hubspot_id is not None:
            self.by_record[RecordId(hubspot=record.hubspot_id)] = record

    @staticmethod
    def known(record: Record | None) -> Known[Record] | None:
        return None if record is None else Known(record, record.hubspot_id)

    def move(self, record: Record, old_key: str, row: IncomingRow) -> None:
        """A row matched by Record ID gives the contact another email."""
        del self.by_email[old_key]
        self.by_email[row.key] = record
        record.fields["email"] = row.email
        record.email_changed = True


def _update(record: Record, row: IncomingRow, *, today: date, effective: date) -> bool:
    """Apply a row to a contact it names; True when its status request was kept out as stale."""
    stale = False
    if row.request is not None:
        if is_stale(row.modified_at, record.changed_at):
            before = (record.state, len(record.events))
            request_status(record, row.request, today=today, effective=effective)
            stale = (record.state, len(record.events)) != before
            if stale:  # undo: the contact keeps its newer status
                record.state, record.events[:] = before[0], record.events[: before[1]]
        else:
            request_status(record, row.request, today=today, effective=effective)
    record.fields.update(row.fields)  # a row's fields never hold its email: matching decides it (``_Index.move``)
    return stale


class _Folder:
    """Rows folded one at a time, in file order (``fold_rows``, ``fold_packed``)."""

    def __init__(self, existing: dict[str, Record], *, as_marketing: bool, today: date, effective: date) -> None:
        self.index = _Index(existing)
        self.hubspot_rows: dict[int, int] = {}  # a packed contact's HubSpot Record ID: the number of its row
        self.keys: list[str] = []  # the packed rows' match keys
        self.today, self.effective = today, effective
        self.folded = Folded(self.index.by_email, 0, 0)
        self.folded.outcomes = {  # a new contact's state and events depend on its row's request only: five at most
            request: new_record(request, as_marketing=as_marketing, today=today, effective=effective)
            for request in (None, *StatusRequest)
        }

    def by_email(self, key: str) -> Record | None:
        """The contact with this email (in lower case), a packed one made a record from now on."""
        found = self.index.by_email.get(key)
        return self._made_record(key, found) if isinstance(found, int) else found

    def _made_record(self, key: str, row: int) -> Record:
        """The packed contact of row ``row`` (by ``key``) made a record, known as a record from now on."""
        record = self.index.by_email[key] = self.folded.record(key, row)
        if record.hubspot_id is not None:
            del self.hubspot_rows[record.hubspot_id]
            self.index.name(record)
        return record

    def row(self, row: IncomingRow) -> None:
        index, folded = self.index, self.folded
        by_email = self.by_email(row.key)
        record: Record | None
        adopt: int | None
        if row.record_id is None:  # the common case of a file without Record IDs: by email alone
            verdict, record, adopt = (Verdict.UPDATE, by_email, None) if by_email else (Verdict.CREATE, None, None)
        else:
            if (hubspot := row.record_id.hubspot) is not None and (made := self.hubspot_rows.get(hubspot)) is not None:
                self._made_record(self.keys[made], made)  # a packed contact that took this Record ID
            by_record = index.by_record.get(row.record_id)
            decision = decide(
                row.record_id, row.email, by_record=index.known(by_record), by_email=index.known(by_email)
            )
            if decision.verdict == Verdict.REJECT:
                folded.rejected.append({"line": row.line, "reason": decision.reason})
                return
            verdict, record, adopt = decision.verdict, decision.contact, decision.adopt
        if verdict == Verdict.CREATE or record is None:
            outcome = folded.outcomes[row.request]
            fields = row.fields  # the row is folded once: its cells become the new contact's
            fields["email"] = row.email
            record = Record(None, fields, outcome.state, list(outcome.events), hubspot_id=adopt)
            index.by_email[row.key] = record
            index.name(record)
            folded.created += 1
            return
        folded.updated += 1
        if record is not by_email:  # matched by Record ID under another email
            index.move(record, _key_of(record), row)
        if adopt is not None:
            record.hubspot_id, record.adopted = adopt, record.id is not None
            index.name(record)
        kept = record.state
        if _update(record, row, today=self.today, effective=self.effective):
            asked = row.request.value if row.request is not None else ""
            folded.stale_rows.append({"line": row.line, "email": row.email, "kept": kept.value, "asked": asked})


def fold_rows(
    rows: Iterable[IncomingRow], existing: dict[str, Record], *, as_marketing: bool, today: date, effective: date
) -> Folded:
    """Apply rows in order: each to the contact its Record ID or email names (``decide``), or to a new one; a
    later row updates the contact an earlier row created.

    ``existing``: the stored contacts the rows may name, by email in lower case. Consumes ``rows``: a new
    contact's fields are its first row's own dict (no copy per row), so parse again before folding twice."""
    folder = _Folder(existing, as_marketing=as_marketing, today=today, effective=effective)
    for row in rows:
        folder.row(row)
    return folder.folded


def fold_packed(
    rows: packed.PackedRows, existing: dict[str, Record], *, as_marketing: bool, today: date, effective: date
) -> Folded:
    """``fold_rows`` for a file's packed rows; a new contact one row made stays that row's number in
    ``Folded.records``: a new email without a Record ID, or with a HubSpot Record ID that names no contact (the
    common cases of a big file). Empties ``rows.keys``."""
    folder = _Folder(existing, as_marketing=as_marketing, today=today, effective=effective)
    folder.folded.rows, folder.keys = rows, rows.keys
    by_email, fold, folded, has_id = folder.index.by_email, folder.row, folder.folded, packed.HAS_ID
    by_record, hubspot_rows = folder.index.by_record, folder.hubspot_rows
    for i, (key, code) in enumerate(zip(rows.keys, rows.codes, strict=True)):
        if key in by_email:
            fold(packed.unpack(key, rows.row(i)))
        elif code & has_id:
            hubspot = rows.hubspot_id(i)
            if hubspot is None or hubspot in hubspot_rows or RecordId(hubspot=hubspot) in by_record:
                fold(packed.unpack(key, rows.row(i)))
            else:  # a new contact with that id (``decide``)
                by_email[key] = i
                hubspot_rows[hubspot] = i
                folded.created += 1
        else:
            by_email[key] = i
            folded.created += 1
    rows.keys.clear()
    return folded


def _key_of(record: Record) -> str:
    """An existing contact's current email in lower case."""
    email = record.fields.get("email")
    assert isinstance(email, str)
    return email_key(email)


def event_counts(records: list[Record]) -> dict[str, int]:
    """What the folded rows do to statuses: made marketing, scheduled (pending), pending changes undone."""
    counts = {"made_marketing": 0, "scheduled": 0, "undone": 0}
    for record in records:
        _count(record.events, counts)
    return counts


def _count(events: list[Event], counts: dict[str, int]) -> None:
    for old, new, _ in events:
        if new == State.PENDING:
            counts["scheduled"] += 1
        elif old == State.PENDING:
            counts["undone"] += 1
        else:
            counts["made_marketing"] += 1
