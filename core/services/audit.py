"""The audit trail: every operation (status changes, imports, update runs, lists, saved views, settings, users,
sign-ins) by actor, kind, source and date, paginated in SQL, and exported as CSV with spreadsheet formulas
neutralised. Each operation has the real time it was recorded at (``requested_at``) and the day it acted on
(``acted_on``, docs/domain.md §10)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import ColumnElement, Connection, Engine, and_, func, select, true

from core.errors import DomainError
from core.rules.csvformat import escape_cell
from core.services.files import replacing
from core.store import engine as db
from core.store.schema import operations

# Columns are added at the end, never renamed or dropped: "Acted on" came with the honest clock (domain.md §10).
HEADER = ["Operation ID", "Requested at", "Kind", "Actor", "Source type", "Source ID", "Details", "Acted on"]
CSV_PAGE = 5_000
MAX_PAGE_SIZE = 1_000

KIND_LABELS = {  # how the dashboard names each kind of operation (the CSV and the CLI keep the codes)
    "set_status": "Status change",
    "import": "Import",
    "update": "Update date applied",
    "create_contact": "Contact created",
    "edit": "Contact edited",
    "delete": "Contacts deleted",
    "demo": "Demo data",
    "settings": "Account settings",
    "source_setting": "Default status by source",
    "sign_in": "Sign-in",
    "sign_in_failed": "Failed sign-in",
    "sign_out": "Sign-out",
    "user_added": "User added",
    "user_role_set": "Role changed",
    "user_granted": "Marketing contact access granted",
    "user_revoked": "Marketing contact access revoked",
    "user_disabled": "User disabled",
    "user_enabled": "User enabled",
    "user_password_set": "Password set",
    "workflow_created": "Workflow created",
    "workflow_updated": "Workflow edited",
    "workflow_enabled": "Workflow enabled",
    "workflow_disabled": "Workflow disabled",
    "workflow_deleted": "Workflow deleted",
    "list_created": "List created",
    "list_members_added": "Contacts added to a list",
    "list_members_removed": "Contacts removed from a list",
    "list_deleted": "List deleted",
    "view_saved": "Saved view saved",
    "view_deleted": "Saved view deleted",
}


def kind_label(kind: str) -> str:
    """``set_status`` -> ``Status change``; a kind without a label reads as its words."""
    return KIND_LABELS.get(kind) or kind.replace("_", " ").capitalize()


@dataclass(frozen=True)
class AuditFilter:
    """All given criteria must hold; dates are inclusive days the operations acted on (``acted_on``)."""

    actor: str | None = None
    kinds: tuple[str, ...] = ()
    source_type: str | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class AuditEntry:
    id: int
    requested_at: datetime  # the real time it was recorded, in the account's time zone
    acted_on: date  # the day it acted on
    kind: str
    actor: str
    source_type: str | None
    source_id: str | None
    summary: dict[str, Any]

    @property
    def details(self) -> str:
        """The summary as ``key=value`` pairs, for a table cell."""
        return ", ".join(f"{k}={v}" for k, v in self.summary.items() if v not in (None, [], {}))

    @property
    def readable_details(self) -> str:
        """The summary for people: ``created: 2 · made marketing: 1`` (the CSV keeps ``details``)."""
        return " · ".join(
            f"{k.replace('_', ' ')}: {f'{v:,}' if isinstance(v, int) and not isinstance(v, bool) else v}"
            for k, v in self.summary.items()
            if v not in (None, [], {})
        )

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["requested_at"] = self.requested_at.isoformat(sep=" ")
        data["acted_on"] = self.acted_on.isoformat()
        data["kind_label"] = kind_label(self.kind)
        return data


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "entries": [e.as_json() for e in self.entries],
        }


def _clause(criteria: AuditFilter) -> ColumnElement[bool]:
    if criteria.since and criteria.until and criteria.since > criteria.until:
        raise DomainError(f"the date range is empty: {criteria.since} is after {criteria.until}")
    parts: list[ColumnElement[bool]] = [true()]
    if criteria.actor:
        parts.append(func.lower(operations.c.actor) == criteria.actor.strip().lower())
    if criteria.kinds:
        parts.append(operations.c.kind.in_(criteria.kinds))
    if criteria.source_type:
        parts.append(operations.c.source_type == criteria.source_type)
    if criteria.since:
        parts.append(operations.c.acted_on >= criteria.since)
    if criteria.until:
        parts.append(operations.c.acted_on <= criteria.until)
    return and_(*parts)


def _summary(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {"summary": text}
    return data if isinstance(data, dict) else {"summary": data}


def _entries(
    conn: Connection, clause: ColumnElement[bool], *, limit: int, offset: int = 0, below: int | None = None
) -> list[AuditEntry]:
    query = select(operations).where(clause)
    if below is not None:
        query = query.where(operations.c.id < below)
    query = query.order_by(operations.c.id.desc()).limit(limit).offset(offset)
    return [
        AuditEntry(r.id, r.requested_at, r.acted_on, r.kind, r.actor, r.source_type, r.source_id, _summary(r.summary))
        for r in conn.execute(query)
    ]


def list_audit(
    engine: Engine, *, criteria: AuditFilter = AuditFilter(), page: int = 1, page_size: int = 50
) -> AuditPage:
    """One page of matching operations, newest first, with the total count (both computed in SQL)."""
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise DomainError(f"page must be 1 or more and page size 1 to {MAX_PAGE_SIZE}")
    clause = _clause(criteria)
    with db.read(engine) as conn:
        total = int(conn.execute(select(func.count()).select_from(operations).where(clause)).scalar_one())
        entries = _entries(conn, clause, limit=page_size, offset=(page - 1) * page_size)
    return AuditPage(entries, total, page, page_size)


def audit_choices(engine: Engine) -> dict[str, list[str]]:
    """The actors, kinds and source types that occur, for filter pickers."""
    with db.read(engine) as conn:
        return {
            name: sorted(v for v in conn.execute(select(column).distinct()).scalars() if v is not None)
            for name, column in (
                ("actors", operations.c.actor),
                ("kinds", operations.c.kind),
                ("source_types", operations.c.source_type),
            )
        }


def iter_audit_rows(engine: Engine, *, criteria: AuditFilter = AuditFilter()) -> Iterator[list[str]]:
    """The CSV header, then every matching operation newest first, read by keyset pages; cells are escaped."""
    clause = _clause(criteria)
    yield HEADER
    below: int | None = None
    while True:
        with db.read(engine) as conn:
            entries = _entries(conn, clause, limit=CSV_PAGE, below=below)
        for e in entries:
            cells = [e.id, e.requested_at.isoformat(sep=" "), e.kind, e.actor, e.source_type, e.source_id, e.details]
            cells.append(e.acted_on.isoformat())
            yield [escape_cell(c) for c in cells]
        if len(entries) < CSV_PAGE:
            return
        below = entries[-1].id


def write_audit_csv(engine: Engine, target: str | Path | IO[str], *, criteria: AuditFilter = AuditFilter()) -> int:
    """Write the matching operations as CSV (formulas neutralised); returns how many rows were written."""
    rows = iter_audit_rows(engine, criteria=criteria)
    header = next(rows)  # validates the criteria before a file is created
    if isinstance(target, str | Path):
        with replacing(engine, target) as handle:
            return write_audit_csv(engine, handle, criteria=criteria)
    writer = csv.writer(target)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def audit_csv_bytes(engine: Engine, *, criteria: AuditFilter = AuditFilter()) -> bytes:
    """The export as UTF-8 bytes, for a download button."""
    buffer = io.StringIO()
    write_audit_csv(engine, buffer, criteria=criteria)
    return buffer.getvalue().encode("utf-8")
