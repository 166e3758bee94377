"""Long changes off the page (docs/architecture.md, "Long work"): a bulk status change, the update dates that have
come, an import and a workflow run, each started as a background job that runs the very service a small change
calls, in one transaction, and reports its progress. ``runs_in_background`` says when a change is long enough."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy import Engine

from core.i18n import N_
from core.rules.confirmation import Confirmed
from core.rules.requester import SYSTEM
from core.rules.selection import Selection
from core.rules.status import MarketingStatus
from core.services import jobs
from core.services.hubspot import sync as hubspot_sync
from core.services.imports.apply import NO_CONSENT, Consent
from core.services.imports.service import import_csv
from core.services.status import set_status
from core.services.updates import apply_updates
from core.services.workflows import engine as workflow_engine
from core.settings import background_from
from core.store import engine as db
from core.store.access import Action, authorize
from core.store.counts import pending_due_count

UPDATES = "apply_updates"
WORKFLOWS_STEP = N_("enrolling and applying workflow actions")  # a job's step, stored in English; the sidebar says it


def runs_in_background(contacts: int) -> bool:
    """A change of at least ``MARKETABLE_BACKGROUND_FROM`` contacts or rows (100,000 by default) runs as a job."""
    return contacts >= background_from()


def _may(engine: Engine, actor: str, *needs: Action) -> None:
    """The service checks again in its transaction; this only refuses before a job is started for nothing."""
    with db.read(engine) as conn:
        authorize(conn, actor, *needs)


def set_status_job(
    engine: Engine,
    *,
    selection: Selection,
    to: MarketingStatus,
    today: date,
    actor: str,
    confirmed: Confirmed | None = None,
    allow_tier_upgrade: bool = False,
    label: str = "",
) -> int:
    """Start ``set_status`` as a job (same checks, same confirmation, one transaction); its id."""
    selection.check_for_change()
    _may(engine, actor, Action.CHANGE_STATUS)  # refused at once, not in the job: nothing is started
    params: dict[str, Any] = {"to": to.option, "label": label, "today": today.isoformat()}
    if confirmed is not None:
        params["confirmed"] = asdict(confirmed)

    def work(progress: jobs.Progress) -> dict[str, Any]:
        change = set_status(
            engine,
            selection=selection,
            to=to,
            today=today,
            actor=actor,
            confirmed=confirmed,
            allow_tier_upgrade=allow_tier_upgrade,
            progress=progress,
        )
        return change.as_json()

    return jobs.start_job(engine, kind="set_status", actor=actor, params=params, work=work)


def import_job(
    engine: Engine,
    data: bytes,
    *,
    today: date,
    actor: str,
    as_marketing: bool = False,
    consent: Consent = NO_CONSENT,
    file_name: str | None = None,
) -> int:
    """Start ``import_csv`` of ``data`` as a job (the file is kept in this process's memory while it runs). Who may
    not import at all is refused at once; what the file's rows need (the grant, for statuses or for contacts an
    enabled status workflow would enroll; the consent to undo or to raise the tier) is checked by the import
    itself, which then fails the job with nothing written."""
    _may(engine, actor, Action.EDIT_CONTACTS, *((Action.CHANGE_STATUS,) if as_marketing else ()))
    params = {"file_name": file_name, "bytes": len(data), "as_marketing": as_marketing, "today": today.isoformat()}

    def work(progress: jobs.Progress) -> dict[str, Any]:
        result = import_csv(
            engine,
            data,
            today=today,
            actor=actor,
            as_marketing=as_marketing,
            consent=consent,
            file_name=file_name,
            progress=progress,
        )
        return result.as_json()

    return jobs.start_job(engine, kind="import", actor=actor, params=params, work=work)


SYNC = hubspot_sync.SYNC_KIND


def sync_job(engine: Engine, *, today: date, actor: str, full: bool = False) -> int:
    """Start a HubSpot sync as a job, whatever its size (how many contacts HubSpot holds is known only once it
    answers): the page can be left, and the sidebar follows it. The sync writes page by page and resumes where it
    stopped (``core.services.hubspot.sync``). One sync at a time: while one runs, its id is returned instead."""
    _may(engine, actor, *hubspot_sync.NEEDS)
    if (running := jobs.running_job(engine, kind=SYNC)) is not None:
        return running.id

    def work(progress: jobs.Progress) -> dict[str, Any]:
        return hubspot_sync.sync(engine, today=today, actor=actor, full=full, progress=progress).as_json()

    params = {"full": full, "today": today.isoformat()}
    return jobs.start_job(engine, kind=SYNC, actor=actor, params=params, work=work)


def due_updates(engine: Engine, *, today: date) -> int:
    """How many pending contacts the update dates that have come by ``today`` would move."""
    with db.read(engine) as conn:
        return pending_due_count(conn, today)


def updates_work(engine: Engine, today: date) -> jobs.Work:
    def work(progress: jobs.Progress) -> dict[str, Any]:
        return apply_updates(engine, today=today, actor=SYSTEM, progress=progress).as_json()

    return work


def updates_job(engine: Engine, *, today: date) -> int | None:
    """Start applying the update dates that have come as a job, once a day across sessions, replicas and the
    worker (the day is the job's slot); None when that day's run has already started or finished."""
    return jobs.start_job(
        engine,
        kind=UPDATES,
        actor=SYSTEM,
        params={"today": today.isoformat()},
        work=updates_work(engine, today),
        slot=f"day:{today.isoformat()}",
    )


def workflows_work(engine: Engine, today: date, *, actor: str, deadline: float | None = None) -> jobs.Work:
    def work(progress: jobs.Progress) -> dict[str, Any]:
        progress(0.05, WORKFLOWS_STEP)
        return workflow_engine.run(engine, today, actor=actor, deadline=deadline).as_json()

    return work
