"""Reading an import file (docs/domain.md §9): its text, its header, and each row as a contact's fields and status
request, or a rejection with its line number. PURE: no database, no clock.

Cells are read by ``core.rules.csvformat``; names and lifecycle stages are cleaned by
``core.rules.contact_fields``, the same rule as a contact typed in the dashboard or created by a tool.

A big file is read as a stream (``Source``, ``read_rows``): its lines are decoded as the reader asks for them, never
the whole text at once, and an import keeps each row packed in one string (``packed``), about a quarter of the
memory of its objects.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from core.errors import DomainError, Sentence
from core.i18n import N_
from core.rules import contact_fields, email_address
from core.rules import csvformat as fmt
from core.rules.contact_fields import FieldError
from core.rules.csvformat import CellError, StatusRequest
from core.rules.record_id import RecordIdError
from core.rules.record_id import parse as parse_record_id
from core.services.imports import packed
from core.services.imports.incoming import IncomingRow

Rejection = dict[str, Any]  # {"line": ..., "reason": ...}: as the command line's JSON lists it (reason: a Sentence)


ParsedRow = IncomingRow  # a file's row is an incoming row like a sync's (``incoming``)


def decode(data: bytes) -> str:
    """The file's text: UTF-8, a byte-order mark at the start ignored."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_utf8(exc.start) from None


def _not_utf8(byte: int) -> DomainError:
    return DomainError(N_("the file is not UTF-8 text (byte {byte}); save it as CSV UTF-8"), byte=str(byte))


_BLOCK = 1 << 20  # bytes read (and decoded) at a time


class Source:
    """An import's file, read as often as needed without its text ever being whole in memory: the bytes of an
    upload, or a file on disk (read again from its path). Made by ``source_of``, which checks it is UTF-8."""

    def __init__(self, data: bytes | None = None, path: Path | None = None) -> None:
        self.data, self.path = data, path

    def blocks(self) -> Iterator[bytes | memoryview]:
        if self.data is not None:
            view = memoryview(self.data)
            for start in range(0, len(view), _BLOCK):
                yield view[start : start + _BLOCK]
            return
        assert self.path is not None
        with self.path.open("rb") as f:
            while block := f.read(_BLOCK):
                yield block

    def lines(self) -> Iterator[str]:
        """The file's lines, decoded one block at a time (a byte-order mark at the start ignored), split as
        ``csv`` wants them (``newline=""``: line ends kept as they are)."""
        binary: IO[bytes] = io.BytesIO(self.data) if self.data is not None else self.path.open("rb")  # type: ignore[union-attr]
        with io.TextIOWrapper(binary, encoding="utf-8-sig", newline="") as text:
            try:
                yield from text
            except UnicodeDecodeError:  # a file on disk changed since it was checked: name its byte as ``decode``
                self.check_utf8()
                raise

    def check_utf8(self) -> None:
        """Raise as ``decode`` does (the same byte named) if the file is not UTF-8, reading it a block at a time."""
        base, carry, first = 0, b"", True  # base: where ``carry + block`` starts (after a byte-order mark)
        for block in self.blocks():
            data = carry + bytes(block)
            if first and len(data) < 3 and codecs.BOM_UTF8.startswith(data):
                carry = data  # too short to tell whether it starts with a byte-order mark
                continue
            if first:
                first = False
                if data.startswith(codecs.BOM_UTF8):
                    data = data[3:]
            try:
                _, used = codecs.utf_8_decode(data, "strict", False)
            except UnicodeDecodeError as exc:
                raise _not_utf8(base + exc.start) from None
            base, carry = base + used, data[used:]
        if carry:
            try:
                codecs.utf_8_decode(carry[3:] if first and carry.startswith(codecs.BOM_UTF8) else carry, "strict", True)
            except UnicodeDecodeError as exc:
                raise _not_utf8(base + exc.start) from None


def source_of(source: str | Path | bytes | IO[bytes]) -> Source:
    """An import's file given by path, as bytes or as an open binary file (read whole, as an upload is), checked to
    be UTF-8 text (``decode``'s error otherwise)."""
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            with path.open("rb"):
                pass
        except OSError as exc:
            raise DomainError(N_("cannot read {source}: {error}"), source=str(source), error=exc.strerror) from None
        found = Source(path=path)
    else:
        found = Source(data=source if isinstance(source, bytes) else source.read())
    found.check_utf8()
    return found


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


def quote_left_open(tail: str | Iterable[str]) -> bool:
    """Whether the file's last record (``tail``: its text, or its lines) runs to the end of the file inside a quoted
    cell: a quote opened there was never closed, and the lenient reader took the rest of the file for one cell."""
    try:
        for _ in csv.reader(io.StringIO(tail, newline="") if isinstance(tail, str) else tail, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def parse_csv(text: str | Source, *, timezone: str = "UTC") -> tuple[list[ParsedRow], list[Rejection]]:
    """Read every row; bad ones are returned with their line number and reason. Dates with an offset are
    converted to ``timezone`` (the account's)."""
    if isinstance(text, Source):
        lines, whole = text.lines(), text.lines
    else:
        lines, whole = iter(io.StringIO(text, newline="")), lambda: iter(io.StringIO(text, newline=""))
    rows: list[ParsedRow] = []
    rejected: list[Rejection] = []
    for item in read_rows(lines, timezone=timezone, whole=whole):
        if isinstance(item, dict):
            rejected.append(item)
        else:
            rows.append(item)
    return rows, rejected


def pack_csv(source: Source, *, timezone: str = "UTC") -> packed.PackedRows:
    """Read every row as ``parse_csv`` does, each kept packed (``packed``): what an import holds."""
    found = packed.PackedRows()
    rejected, append = found.rejected, found.append
    for item in read_rows(source.lines(), timezone=timezone, whole=source.lines):
        if isinstance(item, dict):
            rejected.append(item)
        else:
            append(item.key, item)
    found.close()
    return found


def read_rows(
    lines: Iterable[str], *, timezone: str, whole: Callable[[], Iterable[str]]
) -> Iterator[ParsedRow | Rejection]:
    """The file's rows in order, as parsed rows or rejections (a dict with its line and reason), read as the lines
    come (``whole``: the file's lines again, read only if its header runs over several lines)."""
    tail: list[str] = []  # the lines from where the last record read started: a quote left open swallowed them

    def kept(lines: Iterable[str]) -> Iterator[str]:
        for line in lines:
            tail.append(line)
            yield line

    reader = csv.reader(kept(lines))
    try:
        header = next(reader)
    except StopIteration:
        raise DomainError(N_("the file is empty")) from None
    except csv.Error as exc:
        raise DomainError(N_("line 1: {error}"), error=str(exc)) from None
    if reader.line_num > 1 and quote_left_open(whole()):  # the header swallowed the whole file
        raise DomainError(N_("line 1: a quote opened in the header is never closed, so the file has no rows"))
    parse_row = RowParser(header_map(header), timezone)
    # The items of the last record read, and the rejections of malformed lines after it: held back until the next
    # record, since a quote left open in that record swallows the rest of the file (``_reject_open_quote``).
    held: list[ParsedRow | Rejection] = []
    last = 0  # the line where the last record starts
    del tail[:]
    while True:
        line, mark = reader.line_num + 1, len(tail)  # where this record starts (a quoted cell may span lines)
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            held.append({"line": line, "reason": Sentence(N_("malformed CSV: {error}"), error=str(exc))})
            continue
        if mark:
            del tail[:mark]
        if held:
            yield from held
            held.clear()
        last = line
        joined = "".join(cells)  # one string test instead of one per cell (big files)
        if not joined.strip():
            continue
        try:
            if "\x00" in joined:  # PostgreSQL refuses NUL in text: reject the row, not the file
                raise CellError(Sentence(N_("a cell contains a NUL character")))
            held.append(parse_row(cells, line, "'" in joined))
        except (CellError, FieldError) as exc:
            held.append({"line": line, "reason": fmt.reason_of(exc)})
    if last and quote_left_open(tail):
        _reject_open_quote(held, last, reader.line_num)
    yield from held


def _reject_open_quote(held: list[ParsedRow | Rejection], line: int, last: int) -> None:
    """Reject the record a quote left open swallowed (docs/domain.md §9): it is not imported, and the lines it
    took are named, so that no row disappears silently. ``held``: the items of the file's last record and the
    rejections after it."""
    if held and (isinstance(held[0], IncomingRow) or len(held) == 1) and _line_of(held[0]) == line:
        del held[0]  # its row; or its rejection, when no malformed line came after it
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
    held.append({"line": line, "reason": Sentence(reason, **where)})


def _line_of(item: ParsedRow | Rejection) -> int:
    return item.line if isinstance(item, IncomingRow) else int(item["line"])
