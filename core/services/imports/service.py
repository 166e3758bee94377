"""CSV import (docs/domain.md §9): rows apply in file order, statuses follow §2 with ``import`` as the source.

The file is read and its rows parsed (``parse``) before the write lock is taken; then, in one unit of work,
they go the one way incoming contacts go into the database (``apply.apply_packed``: the fold and writer of
``apply.apply_rows``), as a HubSpot sync's do. The file is read as a stream and its rows kept packed
(``packed``): a big file takes a few times its size in memory, not ten.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import IO

from sqlalchemy import Engine

from core.errors import DomainError, Sentence
from core.i18n import N_
from core.rules.requester import Requester
from core.services.imports.apply import NO_CONSENT, Consent, ImportResult, Progress, apply_packed, existing_records
from core.services.imports.gc_pause import paused_gc
from core.services.imports.parse import decode, pack_csv, source_of
from core.services.unit import changing
from core.store import engine as db
from core.store.access import Action, authorize
from core.store.account import load_account

__all__ = ["Consent", "ImportResult", "existing_records", "import_csv", "read_text"]


def read_text(source: str | Path | bytes | IO[bytes]) -> str:
    """The text of a file given by path, as bytes or as an open binary file (``parse.decode``)."""
    if isinstance(source, bytes):
        return decode(source)
    if isinstance(source, str | Path):
        try:
            return decode(Path(source).read_bytes())
        except OSError as exc:
            raise DomainError(N_("cannot read {source}: {error}"), source=str(source), error=exc.strerror) from None
    return decode(source.read())


def _account_timezone(engine: Engine, actor: str) -> str:
    """Before parsing, in a short read: may ``actor`` import at all (checked again by the unit of work), and the
    account's time zone (dates with an offset are read in it)."""
    with db.read(engine) as conn:
        authorize(conn, actor, Action.EDIT_CONTACTS)
        return load_account(conn).timezone


def _fitted(name: str | None, limit: int = 100) -> str | None:
    """A file's name as the audit records it (``operations.source_id``, 100 characters): a longer one keeps its end,
    where the file's own name is, after an ellipsis; never a DataError for a long upload name."""
    return name if name is None or len(name) <= limit else "…" + name[-(limit - 1) :]


def import_csv(
    engine: Engine,
    source: str | Path | bytes | IO[bytes],
    *,
    today: date,
    actor: str,
    as_marketing: bool = False,
    consent: Consent = NO_CONSENT,
    file_name: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a HubSpot-format CSV: rows are matched by Record ID, then email (docs/domain.md §11); new contacts
    are created, existing ones updated, bad rows reported; undoing scheduled changes or raising the tier needs
    ``consent`` (docs/domain.md §10)."""
    file = source_of(source)
    name = file_name or (str(source) if isinstance(source, str | Path) else None)
    by = Requester(actor, "import", _fitted(name))
    with paused_gc():
        timezone = _account_timezone(engine, actor)
        rows = pack_csv(file, timezone=timezone)  # before the write lock: writers are not kept waiting
        if progress:
            progress(0.2, Sentence(N_("read {n} rows"), n=len(rows) + len(rows.rejected)))
        with changing(engine, by=by, today=today, needs=Action.EDIT_CONTACTS) as unit:
            if unit.account.timezone != timezone:  # changed in between: read the file's dates again
                del rows
                rows = pack_csv(file, timezone=unit.account.timezone)
            rejected = rows.rejected
            result = apply_packed(unit, rows, as_marketing=as_marketing, consent=consent, progress=progress)
    result.rejected = sorted(rejected + result.rejected, key=lambda r: int(r["line"]))
    if progress:
        progress(1.0, Sentence(N_("done")))
    return result
