"""Pulling contacts from HubSpot (docs/domain.md §12): the first sync reads every contact, later ones only those
modified since the previous sync started; a sync resumes where it was interrupted.

Resumable, page by page: each page HubSpot returns is fetched outside any transaction, then written in its own unit
of work together with the sync's cursor (``core.store.hubspot``). An interrupted sync (a crash, HubSpot failing past
its retries) keeps every page it wrote and its cursor; the next ``sync`` continues from the page after the last one
written. A page is never half written, and a page written twice changes nothing the second time (its contacts are
matched by Record ID), so resuming is safe even when the cursor was saved just before an interruption.

The pages go into the database by the one path of imports (``core.services.imports.incoming``): the same fold
through the transition table, the same stale rule, the same bulk writer. The sync adds one rule of its own, the
conflict (docs/domain.md §12): a contact whose status was changed here since the last sync keeps it, its
HubSpot fields are still applied, and it is counted and named in ``conflicts``.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date
from typing import Any

from sqlalchemy import Engine

from core.clock import utc_now
from core.i18n import N_
from core.rules import hubspot as props
from core.rules.requester import Requester
from core.rules.roles import Action
from core.services.hubspot.client import SEARCH_PAGE_SIZE, SEARCH_WINDOW, HubSpotApi, HubSpotError, Page, connect
from core.services.hubspot.mapping import apply_page
from core.services.unit import changing
from core.settings import hubspot_token, hubspot_url
from core.store import engine as db
from core.store import hubspot as runs
from core.store.access import authorize

Progress = Callable[[float, str], object]
MARGIN_MS = 5 * 60 * 1000  # the next sync re-reads 5 minutes before this one started: clocks differ, writes land late
SYNC_KIND = "hubspot_sync"
NEEDS = (Action.EDIT_CONTACTS, Action.CHANGE_STATUS)
BATCH_CONTACTS = 1_000  # contacts written per unit of work (ten of HubSpot's pages)


@dataclass
class SyncResult:
    """What a sync did, as ``python -m core hubspot sync`` prints it (its keys are a public interface)."""

    fetched: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0
    errors: int = 0
    conflicts: int = 0
    mode: str = "full"
    resumed: bool = False
    sync_id: int = 0
    pages: int = 0
    requests: int = 0
    retries: int = 0
    total: int | None = None
    made_marketing: int = 0  # status moves the sync made (docs/domain.md §2): marketing at once,
    scheduled: int = 0  # pending (leaving at the next update date),
    undone: int = 0  # a change scheduled here undone because HubSpot says marketing
    rejected: list[dict[str, Any]] = field(default_factory=list)
    conflicting: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _epoch_ms() -> int:
    return int(utc_now().replace(tzinfo=UTC).timestamp() * 1000)


def _begin(engine: Engine, api: HubSpotApi, *, by: Requester, today: date, full: bool) -> tuple[runs.SyncRun, bool]:
    """The sync to run: the one left running (resumed), else a new one, full the first time or when asked."""
    needs = (Action.EDIT_CONTACTS, Action.CHANGE_STATUS)
    with db.read(engine) as conn:
        authorize(conn, by.actor, *needs)  # before the first request to HubSpot
        open_run = runs.unfinished(conn)
        done = runs.last_done(conn)
    if open_run is not None:
        return open_run, True
    since = None if full or done is None else done.next_since_ms
    mode = "full" if since is None else "incremental"
    started_ms = _epoch_ms()
    total = api.modified_page(since or 0, None, limit=1).total  # the progress bar's 100 %
    with changing(engine, by=by, today=today, needs=needs, catch_up_first=False) as unit:
        op = unit.start(SYNC_KIND)
        run = runs.start(
            unit.conn,
            mode=mode,
            since_ms=since,
            next_since_ms=started_ms - MARGIN_MS,
            operation_id=op,
            at=unit.now,
            actor=by.actor,
        )
        run.total = total
        run.requests, run.retries = api.traffic.requests, api.traffic.retries  # the count is part of the sync
        runs.save(unit.conn, run, at=unit.now)
    return run, False


@dataclass(frozen=True)
class PageCursor:
    """Where the next page is: the search window's lower bound (incremental) and the page cursor in it."""

    window_ms: int | None
    after: str | None


def _fetch(api: HubSpotApi, mode: str, cursor: PageCursor) -> Page:
    if mode == "full":
        return api.contacts_page(cursor.after)
    return api.modified_page(cursor.window_ms or 0, cursor.after)


def _next(mode: str, cursor: PageCursor, page: Page) -> PageCursor | None:
    """The cursor past ``page``; None when the sync has read everything. HubSpot's search pages no further than
    10,000 results, so an incremental sync then opens a new window from the last modification it read."""
    if page.after is None:
        return None
    if mode == "incremental" and int(page.after) + SEARCH_PAGE_SIZE > SEARCH_WINDOW:
        latest = props.latest_modified(page.contacts)
        if latest is None or latest <= (cursor.window_ms or 0):
            raise HubSpotError(N_("more than 10,000 contacts share one modification time in HubSpot: run a full sync"))
        return PageCursor(latest, None)
    return PageCursor(cursor.window_ms, page.after)


class _BatchWriter:
    """Writes the pages read so far in one unit of work with the cursor of the next page (``BATCH_CONTACTS`` at a
    time: a unit of work per 100-contact page would spend more on counting and locking than on the contacts)."""

    def __init__(
        self,
        engine: Engine,
        api: HubSpotApi,
        run: runs.SyncRun,
        *,
        by: Requester,
        today: date,
        progress: Progress | None,
    ) -> None:
        self.engine, self.api, self.run, self.by, self.today, self.progress = engine, api, run, by, today, progress
        self.pages: list[Page] = []
        # Requests and retries so far: this process's traffic is added to what the run had when it was resumed.
        self.sent = run.requests - api.traffic.requests
        self.retried = run.retries - api.traffic.retries
        with db.read(engine) as conn:
            done = runs.last_done(conn)
        self.last_sync_operation = done.operation_id if done is not None else None

    @property
    def full(self) -> bool:
        return sum(len(p.contacts) for p in self.pages) >= BATCH_CONTACTS

    def write(self, cursor: PageCursor | None) -> None:
        """Write the pages read, and ``cursor`` (None: the sync is done) as where the next page is."""
        run, contacts = self.run, [c for p in self.pages for c in p.contacts]
        if not self.pages and cursor is not None:
            return
        with changing(self.engine, by=self.by, today=self.today, needs=NEEDS) as unit:
            apply_page(unit, run, contacts, last_sync_operation=self.last_sync_operation)
            run.window_ms, run.after = (cursor.window_ms, cursor.after) if cursor else (run.window_ms, None)
            run.pages += len(self.pages)
            run.requests = self.sent + self.api.traffic.requests
            run.retries = self.retried + self.api.traffic.retries
            runs.save(unit.conn, run, at=unit.now, status=runs.RUNNING if cursor else runs.DONE)
            if run.operation_id is not None:
                unit.finish(run.operation_id, _summary(run))
        self.pages = []
        if self.progress:
            share = min(1.0, run.fetched / run.total) if run.total else (0.0 if cursor else 1.0)
            self.progress(share, f"{run.fetched:,} of {run.total or run.fetched:,} contacts")  # the sidebar translates


def _summary(run: runs.SyncRun) -> dict[str, Any]:
    keys = ("mode", "status", "total", *runs.COUNTS)
    return {k: getattr(run, k) for k in keys}


def sync(
    engine: Engine,
    *,
    today: date,
    actor: str,
    full: bool = False,
    api: HubSpotApi | None = None,
    progress: Progress | None = None,
) -> SyncResult:
    """Pull HubSpot's contacts into Marketable (docs/domain.md §12), resuming an interrupted sync."""
    connection = api or connect()
    by = Requester(actor, "integration", "hubspot")
    run, resumed = _begin(engine, connection, by=by, today=today, full=full)
    writer = _BatchWriter(engine, connection, run, by=by, today=today, progress=progress)
    # The next page is fetched while the pages read are written: HubSpot's answers and the writes overlap.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="hubspot") as fetcher:
        first = PageCursor(run.window_ms, run.after)
        pending = fetcher.submit(_fetch, connection, run.mode, first)
        cursor: PageCursor | None = first
        while cursor is not None:
            try:
                page = pending.result()
            except HubSpotError:
                writer.write(cursor)  # what was read is kept; the next sync resumes at the page that failed
                raise
            writer.pages.append(page)
            cursor = _next(run.mode, cursor, page)
            if cursor is not None:
                pending = fetcher.submit(_fetch, connection, run.mode, cursor)
            if cursor is None or writer.full:
                writer.write(cursor)
    return SyncResult(
        **{k: getattr(run, k) for k in ("fetched", "created", "updated", "unchanged", "stale", "errors", "conflicts")},
        mode=run.mode,
        resumed=resumed,
        sync_id=run.id,
        pages=run.pages,
        requests=run.requests,
        retries=run.retries,
        total=run.total,
        **run.details.get("status_moves", {}),
        rejected=run.details.get("rejected", []),
        conflicting=run.details.get("conflicts", []),
    )


@dataclass(frozen=True)
class SyncStatus:
    """The connection as ``hubspot status`` and the Connections page show it (never the token)."""

    token_configured: bool
    api_url: str
    last_sync: dict[str, Any] | None
    unfinished: bool
    next_mode: str


def status(engine: Engine) -> SyncStatus:
    """Whether a token is configured, the last sync and whether one is left to resume (docs/domain.md §12)."""
    with db.read(engine) as conn:
        latest = runs.latest(conn)
        open_run = runs.unfinished(conn)
        done = runs.last_done(conn)
    last = None
    if latest is not None:
        last = {"sync_id": latest.id, **_summary(latest)}
        last |= {"started_at": latest.started_at.isoformat(" "), "finished_at": _iso(latest.finished_at)}
    return SyncStatus(
        token_configured=hubspot_token() is not None,
        api_url=hubspot_url() or "https://api.hubapi.com",
        last_sync=last,
        unfinished=open_run is not None,
        next_mode="resume" if open_run is not None else ("incremental" if done is not None else "full"),
    )


def _iso(value: Any) -> str | None:
    return value.isoformat(" ") if value is not None else None
