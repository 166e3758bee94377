"""One page of HubSpot contacts into the database (docs/domain.md §12), inside the page's unit of work.

Each contact is read by ``core.rules.hubspot``; one that cannot be stored is an error of the sync, named with its
Record ID and reason, and the rest of the page goes on. The conflict rule is applied here: a contact whose status
was changed here since the last sync keeps it (HubSpot's fields are still applied) and is counted in
``conflicts``. What remains goes into the database by the import's path: its fold through the transition table
and its bulk writer.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from core.rules import email_address
from core.rules import hubspot as props
from core.rules.csvformat import StatusRequest
from core.rules.hubspot import HubSpotContact, PropertyError
from core.rules.record_id import RecordId
from core.services.imports.apply import Consent, apply_rows, existing_records
from core.services.imports.fold import Record, request_status
from core.services.imports.incoming import IncomingRow
from core.services.unit import Unit
from core.store import hubspot as runs
from core.store.schema import operations, status_events

SYNC_KIND = "hubspot_sync"
SYNC_CONSENT = Consent(undo=True, tier_upgrade=True)


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


def apply_page(
    unit: Unit, run: runs.SyncRun, page: list[tuple[str, dict[str, str | None]]], *, last_sync_operation: int | None
) -> None:
    """Write HubSpot contacts, their counts added to the run's; ``last_sync_operation``: the operation of the last
    completed sync (None: there was none), after which a status changed here is protected (the conflict rule)."""
    read = read_page(run, page, timezone=unit.account.timezone)
    # A contact read twice (search windows overlap by one modification time) is written once, as last read.
    once = list({c.record_id: c for c in read}.values())
    _write(unit, run, once, last_sync_operation=last_sync_operation)


def _fields(contact: HubSpotContact) -> dict[str, Any]:
    """The contact's fields as a row gives them: HubSpot's empty properties clear ours, except the creation date."""
    fields = dict(contact.fields)
    if fields.get("created_at") is None:
        fields.pop("created_at", None)
    return fields


def _would_move(record: Record, request: StatusRequest, unit: Unit) -> bool:
    trial = Record(record.id, {}, record.state, [])
    request_status(trial, request, today=unit.today, effective=unit.next_update)
    return bool(trial.events)


def _unchanged(record: Record, row: IncomingRow, contact: HubSpotContact) -> bool:
    """Nothing the row says differs from what the contact has: no status move, same fields, same email and id."""
    same_fields = all(record.fields.get(k) == v for k, v in row.fields.items())
    return same_fields and record.fields.get("email") == contact.email and record.hubspot_id == contact.record_id


def _rows(read: list[HubSpotContact]) -> list[IncomingRow]:
    """The page's contacts as incoming rows; a row's line is its HubSpot Record ID (what a rejection names)."""
    return [
        IncomingRow(
            c.record_id,
            c.email,
            email_address.match_key(c.email),
            _fields(c),
            c.request,
            record_id=RecordId(hubspot=c.record_id),
            modified_at=c.modified_at,
        )
        for c in read
    ]


def _write(unit: Unit, run: runs.SyncRun, read: list[HubSpotContact], *, last_sync_operation: int | None) -> None:
    """Apply the conflict rule, leave out what is unchanged, and hand the rest to the one path of incoming rows."""
    rows = _rows(read)
    existing = existing_records(unit.conn, rows)
    by_record = {r.hubspot_id: r for r in existing.values() if r.hubspot_id is not None}
    ids = [r.id for r in existing.values() if r.id is not None]
    protected = (
        set()
        if last_sync_operation is None
        else changed_here_since(unit.conn, ids, after_operation=last_sync_operation)
    )
    kept: list[IncomingRow] = []
    for row, contact in zip(rows, read, strict=True):
        record = by_record.get(contact.record_id) or existing.get(row.key)
        if record is None or record.id is None:
            kept.append(row)
            continue
        moves = row.request is not None and _would_move(record, row.request, unit)
        if moves and record.id in protected:
            row.request, run.conflicts = None, run.conflicts + 1
            runs.note(run, "conflicts", {"record_id": contact.record_id, "contact_id": record.id, "kept": "ours"})
        if not moves and _unchanged(record, row, contact):
            run.unchanged += 1
            continue
        kept.append(row)
    if not kept:
        return
    # A sync brings in what HubSpot has already done and bills: it asks no consent, and says what it did.
    result = apply_rows(unit, kept, consent=SYNC_CONSENT, operation_id=run.operation_id)
    run.created += result.created
    run.updated += result.updated
    run.stale += result.stale
    moves_so_far = run.details.setdefault("status_moves", {"made_marketing": 0, "scheduled": 0, "undone": 0})
    for key in moves_so_far:
        moves_so_far[key] += getattr(result, key)
    for rejected in result.rejected:
        run.errors += 1
        runs.note(run, "rejected", {"record_id": str(rejected["line"]), "reason": rejected["reason"]})
