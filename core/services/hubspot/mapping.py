"""One page of HubSpot contacts into the database (docs/domain.md §12), inside the page's unit of work.

Each contact is read by ``core.rules.hubspot``; one that cannot be stored is an error of the sync, named with its
Record ID and reason, and the rest of the page goes on. The conflict rule is applied here: a contact whose status
was changed here since the last sync keeps it (HubSpot's fields are still applied) and is counted in
``conflicts``. What remains goes into the database by the import's path: its fold through the transition table
and its bulk writer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from core.rules import email_address
from core.rules import hubspot as props
from core.rules.csvformat import StatusRequest
from core.rules.hubspot import HubSpotContact, PropertyError
from core.services.imports.fold import Record, fold_rows, request_status
from core.services.imports.parse import ParsedRow
from core.services.imports.service import existing_records, write_folded
from core.services.unit import Unit
from core.store import hubspot as runs
from core.store.record_ids import set_hubspot_ids
from core.store.schema import contacts, operations, status_events

SYNC_KIND = "hubspot_sync"


def changed_here_since(conn: Connection, contact_ids: list[int], *, after_operation: int) -> set[int]:
    """The contacts among ``contact_ids`` whose status a change made here moved after ``after_operation`` (any
    operation but a HubSpot sync): what the conflict rule of docs/domain.md §12 protects."""
    if not contact_ids:
        return set()
    query = (
        select(status_events.c.contact_id)
        .join(operations, operations.c.id == status_events.c.operation_id)
        .where(
            status_events.c.contact_id.in_(contact_ids),
            status_events.c.operation_id > after_operation,
            operations.c.kind != SYNC_KIND,
        )
        .distinct()
    )
    return set(conn.execute(query).scalars())


def read_page(
    run: runs.SyncRun, page: list[tuple[str, dict[str, str | None]]], *, timezone: str
) -> list[HubSpotContact]:
    """The page's contacts as read by the rules, those that cannot be stored noted on the run as errors."""
    read: list[HubSpotContact] = []
    for record_id, properties in page:
        try:
            read.append(props.read_contact(record_id, properties, timezone=timezone))
        except PropertyError as exc:
            run.errors += 1
            runs.note(run, "rejected", {"record_id": record_id, "reason": str(exc)})
    run.fetched += len(page)
    return read


def apply_page(unit: Unit, run: runs.SyncRun, page: list[tuple[str, dict[str, str | None]]]) -> None:
    """Write one page of HubSpot contacts, its counts added to the run's."""
    read = read_page(run, page, timezone=unit.account.timezone)
    done = runs.last_done(unit.conn)
    _write(unit, run, read, last_sync_operation=done.operation_id if done is not None else None)


def _fields(contact: HubSpotContact) -> dict[str, Any]:
    """The contact's fields as a row gives them: HubSpot's empty properties clear ours, except the creation date."""
    fields = dict(contact.fields)
    if fields.get("created_at") is None:
        fields.pop("created_at", None)
    return fields


def _status_changed_at(conn: Connection, contact_ids: list[int]) -> dict[int, datetime | None]:
    if not contact_ids:
        return {}
    query = select(contacts.c.id, contacts.c.status_changed_at).where(contacts.c.id.in_(contact_ids))
    return {row[0]: row[1] for row in conn.execute(query)}


def _would_move(record: Record, request: StatusRequest, unit: Unit) -> bool:
    trial = Record(record.id, {}, record.state, [])
    request_status(trial, request, today=unit.today, effective=unit.next_update)
    return bool(trial.events)


def _write(unit: Unit, run: runs.SyncRun, read: list[HubSpotContact], *, last_sync_operation: int | None) -> None:
    """Fold the page's contacts into the contacts they name and write them by the import's bulk writer."""
    rows = [ParsedRow(0, c.email, email_address.match_key(c.email), _fields(c), c.request) for c in read]
    existing = existing_records(unit.conn, rows)
    ids = [r.id for r in existing.values() if r.id is not None]
    changed_at = _status_changed_at(unit.conn, ids)
    protected = changed_here_since(unit.conn, ids, after_operation=last_sync_operation or 0)
    if last_sync_operation is None:
        protected = set()  # no sync before: nothing was changed "since the last sync"
    kept: list[ParsedRow] = []
    for row, contact in zip(rows, read, strict=True):
        record = existing.get(row.key)
        if record is None or record.id is None:
            kept.append(row)
            continue
        moves = row.request is not None and _would_move(record, row.request, unit)
        if moves and record.id in protected:
            row.request, run.conflicts = None, run.conflicts + 1
            runs.note(run, "conflicts", {"record_id": contact.record_id, "contact_id": record.id, "kept": "ours"})
        elif moves and (at := changed_at.get(record.id)) is not None and contact.modified_at < at:
            row.request, run.stale = None, run.stale + 1
        elif not moves:
            row.request = None
        if row.request is None and all(record.fields.get(k) == v for k, v in row.fields.items()):
            run.unchanged += 1
            continue
        kept.append(row)
    folded = fold_rows(kept, existing, as_marketing=False, today=unit.today, effective=unit.next_update)
    wanted = {row.key for row in kept}
    folded.records = {k: r for k, r in folded.records.items() if r.id is None or k in wanted}
    write_folded(unit, folded, by=unit.by, operation_id=run.operation_id or 0, progress=None)
    pairs = {}
    for row, contact in zip(rows, read, strict=True):
        record = folded.records.get(row.key) or existing.get(row.key)
        if record is not None and record.id is not None:
            pairs[record.id] = contact.record_id
    set_hubspot_ids(unit.conn, pairs)  # contacts keep the Record ID they came with (docs/domain.md §11)
    run.created += folded.created
    run.updated += folded.updated
