"""Before an import runs: its first rows, the column mapping, and what it would do to counts and the tier.

The preview parses and folds the file's rows exactly as the import does (``parse``, ``fold``), in a read-only
unit of work: nothing is written, so a spike shows before anybody consents to it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine

from core.errors import translated
from core.i18n import ENGLISH, N_, Translator
from core.rules import csvformat as fmt
from core.rules import tiers
from core.rules.calendar import next_update_date
from core.rules.money import MoneyEffect
from core.services.imports.apply import existing_named
from core.services.imports.fold import fold_packed
from core.services.imports.gc_pause import paused_gc
from core.services.imports.parse import Source, pack_csv, source_of
from core.services.money import money_effect_in
from core.services.usage import tier_on
from core.store import engine as db
from core.store.account import load_account
from core.store.counts import counts_on

FIRST_ROWS = 10
# What each column fills, in English (the page shows it translated: ``t(use)``).
_USES = {
    fmt.EMAIL: N_("Email (required; matches existing contacts)"),
    fmt.RECORD_ID: N_("Record ID (matches contacts first, then Email: HubSpot's id, or mk-… for ours)"),
    fmt.LAST_MODIFIED: N_("Last modified (older than a contact's last status change: its status is kept)"),
    fmt.FIRST_NAME: N_("First name"),
    fmt.LAST_NAME: N_("Last name"),
    fmt.LIFECYCLE: N_("Lifecycle stage"),
    fmt.CREATED: N_("Create date"),
    fmt.LAST_ACTIVITY: N_("Last activity date"),
    fmt.STATUS: N_("Marketing status (changes follow the status rules)"),
    fmt.PENDING: N_("Marketing contact until next update"),  # the state's label (core.rules.status.STATE_LABELS)
    fmt.BOUNCE: N_("Hard bounced (any text)"),
    fmt.UNSUBSCRIBED: N_("Unsubscribed from all email"),
}


@dataclass
class ImportPreview:
    columns: list[tuple[str, str]]  # (CSV column, what it fills)
    first_rows: list[dict[str, str]]
    valid_rows: int
    rejected: list[dict[str, Any]]
    created: int
    updated: int
    made_marketing: int
    scheduled: int
    undone: int
    marketing_before: int
    marketing_after: int
    tier_limit_before: int
    tier_limit_after: int
    monthly_price_before: int
    monthly_price_after: int
    currency: str
    effective_on: date | None = None  # the update date scheduled changes wait for
    money: MoneyEffect | None = None  # the price now, from the next update date and from renewal (§4)
    warnings: list[str] = field(default_factory=list)
    stale: int = 0  # rows older than their contact's last status change: their status is not applied
    stale_rows: list[dict[str, Any]] = field(default_factory=list)  # line, email, status kept, status asked

    @property
    def tier_goes_up(self) -> bool:
        return self.tier_limit_after > self.tier_limit_before

    @property
    def undoes(self) -> bool:
        """Whether the import undoes scheduled non-marketing changes: it needs consent (docs/domain.md §10)."""
        return self.undone > 0


def column_mapping(header: list[str]) -> list[tuple[str, str]]:
    """Each column of the file and what the import does with it (the first of duplicate columns wins)."""
    known = {h.lower(): h for h in fmt.KNOWN_HEADERS}
    extra = {h.lower() for h in fmt.EXPORT_EXTRA}
    seen: set[str] = set()
    mapping = []
    legacy = fmt.legacy_export(header)
    for name in header:
        key = known.get(name.strip().lower())
        if key == fmt.RECORD_ID and legacy and key not in seen:
            seen.add(key)
            mapping.append((name, N_("not imported: Marketable's own ids from before Record IDs (matched by email)")))
        elif key and key not in seen:
            seen.add(key)
            mapping.append((name, _USES[key]))
        elif name.strip().lower() in extra:
            mapping.append((name, N_("not imported: export-only column")))
        else:
            mapping.append((name, N_("ignored: unknown column") if not key else N_("ignored: duplicate column")))
    return mapping


def _first_rows(file: Source) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.reader(file.lines())
    header = next(reader, [])
    rows: list[dict[str, str]] = []
    for cells in reader:
        if len(rows) >= FIRST_ROWS:
            break
        rows.append({name or f"column {i + 1}": (cells[i] if i < len(cells) else "") for i, name in enumerate(header)})
    return header, rows


def preview_import(
    engine: Engine, source: str | Path | bytes | IO[bytes], *, today: date, as_marketing: bool = False
) -> ImportPreview:
    """What importing this file would do: created / updated / rejected, statuses, and the tier (writes nothing)."""
    file = source_of(source)
    header, first = _first_rows(file)
    with paused_gc(), db.read(engine) as conn:
        acct = load_account(conn)
        rows = pack_csv(file, timezone=acct.timezone)
        rejected = rows.rejected
        effective = next_update_date(acct.commitment, acct.start_date, today)
        existing = existing_named(conn, rows.names())
        folded = fold_packed(rows, existing, as_marketing=as_marketing, today=today, effective=effective)
        before = counts_on(conn, today).marketing
        tier_before = tier_on(conn, acct, today)
        counts = folded.event_counts()
        stays = counts["made_marketing"] + counts["undone"] - counts["scheduled"]
        money = money_effect_in(conn, acct, today=today, now_delta=counts["made_marketing"], update_delta=stays)
    after = before + counts["made_marketing"]
    tier_after = tiers.tier_after_change(acct.pricing, tier_before, after)  # as the import itself does
    return ImportPreview(
        columns=column_mapping(header),
        first_rows=first,
        valid_rows=len(rows) - len(folded.rejected),
        rejected=sorted(rejected + folded.rejected, key=lambda r: int(r["line"])),
        stale=folded.stale,
        stale_rows=folded.stale_rows,
        created=folded.created,
        updated=folded.updated,
        marketing_before=before,
        marketing_after=after,
        tier_limit_before=tier_before,
        tier_limit_after=tier_after,
        monthly_price_before=acct.pricing.monthly_price(tier_before),
        monthly_price_after=acct.pricing.monthly_price(tier_after),
        currency=acct.currency,
        effective_on=effective if counts["scheduled"] else None,
        made_marketing=counts["made_marketing"],
        scheduled=counts["scheduled"],
        undone=counts["undone"],
        money=money,
    )


def rejected_lines_csv(source: bytes, rejected: list[dict[str, Any]], *, t: Translator = ENGLISH) -> bytes:
    """The rejected lines of a file as CSV: line number, reason, then the line's original cells (the file's own
    header). ``t``: the language of the first two columns' names and of the reasons (the dashboard's reader's)."""
    wanted = {int(r["line"]): translated(r["reason"], t) for r in rejected}
    reader = csv.reader(source_of(source).lines())
    header = next(reader, [])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([t(N_("Line")), t(N_("Reason")), *header])
    found: dict[int, list[str]] = {}
    while True:
        line = reader.line_num + 1  # numbered like the import: the line where the record starts
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            continue  # a malformed line: its number and reason are still written below
        if line in wanted:
            found[line] = cells
    for line, reason in sorted(wanted.items()):
        writer.writerow([line, reason, *(fmt.escape_cell(c) for c in found.get(line, []))])
    return out.getvalue().encode("utf-8")
