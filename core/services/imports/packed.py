"""A file's rows as an import holds them (issue 11: a big file within a few times its size in memory): each parsed
row packed in one string, its match key beside it, instead of a row object, a dict of fields and their values
(about a quarter of the memory). The fold keeps a new contact made by one row as that same string
(``fold.fold_packed``) and the writer reads it from there. PURE: values, no database.

A packed row: its status request (one character), whether it has a Record ID (one character), then its line,
email (empty when it is its match key), Record ID, last-modified time and ``FIELD_COLUMNS`` values, separated by
NUL (which no cell holds: a row with one is rejected). A field the row does not fill is empty; one it fills starts
with ``=`` (an empty name is not a missing one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.rules.csvformat import StatusRequest
from core.rules.record_id import RecordId
from core.services.imports.incoming import IncomingRow

Rejection = dict[str, Any]  # {"line": ..., "reason": ...}

REQUESTS: tuple[StatusRequest | None, ...] = (None, *StatusRequest)
_CODE = {request: str(i) for i, request in enumerate(REQUESTS)}
_REQUEST = {str(i): request for i, request in enumerate(REQUESTS)}
NO_RECORD_ID, RECORD_ID = "-", "r"
_TEXTS = ("first_name", "last_name", "lifecycle_stage")
_DATES = ("created_at", "last_activity_at")


@dataclass
class PackedRows:
    """A file's rows (``keys[i]``: row i's match key, ``rows[i]``: the row packed) and its rejections.
    ``count``: how many rows were read (the lists are emptied once the rows are folded)."""

    keys: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    count: int = 0

    def __len__(self) -> int:
        return self.count

    def asks_status(self) -> bool:
        """Whether any row asks for a status (it changes statuses)."""
        none = _CODE[None]
        return any(row[0] != none for row in self.rows)

    def names(self) -> Any:
        """Each row's match key and Record ID (or None), in order."""
        for key, row in zip(self.keys, self.rows, strict=True):
            yield key, record_id(row)


def pack(row: IncomingRow) -> str:
    """One parsed row in one string."""
    f = row.fields
    rid = row.record_id
    parts = [
        str(row.line),
        "" if row.email == row.key else row.email,
        "" if rid is None else (f"h{rid.hubspot}" if rid.hubspot is not None else f"o{rid.own}"),
        "" if row.modified_at is None else row.modified_at.isoformat(),
    ]
    for name in _TEXTS:
        value = f.get(name)
        parts.append("" if value is None else "=" + value)
    for name in _DATES:
        value = f.get(name)
        parts.append("" if value is None else value.isoformat())
    unsubscribed = f.get("unsubscribed_all")
    flags = ("b" if f.get("hard_bounced") else "") + ("" if unsubscribed is None else "u" if unsubscribed else "n")
    parts.append(flags)
    head = _CODE[row.request] + (NO_RECORD_ID if rid is None else RECORD_ID)
    return head + "\0".join(parts)


def request_of(packed: str) -> StatusRequest | None:
    return _REQUEST[packed[0]]


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
