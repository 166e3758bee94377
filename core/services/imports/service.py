"""CSV import (DOMAIN.md §9): rows apply in file order, statuses follow §2 with ``import`` as the source.

Parsing and folding happen in memory per row of the file (they must: each row is validated); the
database work is a handful of batched statements inside one transaction: it all lands, or none of it.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import ARRAY, Connection, Engine, String, any_, bindparam, select, text, update

from core.errors import DomainError
from core.rules import contact_fields
from core.rules import csvformat as fmt
from core.rules.csvformat import CellError, StatusRequest
from core.rules.requester import Requester
from core.rules.status import MarketingStatus, State, transition
from core.services.unit import Unit, changing
from core.services.workflows.feeds import require_grant_if_import_feeds
from core.store.access import Action
from core.store.account import marketing_count, raise_tier_to_fit
from core.store.contact_writes import reserve_contact_ids
from core.store.events import finish_operation
from core.store.schema import contacts

CHUNK = 5_000
Progress = Callable[[float, str], None]


@dataclass(slots=True)
class ParsedRow:
    line: int
    email: str
    key: str  # the email in lower case: what rows and contacts are matched by
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


@dataclass(slots=True)
class _Record:
    """One contact's state while the file's rows are folded in order."""

    id: int | None
    fields: dict[str, Any]  # a new contact's: only what its rows filled (defaults are applied on insert)
    state: State | None  # None: not created yet
    events: list[tuple[State | None, State, date]]
    touched_status: bool = False


_gc_lock = threading.Lock()
_gc_pauses = 0  # imports (and previews) running now in this process: Streamlit runs each session in a thread
_gc_was_enabled = True


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a file's rows become objects.

    A 100,000-row file makes several hundred thousand small objects (rows, dicts, tuples), none of them in a
    reference cycle; each generation-0 threshold would otherwise start a collection that re-walks all the
    survivors (measured: folding 100,000 rows 0.35 s with it, 0.08 s without). Reference counting still frees
    everything. The pause is counted across threads: the collector comes back when the last import running
    in this process ends, whatever happens inside it, and only if it was on when the first one began.
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


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


_LIMITS = contact_fields.LIMITS  # the same sizes as a contact typed in the dashboard
_TEXT_FIELDS = (
    (fmt.FIRST_NAME, "first_name", _LIMITS["first_name"]),
    (fmt.LAST_NAME, "last_name", _LIMITS["last_name"]),
)
_DATE_FIELDS = ((fmt.CREATED, "created_at"), (fmt.LAST_ACTIVITY, "last_activity_at"))


class _RowParser:
    """Reads one row's cells by the header's column positions (resolved once per file, not per row)."""

    def __init__(self, columns: dict[str, int], timezone: str) -> None:
        self.tz = timezone
        self.width = max(columns.values()) + 1
        self.email = columns[fmt.EMAIL]
        self.texts = [(columns[name], name, key, limit) for name, key, limit in _TEXT_FIELDS if name in columns]
        self.lifecycle = columns.get(fmt.LIFECYCLE)
        self.dates = [(columns[name], name, key) for name, key in _DATE_FIELDS if name in columns]
        self.bounce, self.unsubscribed = columns.get(fmt.BOUNCE), columns.get(fmt.UNSUBSCRIBED)
        self.status, self.pending = columns.get(fmt.STATUS), columns.get(fmt.PENDING)
        self.requests: dict[tuple[str, str], StatusRequest | None] = {}  # the few status cell pairs a file uses

    def _request(self, cells: list[str]) -> StatusRequest | None:
        status_cell = cells[self.status] if self.status is not None else ""
        pending_cell = cells[self.pending] if self.pending is not None else ""
        try:
            return self.requests[status_cell, pending_cell]
        except KeyError:
            pass
        status = fmt.parse_status(status_cell)
        request = fmt.status_request(status, fmt.parse_bool(pending_cell, fmt.PENDING))
        self.requests[status_cell, pending_cell] = request  # only cells that parsed: errors are raised each time
        return request

    def __call__(self, cells: list[str], line: int, guarded: bool) -> ParsedRow:
        if len(cells) < self.width:
            cells = cells + [""] * (self.width - len(cells))
        if guarded:  # only a cell the export guarded starts with an apostrophe: undo the guard there
            cells = [fmt.unescape_cell(c) if c[:1] == "'" else c for c in cells]
        email = fmt.parse_email(cells[self.email])
        fields: dict[str, Any] = {}
        for index, name, key, limit in self.texts:
            if value := cells[index].strip():
                if len(value) > limit:
                    raise CellError(f"{name!r} is longer than {limit} characters")
                fields[key] = value
        if self.lifecycle is not None and (stage := cells[self.lifecycle].strip()):
            if len(stage) > _LIMITS["lifecycle_stage"]:
                raise CellError(f"{fmt.LIFECYCLE!r} is longer than {_LIMITS['lifecycle_stage']} characters")
            fields["lifecycle_stage"] = stage.lower()
        for index, name, key in self.dates:
            if cells[index] and (stamp := fmt.parse_datetime(cells[index], name, self.tz)) is not None:
                fields[key] = stamp
        if self.bounce is not None and cells[self.bounce].strip():
            fields["hard_bounced"] = True
        if self.unsubscribed is not None:
            unsubscribed = fmt.parse_bool(cells[self.unsubscribed], fmt.UNSUBSCRIBED)
            if unsubscribed is not None:
                fields["unsubscribed_all"] = unsubscribed
        return ParsedRow(line, email, email.lower(), fields, self._request(cells))


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
    parse_row = _RowParser(columns, timezone)
    rows: list[ParsedRow] = []
    rejected: list[dict[str, Any]] = []
    while True:
        line = reader.line_num + 1  # where this record starts (a quoted cell may span lines)
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            rejected.append({"line": line, "reason": f"malformed CSV: {exc}"})
            continue
        joined = "".join(cells)  # one string test instead of one per cell (big files)
        if not joined.strip():
            continue
        try:
            if "\x00" in joined:  # PostgreSQL refuses NUL in text: reject the row, not the file
                raise CellError("a cell contains a NUL character")
            rows.append(parse_row(cells, line, "'" in joined))
        except CellError as exc:
            rejected.append({"line": line, "reason": str(exc)})
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
    """The contacts the file names that exist already, found through the unique email index.

    The emails travel as one parameter (a JSON array on SQLite, an array on PostgreSQL): no temporary
    table to fill, and the read works in a read-only unit of work (the import preview).
    """
    cols = [
        contacts.c.id,
        contacts.c.email_lower,
        contacts.c.marketing_status,
        contacts.c.pending_non_marketing,
        *(contacts.c[c] for c in _FIELD_COLUMNS),
    ]
    if conn.dialect.name == "sqlite":
        named = text("contacts.email_lower IN (SELECT value FROM json_each(:emails))")
        query = select(*cols).where(named.bindparams(emails=json.dumps(emails, ensure_ascii=False)))
    else:
        query = select(*cols).where(contacts.c.email_lower == any_(bindparam("emails", emails, ARRAY(String))))
    found: dict[str, _Record] = {}
    for row in conn.execute(query).mappings():
        fields = {c: row[c] for c in _FIELD_COLUMNS}
        state = State.of(row["marketing_status"], row["pending_non_marketing"])
        found[row["email_lower"]] = _Record(row["id"], fields, state, [])
    return found


def _request_status(record: _Record, request: StatusRequest, today: date, effective: date) -> None:
    """Fold one row's status request into the record, following DOMAIN.md §2."""
    steps = {
        StatusRequest.MARKETING: [MarketingStatus.MARKETING],
        StatusRequest.NON_MARKETING: [MarketingStatus.NON_MARKETING],
        StatusRequest.LEAVE_AT_UPDATE: [MarketingStatus.NON_MARKETING],
        StatusRequest.UNTIL_UPDATE: [MarketingStatus.MARKETING, MarketingStatus.NON_MARKETING],
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
    """Apply rows in file order: a later row updates the contact an earlier row created.

    Consumes ``rows``: a new contact's fields are its first row's own dict (no copy per row), so parse the
    file again before folding it a second time."""
    records = dict(existing)
    created = updated = 0
    outcomes = {request: _new_outcome(request, as_marketing, today, effective) for request in (None, *StatusRequest)}
    for row in rows:
        key = row.key
        record = records.get(key)
        if record is None:
            state, events = outcomes[row.request]
            fields = row.fields  # the row is folded once: its cells become the new contact's
            fields["email"] = row.email
            records[key] = _Record(None, fields, state, list(events), True)
            created += 1
        else:
            updated += 1
            if row.request is not None:
                _request_status(record, row.request, today, effective)
            record.fields.update(row.fields)
    return records, created, updated


def _new_outcome(
    request: StatusRequest | None, as_marketing: bool, today: date, effective: date
) -> tuple[State, tuple[tuple[State | None, State, date], ...]]:
    """A contact created by an import row: its status and events (DOMAIN.md §2, §9; ``import`` as the source)."""
    start = request in (StatusRequest.MARKETING, StatusRequest.UNTIL_UPDATE) or (
        request in (None, StatusRequest.LEAVE_AT_UPDATE) and as_marketing  # the import's default
    )
    if not start:
        return State.NON_MARKETING, ()
    made = (None, State.MARKETING, today)
    if request == StatusRequest.UNTIL_UPDATE or request == StatusRequest.LEAVE_AT_UPDATE:
        return State.PENDING, (made, (State.MARKETING, State.PENDING, effective))
    return State.MARKETING, (made,)


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


_STATUS_COLUMNS = (
    "marketing_status",
    "pending_non_marketing",
    "effective_on",
    "status_source_type",
    "status_source_id",
    "status_changed_at",
)


def _driver_cell(conn: Connection) -> Callable[[Any], Any]:
    """Values as SQLAlchemy would store them: on SQLite, dates and timestamps are ISO text."""
    if conn.dialect.name != "sqlite":
        return lambda value: value

    def cell(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.isoformat(" ", "microseconds")
        return value.isoformat() if isinstance(value, date) else value

    return cell


_NEW_COLUMNS = ("id", *_FIELD_COLUMNS, "email_lower", *_STATUS_COLUMNS, "source_type", "source_id")


def _write_new(
    conn: Connection,
    new: list[tuple[str, _Record]],
    *,
    import_id: str,
    now: datetime,
    effective: date,
    progress: Progress | None,
) -> None:
    """Insert the new contacts (``_contact_values`` for a new record, plus the defaults of a new contact)."""
    # Driver-level executemany of plain tuples: SQLAlchemy's per-row parameter processing would double the
    # cost of a big import. Values are stored as SQLAlchemy stores them (SQLite: ISO text for dates).
    marks = ", ".join(["?" if conn.dialect.paramstyle == "qmark" else "%s"] * len(_NEW_COLUMNS))
    sql = f"INSERT INTO contacts ({', '.join(_NEW_COLUMNS)}) VALUES ({marks})"
    cell = _driver_cell(conn)
    stamp, pending_day, created_default = cell(now), cell(effective), cell(now)
    non_marketing, pending_state = State.NON_MARKETING, State.PENDING
    iso = conn.dialect.name == "sqlite"  # the file's timestamps as SQLAlchemy stores them there (cell(), inlined)
    first = reserve_contact_ids(conn, len(new)) if new else 0  # ids up front: events need no read-back
    for offset, (_, record) in enumerate(new):
        record.id = first + offset
    for start in range(0, len(new), CHUNK):
        rows = []
        for key, record in new[start : start + CHUNK]:
            f, state = record.fields, record.state
            pending, made = state is pending_state, bool(record.events)
            created_at, last_activity = f.get("created_at"), f.get("last_activity_at")
            rows.append(
                (
                    record.id,
                    f["email"],
                    f.get("first_name"),
                    f.get("last_name"),
                    f.get("lifecycle_stage"),
                    created_default
                    if created_at is None
                    else (created_at.isoformat(" ", "microseconds") if iso else created_at),
                    None
                    if last_activity is None
                    else (last_activity.isoformat(" ", "microseconds") if iso else last_activity),
                    f.get("hard_bounced", False),
                    f.get("unsubscribed_all", False),
                    key,
                    "non_marketing" if state is non_marketing else "marketing",
                    pending,
                    pending_day if pending else None,
                    "import" if made else None,
                    import_id if made else None,
                    stamp if made else None,
                    "import",
                    import_id,
                )
            )
        conn.exec_driver_sql(sql, rows)
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
    cell = _driver_cell(conn)
    stamp = cell(now)
    days: dict[date, Any] = {}  # an import's events fall on two days at most: today and the next update date
    rows = []
    for record in records:
        for old, new, effective_on in record.events:
            if (day := days.get(effective_on)) is None:
                day = days[effective_on] = cell(effective_on)
            old_text = old._value_ if old is not None else None
            rows.append((record.id, operation_id, old_text, new._value_, stamp, day, actor, "import", import_id))
    columns = (
        "contact_id, operation_id, old_state, new_state, requested_at, effective_on, actor, source_type, source_id"
    )
    marks = ", ".join(["?" if conn.dialect.paramstyle == "qmark" else "%s"] * 9)
    sql = f"INSERT INTO status_events ({columns}) VALUES ({marks})"
    for start in range(0, len(rows), CHUNK * 4):
        conn.exec_driver_sql(sql, rows[start : start + CHUNK * 4])
    return event_counts(records)


def event_counts(records: list[_Record]) -> dict[str, int]:
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


def import_rows(
    unit: Unit,
    rows: list[ParsedRow],
    *,
    as_marketing: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Inside a unit of work: create and update contacts from parsed rows, with their events."""
    if as_marketing or any(r.request is not None for r in rows):  # any status in the file changes status
        unit.require(Action.CHANGE_STATUS)
    conn, acct, today, now, actor = unit.conn, unit.account, unit.today, unit.now, unit.by.actor
    effective = unit.next_update
    operation_id = unit.start("import")
    import_id = str(operation_id)
    existing = _existing(conn, list({r.key for r in rows}))
    if progress:
        progress(0.3, f"matched {len(existing):,} existing contacts")
    records, created, updated = fold_rows(
        rows, existing, as_marketing=as_marketing, today=today, effective=effective, now=now
    )
    new = [(k, r) for k, r in records.items() if r.id is None]
    changed = [(k, r) for k, r in records.items() if r.id is not None]
    _write_new(conn, new, import_id=import_id, now=now, effective=effective, progress=progress)
    _write_updates(conn, changed, import_id=import_id, now=now, effective=effective)
    require_grant_if_import_feeds(unit, records.keys())  # docs/domain.md §6: feeding an enabled status workflow
    counts = _write_events(
        conn, list(records.values()), operation_id=operation_id, import_id=import_id, now=now, actor=actor
    )
    marketing = marketing_count(conn)
    tier_after = raise_tier_to_fit(conn, acct, marketing=marketing, today=today, now=now, actor=actor)
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
    name = file_name or (str(source) if isinstance(source, str | Path) else None)
    by = Requester(actor, "import", name)
    with paused_gc(), changing(engine, by=by, today=today, needs=Action.EDIT_CONTACTS) as unit:
        rows, rejected = parse_csv(text, timezone=unit.account.timezone)
        if progress:
            progress(0.2, f"read {len(rows) + len(rejected):,} rows")
        result = import_rows(unit, rows, as_marketing=as_marketing, progress=progress)
    result.rejected = rejected
    if progress:
        progress(1.0, "done")
    return result
