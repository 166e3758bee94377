"""CSV export in the import's format, streamed from the database page by page: UTF-8 with a byte-order mark,
each contact's Record ID (docs/domain.md §11) and Last Modified Date, sources by code and by name."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from sqlalchemy import Engine, and_

from core.rules import csvformat as fmt
from core.rules.record_id import text_of
from core.rules.selection import Selection
from core.services.contact_detail import describe_source
from core.services.files import replacing
from core.store import engine as db
from core.store import states
from core.store.account import load_account
from core.store.schema import contacts
from core.store.selection import where

HEADER = [*fmt.KNOWN_HEADERS, *fmt.EXPORT_EXTRA]
BOM = "\ufeff"  # UTF-8's byte-order mark, first in every export: the import ignores it
PAGE = 10_000


def _name(code: object) -> str:
    return describe_source(str(code), None) if code else ""


def _last_modified(c: dict[str, object]) -> object:
    """The export's ``Last Modified Date``: the contact's last status change, else its creation (what a later
    import compares a row's date with: docs/domain.md §10, stale rows)."""
    return c["status_changed_at"] or c["created_at"]


def _row(c: dict[str, object]) -> list[str]:
    marketing = c["marketing_status"] == "marketing"
    cells: list[object] = [
        text_of(int(str(c["id"])), c["hubspot_id"]),  # type: ignore[arg-type]
        c["email"],
        c["first_name"],
        c["last_name"],
        c["lifecycle_stage"],
        fmt.format_datetime(c["created_at"]),  # type: ignore[arg-type]
        fmt.format_datetime(c["last_activity_at"]),  # type: ignore[arg-type]
        fmt.MARKETING_TEXT if marketing else fmt.NON_MARKETING_TEXT,
        "true" if c["pending_non_marketing"] else "false",
        "Hard bounced" if c["hard_bounced"] else "",
        "true" if c["unsubscribed_all"] else "false",
        fmt.format_datetime(_last_modified(c)),  # type: ignore[arg-type]
        c["status_source_type"],
        _name(c["status_source_type"]),
        c["status_source_id"],
        fmt.format_datetime(c["effective_on"]),  # type: ignore[arg-type]
        c["source_type"],
        _name(c["source_type"]),
        c["source_id"],
    ]
    return [fmt.escape_cell(v) for v in cells]


def iter_export_rows(engine: Engine, *, selection: Selection) -> Iterator[list[str]]:
    """The header, then one row per selected contact, in id order, read by keyset pages."""
    yield HEADER
    last_id = 0
    while True:
        with db.read(engine) as conn:
            load_account(conn)
            query = states.whole_rows(and_(where(conn, selection), contacts.c.id > last_id))
            query = query.order_by(contacts.c.id).limit(PAGE)
            page = [dict(r) for r in conn.execute(query).mappings()]
        if not page:
            return
        for contact in page:
            yield _row(contact)
        last_id = int(str(page[-1]["id"]))


def write_export(engine: Engine, target: str | Path | IO[str], *, selection: Selection) -> int:
    """Write the selected contacts as CSV (formulas neutralised); returns how many were written."""
    count = -1
    with db.read(engine) as conn:  # validate the selection before a file is created
        load_account(conn)
        where(conn, selection)
    if isinstance(target, str | Path):
        with replacing(engine, target) as handle:
            return write_export(engine, handle, selection=selection)
    writer = csv.writer(target)
    for row in iter_export_rows(engine, selection=selection):
        if count < 0:  # the header: the file starts with the mark, so spreadsheets read it as UTF-8 (accents)
            row = [BOM + row[0], *row[1:]]
        writer.writerow(row)
        count += 1
    return count


def export_bytes(engine: Engine, *, selection: Selection) -> bytes:
    """The export as UTF-8 bytes, for a download button."""
    buffer = io.StringIO()
    write_export(engine, buffer, selection=selection)
    return buffer.getvalue().encode("utf-8")
