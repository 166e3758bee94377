"""CSV import (DOMAIN.md §9): rows apply in file order, statuses follow §2 with ``import`` as the source.

The file is read and its rows parsed (``parse``) before the write lock is taken; then, in one unit of work,
the contacts it names are read, its rows folded in file order (``fold``) and the result written by the bulk
writer (``core.store.bulk_contacts``): it all lands, or none of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine

from core.errors import DomainError
from core.rules.requester import Requester
from core.rules.status import State
from core.services.imports.fold import Folded, Record, event_counts, fold_rows
from core.services.imports.gc_pause import paused_gc
from core.services.imports.parse import ParsedRow, Rejection, decode, parse_csv
from core.services.unit import Unit, changing
from core.services.workflows.feeds import require_grant_if_import_feeds
from core.store import engine as db
from core.store import states
from core.store.access import Action, authorize
from core.store.account import load_account, marketing_count, raise_tier_to_fit
from core.store.bulk_contacts import (
    FIELD_COLUMNS,
    NO_SOURCE,
    BulkWriter,
    Cells,
    contacts_by_email,
    update_contacts,
)

CHUNK = 5_000
Progress = Callable[[float, str], None]


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

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def read_text(source: str | Path | bytes | IO[bytes]) -> str:
    """The text of a file given by path, as bytes or as an open binary file (``parse.decode``)."""
    if isinstance(source, bytes):
        return decode(source)
    if isinstance(source, str | Path):
        try:
            return decode(Path(source).read_bytes())
        except OSError as exc:
            raise DomainError(f"cannot read {source}: {exc.strerror}") from None
    return decode(source.read())


def existing_records(conn: Connection, rows: list[ParsedRow]) -> dict[str, Record]:
    """The contacts the rows name that exist already, as records to fold the rows into."""
    found = contacts_by_email(conn, list({r.key for r in rows}))
    return {key: Record(contact_id, fields, state, []) for key, (contact_id, state, fields) in found.items()}


def _new_rows(
    cells: Cells, new: list[tuple[str, Record]], *, by: Requester, now: datetime, effective: date
) -> list[tuple[Any, ...]]:
    """New contacts as rows in ``bulk_contacts.CONTACT_COLUMNS`` order: what their rows filled, the defaults of
    a new contact, their state, and the import as their source (and as what made them marketing, if it did)."""
    stamp, created_default, made = cells.stamp, cells.stamp(now), cells.source(by, now)
    # The state and source columns: one tuple per state, and whether the import made the contact marketing.
    tails = {(s, bool(m)): cells.state(s, effective) + (made if m else NO_SOURCE) for s in State for m in (0, 1)}
    source_type, source_id = by.source_type, by.source_id
    rows = []
    for key, record in new:
        f = record.fields
        created_at, last_activity = f.get("created_at"), f.get("last_activity_at")
        head = (
            record.id,
            f["email"],
            f.get("first_name"),
            f.get("last_name"),
            f.get("lifecycle_stage"),
            created_default if created_at is None else stamp(created_at),
            None if last_activity is None else stamp(last_activity),
            f.get("hard_bounced", False),
            f.get("unsubscribed_all", False),
            key,
            source_type,
            source_id,
        )
        rows.append(head + tails[record.state, bool(record.events)])
    return rows


def _write_new(
    writer: BulkWriter,
    new: list[tuple[str, Record]],
    *,
    by: Requester,
    now: datetime,
    effective: date,
    progress: Progress | None,
) -> None:
    """Insert the new contacts, ids reserved up front (their events need no read-back)."""
    first = writer.reserve_ids(len(new)) if new else 0
    for offset, (_, record) in enumerate(new):
        record.id = first + offset
    for start in range(0, len(new), CHUNK):
        writer.contacts(_new_rows(writer.cells, new[start : start + CHUNK], by=by, now=now, effective=effective))
        if progress:
            progress(0.3 + 0.4 * min(1.0, (start + CHUNK) / len(new)), f"created {min(start + CHUNK, len(new)):,}")


def _write_updates(
    conn: Connection, changed: list[tuple[str, Record]], *, by: Requester, now: datetime, effective: date
) -> None:
    """Update the existing contacts the file names: their fields, and their state when a row moved it."""
    moved = {s: states.columns_for(s, effective_on=effective) | states.source_for(by, now) for s in State}
    rows = []
    for key, record in changed:
        values = {"id": record.id, **{c: record.fields.get(c) for c in FIELD_COLUMNS}, "email_lower": key}
        rows.append(values | moved[record.state] if record.events else values)
    update_contacts(conn, rows, chunk=CHUNK)


def _write_events(
    writer: BulkWriter, records: list[Record], *, operation_id: int, by: Requester, now: datetime
) -> None:
    """One status event per move the rows made (a new contact made marketing counts as one)."""
    stamp, source = writer.cells.stamp(now), (by.source_type, by.source_id, by.actor)
    days: dict[date, Any] = {}  # an import's events fall on two days at most: today and the next update date
    rows = []
    for record in records:
        for old, new, effective_on in record.events:  # in bulk_contacts.EVENT_COLUMNS order
            if (day := days.get(effective_on)) is None:
                day = days[effective_on] = writer.cells.day(effective_on)
            old_text = old._value_ if old is not None else None
            rows.append((record.id, operation_id, old_text, new._value_, stamp, day, *source))
    for start in range(0, len(rows), CHUNK * 4):
        writer.events(rows[start : start + CHUNK * 4])


def write_folded(unit: Unit, folded: Folded, *, by: Requester, operation_id: int, progress: Progress | None) -> None:
    """Write what the folded rows became: new contacts, changed ones, and their events."""
    writer = BulkWriter(unit.conn)
    now, effective = unit.now, unit.next_update
    new = [(k, r) for k, r in folded.records.items() if r.id is None]
    changed = [(k, r) for k, r in folded.records.items() if r.id is not None]
    _write_new(writer, new, by=by, now=now, effective=effective, progress=progress)
    _write_updates(unit.conn, changed, by=by, now=now, effective=effective)
    _write_events(writer, list(folded.records.values()), operation_id=operation_id, by=by, now=now)


def import_rows(
    unit: Unit, rows: list[ParsedRow], *, as_marketing: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Inside a unit of work: create and update contacts from parsed rows, with their events."""
    if as_marketing or any(r.request is not None for r in rows):  # any status in the file changes status
        unit.require(Action.CHANGE_STATUS)
    operation_id = unit.start("import")
    by = unit.by.via("import", str(operation_id))  # what the contacts and events name as their source
    existing = existing_records(unit.conn, rows)
    if progress:
        progress(0.3, f"matched {len(existing):,} existing contacts")
    folded = fold_rows(rows, existing, as_marketing=as_marketing, today=unit.today, effective=unit.next_update)
    write_folded(unit, folded, by=by, operation_id=operation_id, progress=progress)
    require_grant_if_import_feeds(unit, folded.records.keys())  # docs/domain.md §6: feeding a status workflow
    counts = event_counts(list(folded.records.values()))
    marketing = marketing_count(unit.conn)
    acct = unit.account
    tier_after = raise_tier_to_fit(unit.conn, acct, marketing=marketing, today=unit.today, now=unit.now, actor=by.actor)
    result = ImportResult(
        created=folded.created,
        updated=folded.updated,
        import_id=operation_id,
        tier_limit_before=acct.billed_tier,
        tier_limit_after=tier_after,
        made_marketing=counts["made_marketing"],
        scheduled=counts["scheduled"],
        undone=counts["undone"],
    )
    unit.finish(operation_id, {k: v for k, v in result.as_json().items() if k != "rejected"})
    return result


def _account_timezone(engine: Engine, actor: str) -> str:
    """Before parsing, in a short read: may ``actor`` import at all (checked again by the unit of work), and the
    account's time zone (dates with an offset are read in it)."""
    with db.read(engine) as conn:
        authorize(conn, actor, Action.EDIT_CONTACTS)
        return load_account(conn).timezone


def import_csv(
    engine: Engine,
    source: str | Path | bytes | IO[bytes],
    *,
    today: date,
    actor: str,
    as_marketing: bool = False,
    file_name: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a HubSpot-format CSV: new emails are created, existing ones updated, bad rows reported."""
    text = read_text(source)
    name = file_name or (str(source) if isinstance(source, str | Path) else None)
    by = Requester(actor, "import", name)
    with paused_gc():
        timezone = _account_timezone(engine, actor)
        rows, rejected = parse_csv(text, timezone=timezone)  # before the write lock: writers are not kept waiting
        if progress:
            progress(0.2, f"read {len(rows) + len(rejected):,} rows")
        with changing(engine, by=by, today=today, needs=Action.EDIT_CONTACTS) as unit:
            if unit.account.timezone != timezone:  # changed in between: read the file's dates again
                rows, rejected = parse_csv(text, timezone=unit.account.timezone)
            result = import_rows(unit, rows, as_marketing=as_marketing, progress=progress)
    result.rejected = rejected
    if progress:
        progress(1.0, "done")
    return result
