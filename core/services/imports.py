"""CSV import (DOMAIN.md §9): rows apply in file order, statuses follow §2 with ``import`` as the source.

Parsing and folding happen in memory per row of the file (they must: each row is validated); the
database work is a handful of batched statements inside one transaction: it all lands, or none of it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, bindparam, insert, select, update

from core.clock import moment
from core.errors import DomainError
from core.rules import csvformat as fmt
from core.rules import tiers
from core.rules.calendar import next_update_date
from core.rules.csvformat import CellError, StatusRequest
from core.rules.status import State, Target, transition
from core.services.updates import catch_up
from core.store import engine as db
from core.store.access import Action, authorize
from core.store.account import load_account, marketing_count, set_billed_tier
from core.store.events import finish_operation, start_operation
from core.store.selection import _temp_table as fill_temp_table
from core.store.selection import selected_emails
from core.store.tables import contacts, status_events

CHUNK = 5_000
Progress = Callable[[float, str], None]


@dataclass
class ParsedRow:
    line: int
    email: str
    fields: dict[str, Any]  # only the cells the row fills
    request: StatusRequest | None


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    import_id: int | None = None
    made_marketing: int = 0
    scheduled: int = 0
    undone: int = 0
    tier_limit_before: int = 0
    tier_limit_after: int = 0

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class _Record:
    """One contact's state while the file's rows are folded in order."""

    id: int | None
    fields: dict[str, Any]
    state: State | None  # None: not created yet
    events: list[tuple[State | None, State, date]] = field(default_factory=list)
    touched_status: bool = False


def _read_text(source: str | Path | bytes | IO[bytes]) -> str:
    if isinstance(source, bytes):
        raw = source
    elif isinstance(source, str | Path):
        try:
            raw = Path(source).read_bytes()
        except OSError as exc:
            raise DomainError(f"cannot read {source}: {exc.strerror}") from None
    else:
        raw = source.read()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError(f"the file is not UTF-8 text (byte {exc.start}); save it as CSV UTF-8") from None


def _header_map(header: list[str]) -> dict[str, int]:
    wanted = {h.lower(): h for h in fmt.KNOWN_HEADERS}
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = wanted.get(name.strip().lower())
        if key and key not in found:
            found[key] = index
    if fmt.EMAIL not in found:
        raise DomainError("the file has no 'Email' column (HubSpot export headers expected)")
    return found


def _parse_row(cells: list[str], columns: dict[str, int], line: int, tz: str) -> ParsedRow:
    def cell(name: str) -> str:
        index = columns.get(name)
        return fmt.unescape_cell(cells[index]) if index is not None and index < len(cells) else ""

    email = fmt.parse_email(cell(fmt.EMAIL))
    fields: dict[str, Any] = {}
    for name, key, limit in (
        (fmt.FIRST_NAME, "first_name", 100),
        (fmt.LAST_NAME, "last_name", 100),
        (fmt.LIFECYCLE, "lifecycle_stage", 40),
    ):
        value = cell(name).strip()
        if len(value) > limit:
            raise CellError(f"{name!r} is longer than {limit} characters")
        if value:
            fields[key] = value.lower() if key == "lifecycle_stage" else value
    for name, key in ((fmt.CREATED, "created_at"), (fmt.LAST_ACTIVITY, "last_activity_at")):
        if (stamp := fmt.parse_datetime(cell(name), name, tz)) is not None:
            fields[key] = stamp
    if cell(fmt.BOUNCE).strip():
        fields["hard_bounced"] = True
    if (unsubscribed := fmt.parse_bool(cell(fmt.UNSUBSCRIBED), fmt.UNSUBSCRIBED)) is not None:
        fields["unsubscribed_all"] = unsubscribed
    status = fmt.parse_status(cell(fmt.STATUS))
    pending = fmt.parse_bool(cell(fmt.PENDING), fmt.PENDING)
    return ParsedRow(line, email, fields, fmt.status_request(status, pending))


def parse_csv(text: str, *, timezone: str = "UTC") -> tuple[list[ParsedRow], list[dict[str, Any]]]:
    """Read every row; bad ones are returned with their line number and reason."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DomainError("the file is empty") from None
    except csv.Error as exc:
        raise DomainError(f"line 1: {exc}") from None
    columns = _header_map(header)
    rows: list[ParsedRow] = []
    rejected: list[dict[str, Any]] = []
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            rejected.append({"line": reader.line_num, "reason": f"malformed CSV: {exc}"})
            continue
        if not any(c.strip() for c in cells):
            continue
        try:
            rows.append(_parse_row(cells, columns, reader.line_num, timezone))
        except CellError as exc:
            rejected.append({"line": reader.line_num, "reason": str(exc)})
    return rows, rejected


_FIELD_COLUMNS = (
    "email",
    "first_name",
    "last_name",
    "lifecycle_stage",
    "created_at",
    "last_activity_at",
    "hard_bounced",
    "unsubscribed_all",
)


def _existing(conn: Connection, emails: list[str]) -> dict[str, _Record]:
    fill_temp_table(conn, selected_emails, [{"email_lower": e} for e in emails])
    cols = [
        contacts.c.id,
        contacts.c.email_lower,
        contacts.c.marketing_status,
        contacts.c.pending_non_marketing,
        *(contacts.c[c] for c in _FIELD_COLUMNS),
    ]
    query = select(*cols).join(selected_emails, selected_emails.c.email_lower == contacts.c.email_lower)
    found: dict[str, _Record] = {}
    for row in conn.execute(query).mappings():
        fields = {c: row[c] for c in _FIELD_COLUMNS}
        found[row["email_lower"]] = _Record(
            row["id"], fields, State.of(row["marketing_status"], row["pending_non_marketing"])
        )
    return found


def _request_status(record: _Record, request: StatusRequest, today: date, effective: date) -> None:
    """Fold one row's status request into the record, following DOMAIN.md §2."""
    steps = {
        StatusRequest.MARKETING: [Target.MARKETING],
        StatusRequest.NON_MARKETING: [Target.NON_MARKETING],
        StatusRequest.UNTIL_UPDATE: [Target.MARKETING, Target.NON_MARKETING],
    }[request]
    if request == StatusRequest.UNTIL_UPDATE and record.state == State.PENDING:
        return  # already marketing until the next update: unchanged
    for target in steps:
        old = record.state
        assert old is not None
        step = transition(old, target)
        if step.new != old:
            record.events.append((old, step.new, effective if step.new == State.PENDING else today))
            record.state = step.new
            record.touched_status = True


def fold_rows(
    rows: list[ParsedRow],
    existing: dict[str, _Record],
    *,
    as_marketing: bool,
    today: date,
    effective: date,
    now: datetime,
) -> tuple[dict[str, _Record], int, int]:
    """Apply rows in file order: a later row updates the contact an earlier row created."""
    records = dict(existing)
    created = updated = 0
    for row in rows:
        key = row.email.lower()
        record = records.get(key)
        if record is None:
            record = _Record(
                None, {"email": row.email, "created_at": now, "hard_bounced": False, "unsubscribed_all": False}, None
            )
            records[key] = record
            created += 1
            start = row.request in (StatusRequest.MARKETING, StatusRequest.UNTIL_UPDATE) or (
                row.request is None and as_marketing
            )
            record.state = State.MARKETING if start else State.NON_MARKETING
            record.touched_status = True
            if start:
                record.events.append((None, State.MARKETING, today))
            if row.request == StatusRequest.UNTIL_UPDATE:
                record.state = State.PENDING
                record.events.append((State.MARKETING, State.PENDING, effective))
        else:
            updated += 1
            if row.request is not None:
                _request_status(record, row.request, today, effective)
        record.fields.update(row.fields)
    return records, created, updated


def _contact_values(record: _Record, key: str, *, import_id: str, now: datetime, effective: date) -> dict[str, Any]:
    values = {c: record.fields.get(c) for c in _FIELD_COLUMNS}
    values["email_lower"] = key
    if record.touched_status:
        state = record.state
        assert state is not None
        values.update(
            marketing_status="non_marketing" if state == State.NON_MARKETING else "marketing",
            pending_non_marketing=state == State.PENDING,
            effective_on=effective if state == State.PENDING else None,
        )
        if record.events:
            values.update(status_source_type="import", status_source_id=import_id, status_changed_at=now)
    return values


def _write_new(
    conn: Connection,
    new: list[tuple[str, _Record]],
    *,
    import_id: str,
    now: datetime,
    effective: date,
    progress: Progress | None,
) -> None:
    for start in range(0, len(new), CHUNK):
        chunk = new[start : start + CHUNK]
        rows = []
        for key, record in chunk:
            values = _contact_values(record, key, import_id=import_id, now=now, effective=effective)
            values.setdefault("status_source_type", None)
            values.setdefault("status_source_id", None)
            values.setdefault("status_changed_at", None)
            rows.append({**values, "source_type": "import", "source_id": import_id})
        ids = conn.execute(insert(contacts).returning(contacts.c.id, sort_by_parameter_order=True), rows).scalars()
        for (_, record), new_id in zip(chunk, ids, strict=True):
            record.id = new_id
        if progress:
            progress(0.3 + 0.4 * min(1.0, (start + CHUNK) / len(new)), f"created {min(start + CHUNK, len(new)):,}")


def _write_updates(
    conn: Connection, changed: list[tuple[str, _Record]], *, import_id: str, now: datetime, effective: date
) -> None:
    groups: dict[bool, list[dict[str, Any]]] = {True: [], False: []}
    for key, record in changed:
        values = _contact_values(record, key, import_id=import_id, now=now, effective=effective)
        values["_id"] = record.id
        groups[record.touched_status and bool(record.events)].append(values)
    for rows in groups.values():
        if not rows:
            continue
        names = [k for k in rows[0] if k != "_id"]
        statement = update(contacts).where(contacts.c.id == bindparam("_id"))
        statement = statement.values({n: bindparam(n) for n in names})
        for start in range(0, len(rows), CHUNK):
            conn.execute(statement, [{k: r.get(k) for k in [*names, "_id"]} for r in rows[start : start + CHUNK]])


def _write_events(
    conn: Connection, records: list[_Record], *, operation_id: int, import_id: str, now: datetime, actor: str
) -> dict[str, int]:
    counts = {"made_marketing": 0, "scheduled": 0, "undone": 0}
    rows = []
    for record in records:
        for old, new, effective_on in record.events:
            if new == State.PENDING:
                counts["scheduled"] += 1
            elif old == State.PENDING:
                counts["undone"] += 1
            else:
                counts["made_marketing"] += 1
            rows.append(
                {
                    "contact_id": record.id,
                    "operation_id": operation_id,
                    "old_state": old.value if old else None,
                    "new_state": new.value,
                    "requested_at": now,
                    "effective_on": effective_on,
                    "source_type": "import",
                    "source_id": import_id,
                    "actor": actor,
                }
            )
    for start in range(0, len(rows), CHUNK * 4):
        conn.execute(insert(status_events), rows[start : start + CHUNK * 4])
    return counts


def import_rows(
    conn: Connection,
    rows: list[ParsedRow],
    *,
    today: date,
    now: datetime,
    actor: str,
    as_marketing: bool = False,
    file_name: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Inside a write unit of work: create and update contacts from parsed rows, with their events."""
    authorize(conn, actor, Action.EDIT_CONTACTS)
    if as_marketing or any(r.request in (StatusRequest.MARKETING, StatusRequest.UNTIL_UPDATE) for r in rows):
        authorize(conn, actor, Action.CHANGE_STATUS)
    catch_up(conn, today=today, now=now)
    acct = load_account(conn)
    effective = next_update_date(acct.commitment, acct.start_date, today)
    operation_id = start_operation(conn, kind="import", now=now, actor=actor, source_type="import", source_id=file_name)
    import_id = str(operation_id)
    existing = _existing(conn, sorted({r.email.lower() for r in rows}))
    if progress:
        progress(0.3, f"matched {len(existing):,} existing contacts")
    records, created, updated = fold_rows(
        rows, existing, as_marketing=as_marketing, today=today, effective=effective, now=now
    )
    new = [(k, r) for k, r in records.items() if r.id is None]
    changed = [(k, r) for k, r in records.items() if r.id is not None]
    _write_new(conn, new, import_id=import_id, now=now, effective=effective, progress=progress)
    _write_updates(conn, changed, import_id=import_id, now=now, effective=effective)
    counts = _write_events(
        conn, list(records.values()), operation_id=operation_id, import_id=import_id, now=now, actor=actor
    )
    marketing = marketing_count(conn)
    tier_after = tiers.tier_after_change(acct.pricing, acct.billed_tier, marketing)
    set_billed_tier(
        conn,
        old=acct.billed_tier,
        new=tier_after,
        reason="upgrade",
        effective_on=today,
        now=now,
        marketing=marketing,
        actor=actor,
    )
    result = ImportResult(
        created=created,
        updated=updated,
        import_id=operation_id,
        tier_limit_before=acct.billed_tier,
        tier_limit_after=tier_after,
        made_marketing=counts["made_marketing"],
        scheduled=counts["scheduled"],
        undone=counts["undone"],
    )
    finish_operation(conn, operation_id, {k: v for k, v in result.as_json().items() if k != "rejected"})
    return result


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
    text = _read_text(source)
    with db.write(engine) as conn:
        tz = load_account(conn).timezone
        rows, rejected = parse_csv(text, timezone=tz)
        if progress:
            progress(0.2, f"read {len(rows) + len(rejected):,} rows")
        name = file_name or (str(source) if isinstance(source, str | Path) else None)
        result = import_rows(
            conn,
            rows,
            today=today,
            now=moment(today, tz),
            actor=actor,
            as_marketing=as_marketing,
            file_name=name,
            progress=progress,
        )
    result.rejected = rejected
    if progress:
        progress(1.0, "done")
    return result
