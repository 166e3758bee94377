"""Reading an import file (docs/domain.md §9): its text, its header, and each row as a contact's fields and status
request, or a rejection with its line number. PURE: no database, no clock.

Cells are read by ``core.rules.csvformat``; names and lifecycle stages are cleaned by
``core.rules.contact_fields``, the same rule as a contact typed in the dashboard or created by a tool.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from core.errors import DomainError, Sentence
from core.i18n import N_
from core.rules import contact_fields, email_address
from core.rules import csvformat as fmt
from core.rules.contact_fields import FieldError
from core.rules.csvformat import CellError, StatusRequest
from core.rules.record_id import RecordIdError
from core.rules.record_id import parse as parse_record_id
from core.services.imports.incoming import IncomingRow

Rejection = dict[str, Any]  # {"line": ..., "reason": ...}: as the command line's JSON lists it (reason: a Sentence)


ParsedRow = IncomingRow  # a file's row is an incoming row like a sync's (``incoming``)


def decode(data: bytes) -> str:
    """The file's text: UTF-8, a byte-order mark at the start ignored."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError(
            N_("the file is not UTF-8 text (byte {byte}); save it as CSV UTF-8"), byte=str(exc.start)
        ) from None


def header_map(header: list[str]) -> dict[str, int]:
    """Each known column's position (headers compared case-insensitively; the first of duplicates wins)."""
    wanted = {h.lower(): h for h in fmt.KNOWN_HEADERS}
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = wanted.get(name.strip().lower())
        if key and key not in found:
            found[key] = index
    if fmt.EMAIL not in found:
        raise DomainError(N_("the file has no 'Email' column (HubSpot export headers expected)"))
    if fmt.RECORD_ID in found and fmt.legacy_export(header):
        del found[fmt.RECORD_ID]  # Marketable's own ids, written plain before Record IDs: matched by email
    return found


_TEXT_FIELDS = ((fmt.FIRST_NAME, "first_name"), (fmt.LAST_NAME, "last_name"), (fmt.LIFECYCLE, "lifecycle_stage"))
_DATE_FIELDS = ((fmt.CREATED, "created_at"), (fmt.LAST_ACTIVITY, "last_activity_at"))


class RowParser:
    """Reads one row's cells by the header's column positions (resolved once per file, not per row)."""

    def __init__(self, columns: dict[str, int], timezone: str) -> None:
        self.tz = timezone
        self.width = max(columns.values()) + 1
        self.email = columns[fmt.EMAIL]
        self.texts = [
            (columns[name], key, contact_fields.cleaner(key, label=repr(name)))
            for name, key in _TEXT_FIELDS
            if name in columns
        ]
        self.dates = [(columns[name], name, key) for name, key in _DATE_FIELDS if name in columns]
        self.bounce, self.unsubscribed = columns.get(fmt.BOUNCE), columns.get(fmt.UNSUBSCRIBED)
        self.status, self.pending = columns.get(fmt.STATUS), columns.get(fmt.PENDING)
        self.record_id, self.modified = columns.get(fmt.RECORD_ID), columns.get(fmt.LAST_MODIFIED)
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
        """One row; raises CellError or FieldError for a cell that cannot be stored."""
        if len(cells) < self.width:
            cells = cells + [""] * (self.width - len(cells))
        if guarded:  # only a cell the export guarded starts with an apostrophe: undo the guard there
            cells = [fmt.unescape_cell(c) if c[:1] == "'" else c for c in cells]
        email = fmt.parse_email(cells[self.email])
        fields: dict[str, Any] = {}
        for index, key, clean in self.texts:
            if (cell := cells[index]) and (value := clean(cell)) is not None:
                fields[key] = value
        for index, name, key in self.dates:
            if cells[index] and (stamp := fmt.parse_datetime(cells[index], name, self.tz)) is not None:
                fields[key] = stamp
        if self.bounce is not None and cells[self.bounce].strip():
            fields["hard_bounced"] = True
        if self.unsubscribed is not None:
            unsubscribed = fmt.parse_bool(cells[self.unsubscribed], fmt.UNSUBSCRIBED)
            if unsubscribed is not None:
                fields["unsubscribed_all"] = unsubscribed
        row = ParsedRow(line, email, email_address.match_key(email), fields, self._request(cells))
        if self.record_id is not None and cells[self.record_id]:
            try:
                row.record_id = parse_record_id(cells[self.record_id])
            except RecordIdError as exc:
                raise CellError(fmt.reason_of(exc)) from None
        if self.modified is not None and cells[self.modified]:
            row.modified_at = fmt.parse_datetime(cells[self.modified], fmt.LAST_MODIFIED, self.tz)
        return row


def quote_left_open(tail: str) -> bool:
    """Whether the file's last record (``tail``) runs to the end of the file inside a quoted cell: a quote opened
    there was never closed, and the lenient reader took the rest of the file for one cell."""
    try:
        for _ in csv.reader(io.StringIO(tail, newline=""), strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def parse_csv(text: str, *, timezone: str = "UTC") -> tuple[list[ParsedRow], list[Rejection]]:
    """Read every row; bad ones are returned with their line number and reason. Dates with an offset are
    converted to ``timezone`` (the account's)."""
    buffer = io.StringIO(text, newline="")
    reader = csv.reader(buffer)
    try:
        header = next(reader)
    except StopIteration:
        raise DomainError(N_("the file is empty")) from None
    except csv.Error as exc:
        raise DomainError(N_("line 1: {error}"), error=str(exc)) from None
    if reader.line_num > 1 and quote_left_open(text):  # the header swallowed the whole file
        raise DomainError(N_("line 1: a quote opened in the header is never closed, so the file has no rows"))
    parse_row = RowParser(header_map(header), timezone)
    rows: list[ParsedRow] = []
    rejected: list[Rejection] = []
    last = (0, 0)  # the line and offset where the last record starts
    while True:
        line, offset = reader.line_num + 1, buffer.tell()  # where this record starts (a quoted cell may span lines)
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            rejected.append({"line": line, "reason": Sentence(N_("malformed CSV: {error}"), error=str(exc))})
            continue
        last = (line, offset)
        joined = "".join(cells)  # one string test instead of one per cell (big files)
        if not joined.strip():
            continue
        try:
            if "\x00" in joined:  # PostgreSQL refuses NUL in text: reject the row, not the file
                raise CellError(Sentence(N_("a cell contains a NUL character")))
            rows.append(parse_row(cells, line, "'" in joined))
        except (CellError, FieldError) as exc:
            rejected.append({"line": line, "reason": fmt.reason_of(exc)})
    if last[0] and quote_left_open(text[last[1] :]):
        _reject_open_quote(rows, rejected, last[0], reader.line_num)
    return rows, rejected


def _reject_open_quote(rows: list[ParsedRow], rejected: list[Rejection], line: int, last: int) -> None:
    """Reject the record a quote left open swallowed (docs/domain.md §9): it is not imported, and the lines it
    took are named, so that no row disappears silently."""
    if rows and rows[-1].line == line:
        rows.pop()
    elif rejected and rejected[-1]["line"] == line:
        rejected.pop()
    where = {"line": str(line), "last": str(last)}  # line numbers, not amounts: unformatted
    reason = (
        N_(
            "a quote opened on line {line} is never closed: lines {line} to {last} were read as one row and not "
            "imported; close the quote and import them again"
        )
        if last > line
        else N_(
            "a quote opened on line {line} is never closed: line {line} was read as one row and not imported; "
            "close the quote and import them again"
        )
    )
    rejected.append({"line": line, "reason": Sentence(reason, **where)})
