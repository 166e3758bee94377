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
from core.i18n import ENGLISH, N_, Translator
from core.rules.csvformat import escape_cell
from core.services.files import replacing
from core.store import engine as db
from core.store.schema import operations

# Columns are added at the end, never renamed or dropped: "Acted on" came with the honest clock (domain.md §10).
HEADER = ["Operation ID", "Requested at", "Kind", "Actor", "Source type", "Source ID", "Details", "Acted on"]
CSV_PAGE = 5_000
MAX_PAGE_SIZE = 1_000

KIND_LABELS = {  # how the dashboard names each kind of operation (the CSV and the CLI keep the codes)
    "set_status": N_("Status change"),
    "import": N_("Import"),
    "update": N_("Update date applied"),
    "create_contact": N_("Contact created"),
    "edit": N_("Contact edited"),
    "delete": N_("Contacts deleted"),
    "demo": N_("Demo data"),
    "settings": N_("Account settings"),
    "source_setting": N_("Default status by source"),
    "sign_in": N_("Sign-in"),
    "sign_in_failed": N_("Failed sign-in"),
    "sign_out": N_("Sign-out"),
    "user_added": N_("User added"),
    "user_role_set": N_("Role changed"),
    "user_granted": N_("Marketing contact access granted"),
    "user_revoked": N_("Marketing contact access revoked"),
    "user_disabled": N_("User disabled"),
    "user_enabled": N_("User enabled"),
    "user_password_set": N_("Password set"),
    "workflow_created": N_("Workflow created"),
    "workflow_updated": N_("Workflow edited"),
    "workflow_enabled": N_("Workflow enabled"),
    "workflow_disabled": N_("Workflow disabled"),
    "workflow_deleted": N_("Workflow deleted"),
    "list_created": N_("List created"),
    "list_members_added": N_("Contacts added to a list"),
    "list_members_removed": N_("Contacts removed from a list"),
    "list_deleted": N_("List deleted"),
    "view_saved": N_("Saved view saved"),
    "view_deleted": N_("Saved view deleted"),
    "hubspot_sync": N_("HubSpot sync"),
    "hubspot_push_list": N_("Sent to a HubSpot list"),
}


# How the dashboard names the keys of an operation's details (the CSV keeps the keys); a key not named here reads
# as its words.
DETAIL_LABELS = {
    "action_index": N_("action"),
    "added": N_("added"),
    "after": N_("after"),
    "already_in_that_state": N_("already in that state"),
    "base_price": N_("base price"),
    "became_non_marketing": N_("became non-marketing"),
    "before": N_("before"),
    "billed_tier": N_("billed tier"),
    "changed": N_("changed"),
    "commitment": N_("commitment"),
    "conflicts": N_("conflicts"),
    "contact_id": N_("contact"),
    "contacts": N_("contacts"),
    "contacts_changed": N_("contacts changed"),
    "created": N_("created"),
    "deleted": N_("deleted"),
    "disabled": N_("disabled"),
    "display_name": N_("display name"),
    "edition": N_("edition"),
    "effective_on": N_("effective on"),
    "email": N_("email"),
    "errors": N_("errors"),
    "fetched": N_("fetched"),
    "filter": N_("filter"),
    "import_id": N_("import"),
    "increment_price": N_("increment price"),
    "increment_size": N_("increment size"),
    "list": N_("list"),
    "local_sign_in": N_("local sign-in"),
    "made_marketing": N_("made marketing"),
    "marketing": N_("marketing"),
    "marketing_access": N_("marketing contact access"),
    "marketing_after": N_("marketing after"),
    "marketing_before": N_("marketing before"),
    "members": N_("members"),
    "method": N_("method"),
    "mode": N_("mode"),
    "name": N_("name"),
    "pages": N_("pages"),
    "quick_filter": N_("quick filter"),
    "reason": N_("reason"),
    "replaced": N_("replaced"),
    "requests": N_("requests"),
    "retries": N_("retries"),
    "role": N_("role"),
    "scheduled": N_("scheduled"),
    "seed": N_("seed"),
    "selected": N_("selected"),
    "selection": N_("selection"),
    "sort": N_("sort"),
    "stale": N_("stale"),
    "start_date": N_("start date"),
    "status": N_("status"),
    "summary": N_("summary"),
    "tier_limit_after": N_("tier after"),
    "tier_limit_before": N_("tier before"),
    "to": N_("to"),
    "total": N_("total"),
    "undone": N_("undone"),
    "unchanged": N_("unchanged"),
    "update_date": N_("update date"),
    "updated": N_("updated"),
    "username": N_("username"),
    "view": N_("view"),
    "workflow_id": N_("workflow"),
}


def source_label(source_type: str, t: Translator = ENGLISH) -> str:
    """How the dashboard names the source an operation came from (as a contact's history does): ``bulk_action`` ->
    ``bulk action``, ``integration`` -> ``connected app``; the CSV keeps the codes."""
    names = {
        "form": t.pgettext("source", "form"),
        "import": t.pgettext("source", "import"),
        "chatflow": t.pgettext("source", "chatflow"),
        "integration": t.pgettext("source", "connected app"),
        "manual": t.pgettext("source", "manual creation"),
        "bulk_action": t.pgettext("source", "bulk action"),
        "usage_wizard": t.pgettext("source", "Manage marketing contacts"),
        "workflow": t.pgettext("source", "workflow"),
        "update": t.pgettext("source", "update date"),
        "demo": t.pgettext("source", "demo data"),
        "mobile_app": t.pgettext("source", "mobile app"),
        "logged_email": t.pgettext("source", "logged email"),
        "connected_inbox": t.pgettext("source", "connected inbox"),
        "document": t.pgettext("source", "document"),
        "meeting_link": t.pgettext("source", "meeting link"),
        "email_extension": t.pgettext("source", "email extension"),
        "multi_object_import": t.pgettext("source", "multi object import"),
        "user": t.pgettext("source", "user"),
        "sign_in": t.pgettext("source", "sign in"),
        "settings": t.pgettext("source", "settings"),
        "list": t.pgettext("source", "list"),
        "view": t.pgettext("source", "view"),
    }
    return names.get(source_type) or source_type.replace("_", " ")


def kind_label(kind: str, t: Translator = ENGLISH) -> str:
    """``set_status`` -> ``Status change`` (in ``t``'s language); a kind without a label reads as its words."""
    label = KIND_LABELS.get(kind)
    return t(label) if label else kind.replace("_", " ").capitalize()


def detail_label(key: str, t: Translator = ENGLISH) -> str:
    """``made_marketing`` -> ``made marketing`` (in ``t``'s language); a key without a label reads as its words."""
    label = DETAIL_LABELS.get(key)
    return t(label) if label else key.replace("_", " ")


def _value_label(key: str, value: str, t: Translator) -> str | None:
    """The words of a detail whose values are codes the dashboard names (why a sign-in failed, a role...)."""
    if key == "reason":
        names = {
            "unknown user": t.pgettext("sign-in refused", "unknown user"),
            "unknown email": t.pgettext("sign-in refused", "unknown email"),
            "disabled": t.pgettext("sign-in refused", "disabled"),
            "locked": t.pgettext("sign-in refused", "locked"),
            "locked after failed attempts": t.pgettext("sign-in refused", "locked after failed attempts"),
            "wrong password": t.pgettext("sign-in refused", "wrong password"),
            "refused": t.pgettext("sign-in refused", "refused"),
        }
    elif key == "method":
        names = {"local": t.pgettext("sign-in method", "local"), "oidc": t.pgettext("sign-in method", "oidc")}
    elif key == "role":
        names = {
            "admin": t.pgettext("role", "admin"),
            "editor": t.pgettext("role", "editor"),
            "viewer": t.pgettext("role", "viewer"),
        }
    elif key == "commitment":
        names = {"annual": t.pgettext("commitment", "annual"), "monthly": t.pgettext("commitment", "monthly")}
    elif key == "mode":
        names = {"full": t.pgettext("sync mode", "full"), "incremental": t.pgettext("sync mode", "incremental")}
    else:
        return None
    return names.get(value)


def _detail_value(key: str, value: Any, t: Translator) -> str:
    if isinstance(value, bool):  # English keeps True / False, as the table always showed
        return str(value) if t.language == ENGLISH.language else t(N_("yes") if value else N_("no"))
    if isinstance(value, int):
        return t.number(value)
    if isinstance(value, str) and t.language != ENGLISH.language:
        return _value_label(key, value, t) or value
    return str(value)


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
        return self.readable(ENGLISH)

    def readable(self, t: Translator) -> str:
        """``readable_details`` in ``t``'s language: its keys named, its numbers written the language's way."""
        return " · ".join(
            f"{detail_label(k, t)}: {_detail_value(k, v, t)}"
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
        raise DomainError(
            N_("the date range is empty: {since} is after {until}"),
            since=str(criteria.since),
            until=str(criteria.until),
        )
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
        raise DomainError(N_("page must be 1 or more and page size 1 to {most}"), most=str(MAX_PAGE_SIZE))
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
