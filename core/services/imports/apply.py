"""The one path of incoming contacts into the database (docs/architecture.md, "Contacts coming in"): CSV
imports and HubSpot syncs hand their rows (``incoming.IncomingRow``) to ``apply_rows``, inside the caller's unit
of work. It reads the contacts the rows name (by Record ID and email), folds the rows in order (``fold``), asks
for consent before undoing scheduled changes or raising the tier (docs/domain.md §10), and writes the result
with the bulk writer (``core.store.bulk_contacts``): it all lands, or none of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from typing import Any

from sqlalchemy import Connection

from core.errors import Sentence, TierUpgradeRequired, UndoRequired
from core.i18n import N_
from core.rules import tiers
from core.rules.record_id import RecordId
from core.rules.requester import Requester
from core.rules.status import State
from core.services.imports import packed
from core.services.imports.fold import Folded, Record, fold_packed, fold_rows
from core.services.imports.incoming import IncomingRow
from core.services.imports.packed import PackedRows
from core.services.unit import Unit
from core.services.workflows.feeds import require_grant_if_import_feeds
from core.store import states
from core.store.access import Action
from core.store.account import marketing_count, raise_tier_to_fit
from core.store.bulk_contacts import (
    CONTACT_COLUMNS,
    FIELD_COLUMNS,
    NO_SOURCE,
    BulkWriter,
    Cells,
    contacts_named,
    update_contacts,
)

CHUNK = 5_000
NEW_COLUMNS = (*CONTACT_COLUMNS, "hubspot_id")  # a new contact's row, with the Record ID it came with
Progress = Callable[[float, str], None]
Rejection = dict[str, Any]  # {"line": ..., "reason": ...}: as the command line's JSON lists it


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    import_id: int | None = None
    made_marketing: int = 0
    scheduled: int = 0
    undone: int = 0
    tier_limit_before: int = 0
    tier_limit_after: int = 0
    stale: int = 0  # rows older than their contact's last status change: the contact kept its status

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Consent:
    """What the person importing agreed to beforehand (docs/domain.md §10): undoing scheduled non-marketing
    changes, raising the billed tier. Without it, an import that would do either writes nothing."""

    undo: bool = False
    tier_upgrade: bool = False


NO_CONSENT = Consent()


LOOKUP = 10_000  # names (emails, Record IDs) looked up in one read (more: more memory kept by the reads)


def existing_records(conn: Connection, rows: Iterable[IncomingRow]) -> dict[str, Record]:
    """The stored contacts the rows name, by email or Record ID, as records to fold the rows into (by email)."""
    return existing_named(conn, ((row.key, row.record_id) for row in rows))


def existing_named(conn: Connection, names: Iterable[tuple[str, RecordId | None]]) -> dict[str, Record]:
    """The stored contacts named by these emails (in lower case) and Record IDs, read ``LOOKUP`` names at a time."""
    found: dict[str, Record] = {}
    seen: set[int] = set()  # a contact named in two reads is one record
    names = iter(names)
    while batch := list(islice(names, LOOKUP)):
        emails, hubspot, own = set(), set(), set()
        for key, rid in batch:
            emails.add(key)
            if rid is not None:
                (hubspot.add(rid.hubspot) if rid.hubspot is not None else own.add(rid.own))
        named = contacts_named(conn, emails=sorted(emails), hubspot_ids=sorted(hubspot), ids=sorted(own))  # type: ignore[arg-type]
        for c in named:
            if c["id"] in seen:
                continue
            seen.add(c["id"])
            found[c["email_lower"]] = Record(
                c["id"],
                {k: c[k] for k in FIELD_COLUMNS},
                c["stored_state"],
                [],
                hubspot_id=c["hubspot_id"],
                changed_at=c["status_changed_at"],
            )
    return found


class _NewRows:
    """New contacts as rows in ``bulk_contacts.CONTACT_COLUMNS`` order: what their rows filled, the defaults of
    a new contact, their state, and the import as their source (and as what made them marketing, if it did)."""

    def __init__(self, cells: Cells, folded: Folded, *, by: Requester, now: datetime, effective: date) -> None:
        self.stamp, self.created_default, made = cells.stamp, cells.stamp(now), cells.source(by, now)
        self.stamp_text = cells.stamp_text
        # The state and source columns: one tuple per state, and whether the import made the contact marketing.
        self.tails = {
            (s, bool(m)): cells.state(s, effective) + (made if m else NO_SOURCE) for s in State for m in (0, 1)
        }
        self.source = (by.source_type, by.source_id)
        self.folded = folded
        # A packed contact's state and source columns, by its row's request's code (``packed.PackedRows.codes``).
        self.packed_tails = {
            code: self.tails[outcome.state, bool(outcome.events)]
            for request, outcome in folded.outcomes.items()
            for code in [packed.code_of(request)]
        }

    def record(self, contact_id: int, key: str, record: Record) -> tuple[Any, ...]:
        stamp, f = self.stamp, record.fields
        created_at, last_activity = f.get("created_at"), f.get("last_activity_at")
        head = (
            contact_id,
            f["email"],
            f.get("first_name"),
            f.get("last_name"),
            f.get("lifecycle_stage"),
            self.created_default if created_at is None else stamp(created_at),
            None if last_activity is None else stamp(last_activity),
            f.get("hard_bounced", False),
            f.get("unsubscribed_all", False),
            key,
            *self.source,
        )
        return head + self.tails[record.state, bool(record.events)] + (record.hubspot_id,)

    def packed(self, contact_id: int, key: str, row: int) -> tuple[Any, ...]:
        """A contact one row made, from its packed row."""
        rows = self.folded.rows
        assert rows is not None
        email, first, last, stage, created_at, last_activity, bounced, unsubscribed = packed.cells(key, rows.row(row))
        stamp = self.stamp_text
        head = (
            contact_id,
            email,
            first,
            last,
            stage,
            self.created_default if created_at is None else stamp(created_at),
            None if last_activity is None else stamp(last_activity),
            bounced,
            unsubscribed,
            key,
            *self.source,
        )
        return head + self.packed_tails[rows.codes[row] & ~packed.HAS_ID] + (rows.hubspot_id(row),)


def _write_new(
    writer: BulkWriter,
    folded: Folded,
    count: int,
    *,
    by: Requester,
    now: datetime,
    effective: date,
    progress: Progress | None,
) -> int:
    """Insert the ``count`` new contacts, ids reserved up front (their events need no read-back), ``CHUNK`` at a
    time; the first id (new contacts have the next ones, in ``folded.records`` order)."""
    first = writer.reserve_ids(count) if count else 0
    new_rows = _NewRows(writer.cells, folded, by=by, now=now, effective=effective)
    chunk: list[tuple[Any, ...]] = []
    start = 0  # how many were written before this chunk
    next_id = first
    for key, entry in folded.records.items():
        if isinstance(entry, Record):
            if entry.id is not None:
                continue  # an existing contact
            entry.id = next_id
            chunk.append(new_rows.record(next_id, key, entry))
        else:
            chunk.append(new_rows.packed(next_id, key, entry))
        next_id += 1
        if len(chunk) == CHUNK or start + len(chunk) == count:
            writer.contacts(chunk, columns=NEW_COLUMNS)
            if progress:
                progress(
                    0.3 + 0.4 * min(1.0, (start + CHUNK) / count),
                    Sentence(N_("created {n}"), n=min(start + CHUNK, count)),
                )
            start += len(chunk)
            chunk = []
    return first


def _write_updates(
    conn: Connection, changed: list[tuple[str, Record]], *, by: Requester, now: datetime, effective: date
) -> None:
    """Update the existing contacts the file names: their fields, and their state when a row moved it."""
    moved = {s: states.columns_for(s, effective_on=effective) | states.source_for(by, now) for s in State}
    # Emails that move between contacts (matched by Record ID) go through a placeholder first, so that the
    # unique email index never sees two contacts with one email half-way through (no email has no "@").
    moving = [{"id": r.id, "email_lower": f"moving-{r.id}"} for _, r in changed if r.email_changed]
    update_contacts(conn, moving, chunk=CHUNK)
    for start in range(0, len(changed), CHUNK):
        rows = []
        for key, record in changed[start : start + CHUNK]:
            values = {"id": record.id, **{c: record.fields.get(c) for c in FIELD_COLUMNS}, "email_lower": key}
            if record.adopted:
                values["hubspot_id"] = record.hubspot_id
            rows.append(values | moved[record.state] if record.events else values)
        update_contacts(conn, rows, chunk=CHUNK)


def _write_events(
    writer: BulkWriter, folded: Folded, first: int, *, operation_id: int, by: Requester, now: datetime
) -> None:
    """One status event per move the rows made (a new contact made marketing counts as one), ``CHUNK * 4`` at a
    time. ``first``: the id of the first new contact (``_write_new``)."""
    stamp, source = writer.cells.stamp(now), (by.source_type, by.source_id, by.actor)
    days: dict[date, Any] = {}  # an import's events fall on two days at most: today and the next update date
    rows: list[tuple[Any, ...]] = []
    new = first  # the id of the next packed contact
    codes = folded.rows.codes if folded.rows is not None else b""
    packed_events = {packed.code_of(request): outcome.events for request, outcome in folded.outcomes.items()}
    for entry in folded.records.values():
        if isinstance(entry, Record):
            contact_id, events = entry.id, entry.events
            if first and entry.id is not None and entry.id >= first:
                new += 1  # a new contact made a record (its id in order with the packed ones)
        else:
            contact_id, events = new, packed_events[codes[entry] & ~packed.HAS_ID]
            new += 1
        for old, new_state, effective_on in events:  # in bulk_contacts.EVENT_COLUMNS order
            if (day := days.get(effective_on)) is None:
                day = days[effective_on] = writer.cells.day(effective_on)
            old_text = old._value_ if old is not None else None
            rows.append((contact_id, operation_id, old_text, new_state._value_, stamp, day, *source))
        if len(rows) >= CHUNK * 4:
            writer.events(rows)
            rows = []
    writer.events(rows)


def _write(unit: Unit, folded: Folded, *, by: Requester, operation_id: int, progress: Progress | None) -> None:
    """Write what the folded rows became: new contacts, changed ones, and their events."""
    writer = BulkWriter(unit.conn)
    now, effective = unit.now, unit.next_update
    changed = [(k, r) for k, r in folded.records.items() if isinstance(r, Record) and r.id is not None]
    # Existing contacts first: an email one of them leaves (its Record ID moved it) may be a new contact's.
    _write_updates(unit.conn, changed, by=by, now=now, effective=effective)
    first = _write_new(
        writer, folded, len(folded.records) - len(changed), by=by, now=now, effective=effective, progress=progress
    )
    _write_events(writer, folded, first, operation_id=operation_id, by=by, now=now)


def _check_consent(unit: Unit, result: ImportResult, consent: Consent) -> None:
    """Undoing scheduled changes and raising the tier need consent (docs/domain.md §10): exit 3, nothing written."""
    payload = result.as_json() | {"written": False}
    if result.undone and not consent.undo:
        raise UndoRequired(payload)
    if result.tier_limit_after > result.tier_limit_before and not consent.tier_upgrade:
        raise TierUpgradeRequired(payload)


def apply_rows(
    unit: Unit,
    rows: list[IncomingRow],
    *,
    as_marketing: bool = False,
    consent: Consent = NO_CONSENT,
    progress: Progress | None = None,
    kind: str = "import",
    source_type: str = "import",
    operation_id: int | None = None,
) -> ImportResult:
    """Inside a unit of work: create and update contacts from incoming rows, with their events. Rows that name
    two contacts are returned as ``rejected``; a refused consent raises before anything is written.

    ``kind`` is the operation's kind in the audit (give a new one a label in ``core/services/audit.py``);
    ``source_type`` what the contacts and events name as their source, with the operation's id as its id (an
    import: ``import`` + the import's id). ``operation_id``: instead, an operation the caller started and finishes,
    with the caller's requester as the source (a HubSpot sync: one operation for all its batches of pages)."""
    if as_marketing or any(r.request is not None for r in rows):  # any status in the rows changes status
        unit.require(Action.CHANGE_STATUS)
    existing = existing_records(unit.conn, rows)
    if progress:
        progress(0.3, Sentence(N_("matched {n} existing contacts"), n=len(existing)))
    folded = fold_rows(rows, existing, as_marketing=as_marketing, today=unit.today, effective=unit.next_update)
    return _apply(
        unit, folded, consent=consent, progress=progress, kind=kind, source_type=source_type, operation_id=operation_id
    )


def apply_packed(
    unit: Unit,
    rows: PackedRows,
    *,
    as_marketing: bool = False,
    consent: Consent = NO_CONSENT,
    progress: Progress | None = None,
) -> ImportResult:
    """``apply_rows`` for a file's packed rows (``parse.pack_csv``): an import. Consumes ``rows``."""
    if as_marketing or rows.asks_status():  # any status in the rows changes status
        unit.require(Action.CHANGE_STATUS)
    existing = existing_named(unit.conn, rows.names())
    if progress:
        progress(0.3, Sentence(N_("matched {n} existing contacts"), n=len(existing)))
    folded = fold_packed(rows, existing, as_marketing=as_marketing, today=unit.today, effective=unit.next_update)
    del existing
    return _apply(unit, folded, consent=consent, progress=progress)


def _apply(
    unit: Unit,
    folded: Folded,
    *,
    consent: Consent,
    progress: Progress | None,
    kind: str = "import",
    source_type: str = "import",
    operation_id: int | None = None,
) -> ImportResult:
    """Check the consent for what the folded rows do, then write them (``apply_rows``)."""
    counts = folded.event_counts()
    acct = unit.account
    marketing = marketing_count(unit.conn) + counts["made_marketing"]
    result = ImportResult(
        created=folded.created,
        updated=folded.updated,
        rejected=folded.rejected,
        tier_limit_before=acct.billed_tier,
        tier_limit_after=tiers.tier_after_change(acct.pricing, acct.billed_tier, marketing),
        made_marketing=counts["made_marketing"],
        scheduled=counts["scheduled"],
        undone=counts["undone"],
        stale=folded.stale,
    )
    _check_consent(unit, result, consent)
    own_operation = operation_id is None
    if operation_id is None:
        operation_id = unit.start(kind)
    # What the contacts and events name as their source: this operation, or the caller's own (a sync's integration).
    by = unit.by.via(source_type, str(operation_id)) if own_operation else unit.by
    _write(unit, folded, by=by, operation_id=operation_id, progress=progress)
    require_grant_if_import_feeds(unit, folded.records.keys())  # docs/domain.md §6: feeding a status workflow
    result.import_id = operation_id
    result.tier_limit_after = raise_tier_to_fit(
        unit.conn, acct, marketing=marketing_count(unit.conn), today=unit.today, now=unit.now, actor=by.actor
    )
    if own_operation:
        unit.finish(operation_id, {k: v for k, v in result.as_json().items() if k != "rejected"})
    return result
