"""A file's rows as an import holds them (issue 11: a big file within a few times its size in memory): each parsed
row packed in one string, kept compressed with the rows around it, its match key beside it, instead of a row object,
a dict of fields and their values (a tenth of the memory or less). The fold keeps a new contact made by one row as
that row's number (``fold.fold_packed``) and the writer reads the row from there. PURE: values, no database.

A packed row: its status request (one character), whether it has a Record ID (one character), then its line,
email (empty when it is its match key), Record ID, last-modified time and ``FIELD_COLUMNS`` values, separated by
NUL (which no cell holds: a row with one is rejected). A field the row does not fill is empty; one it fills starts
with ``=`` (an empty name is not a missing one). Create and last activity times are kept as SQLite stores them
(``core.store.bulk_contacts.Cells.stamp``), so that the writer hands them over as they are there.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from core.rules.csvformat import StatusRequest
from core.rules.record_id import RecordId
from core.services.imports.incoming import IncomingRow

Rejection = dict[str, Any]  # {"line": ..., "reason": ...}

REQUESTS: tuple[StatusRequest | None, ...] = (None, *StatusRequest)
_INDEX = {request: i for i, request in enumerate(REQUESTS)}
_CODE = {request: str(i) for i, request in enumerate(REQUESTS)}
_REQUEST = {str(i): request for i, request in enumerate(REQUESTS)}
NO_RECORD_ID, RECORD_ID = "-", "r"
HAS_ID = 8  # in a row's code: it has a Record ID
_TEXTS = ("first_name", "last_name", "lifecycle_stage")  # in a packed row's order
_DATES = ("created_at", "last_activity_at")


BLOCK = 2_048  # rows compressed together


class PackedRows:
    """A file's rows, in order: row ``i``'s match key (``keys[i]``), its status request and whether it has a Record
    ID (``code``), and the row packed (``row``), kept in blocks of ``BLOCK`` rows compressed with zlib (a tenth to a
    third of their text); and the file's rejections. ``len()``: how many rows were read (the keys are emptied once
    the rows are folded)."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.codes = bytearray()  # per row: its request's index in REQUESTS, plus HAS_ID if it has a Record ID
        self.hubspot = array("q")  # per row up to the last with a HubSpot Record ID: that id (0: none)
        self.rejected: list[Rejection] = []
        self.count = 0
        self._blocks: list[tuple[bytes, array[int]]] = []  # compressed rows, and where each row ends in them
        self._open: list[str] = []  # the rows of the block being filled
        self._cached: tuple[int, str, array[int]] = (-1, "", array("I"))  # the last block read

    def __len__(self) -> int:
        return self.count

    def append(self, key: str, row: IncomingRow) -> None:
        self.keys.append(key)
        rid = row.record_id
        self.codes.append(_INDEX[row.request] | (0 if rid is None else HAS_ID))
        if rid is not None and rid.hubspot is not None:
            self.hubspot.extend([0] * (self.count - len(self.hubspot)))
            self.hubspot.append(rid.hubspot)
        self._open.append(pack(row))
        self.count += 1
        if len(self._open) == BLOCK:
            self._close_block()

    def close(self) -> None:
        """Once every row is appended."""
        if self._open:
            self._close_block()

    def _close_block(self) -> None:
        ends, end = array("I"), 0
        for row in self._open:
            end += len(row)
            ends.append(end)
        self._blocks.append((zlib.compress("".join(self._open).encode("utf-8"), 1), ends))
        self._open = []

    def row(self, i: int) -> str:
        """Row ``i`` packed."""
        number, text, ends = self._cached
        if number != i // BLOCK:
            number = i // BLOCK
            data, ends = self._blocks[number]
            text = zlib.decompress(data).decode("utf-8")
            self._cached = (number, text, ends)
        j = i % BLOCK
        return text[ends[j - 1] if j else 0 : ends[j]]

    def hubspot_id(self, i: int) -> int | None:
        """Row ``i``'s HubSpot Record ID, if it has one."""
        return (self.hubspot[i] or None) if i < len(self.hubspot) else None

    def request(self, i: int) -> StatusRequest | None:
        return REQUESTS[self.codes[i] & ~HAS_ID]

    def asks_status(self) -> bool:
        """Whether any row asks for a status (it changes statuses)."""
        return any(code & ~HAS_ID for code in self.codes)

    def names(self) -> Iterator[tuple[str, RecordId | None]]:
        """Each row's match key and Record ID (or None), in order."""
        for i, (key, code) in enumerate(zip(self.keys, self.codes, strict=True)):
            yield key, (record_id(self.row(i)) if code & HAS_ID else None)


def pack(row: IncomingRow) -> str:
    """One parsed row in one string."""
    f, rid = row.fields, row.record_id
    get = f.get
    first, last, stage = get("first_name"), get("last_name"), get("lifecycle_stage")
    created, activity, unsubscribed = get("created_at"), get("last_activity_at"), get("unsubscribed_all")
    return (
        f"{_CODE[row.request]}{NO_RECORD_ID if rid is None else RECORD_ID}{row.line}"
        f"\0{'' if row.email == row.key else row.email}"
        f"\0{'' if rid is None else (f'h{rid.hubspot}' if rid.hubspot is not None else f'o{rid.own}')}"
        f"\0{'' if row.modified_at is None else row.modified_at.isoformat()}"
        f"\0{'' if first is None else '=' + first}"
        f"\0{'' if last is None else '=' + last}"
        f"\0{'' if stage is None else '=' + stage}"
        f"\0{'' if created is None else created.isoformat(' ', 'microseconds')}"
        f"\0{'' if activity is None else activity.isoformat(' ', 'microseconds')}"
        f"\0{'b' if get('hard_bounced') else ''}{'' if unsubscribed is None else 'u' if unsubscribed else 'n'}"
    )


def code_of(request: StatusRequest | None, *, has_id: bool = False) -> int:
    """A row's code in ``PackedRows.codes``."""
    return _INDEX[request] | (HAS_ID if has_id else 0)


def cells(key: str, packed: str) -> tuple[Any, ...]:
    """What a new contact's row takes from a packed row: its email, first and last names, lifecycle stage, created and
    last activity times (as text, the way SQLite stores them: ``core.store.bulk_contacts.Cells.stamp_text``; None: not
    given), hard bounced and unsubscribed (False: not given)."""
    _, email, _, _, first, last, stage, created, activity, flags = packed[2:].split("\0")
    return (
        email or key,
        first[1:] if first else None,
        last[1:] if last else None,
        stage[1:] if stage else None,
        created or None,
        activity or None,
        "b" in flags,
        "u" in flags,
    )


def record_id(packed: str) -> RecordId | None:
    if packed[1] == NO_RECORD_ID:
        return None
    text = packed[2:].split("\0", 3)[2]
    return RecordId(hubspot=int(text[1:])) if text[0] == "h" else RecordId(own=int(text[1:]))


def fields_of(key: str, packed: str) -> tuple[int, str, dict[str, Any]]:
    """A packed row's line, email and fields (``IncomingRow.fields``, the email not among them)."""
    line, email, _, _, first, last, stage, created, activity, flags = packed[2:].split("\0")
    fields: dict[str, Any] = {}
    for name, value in zip(_TEXTS, (first, last, stage), strict=True):
        if value:
            fields[name] = value[1:]
    for name, value in zip(_DATES, (created, activity), strict=True):
        if value:
            fields[name] = datetime.fromisoformat(value)
    if "b" in flags:
        fields["hard_bounced"] = True
    if "u" in flags or "n" in flags:
        fields["unsubscribed_all"] = "u" in flags
    return int(line), email or key, fields


def unpack(key: str, packed: str) -> IncomingRow:
    """The row a packed string holds, as parsed."""
    line, email, fields = fields_of(key, packed)
    modified = packed[2:].split("\0", 4)[3]
    return IncomingRow(
        line,
        email,
        key,
        fields,
        _REQUEST[packed[0]],
        record_id(packed),
        datetime.fromisoformat(modified) if modified else None,
    )
