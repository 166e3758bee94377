"""The worker (``python -m core worker``, docs/architecture.md "The worker"): scheduled work off the dashboards.

Every worker process tries to lead (``core.store.leader``); only the leader's APScheduler fires the schedule, and
each scheduled run is first recorded as a job under its slot (the day, or the interval's number), unique per kind,
so a slot runs once even if two processes believed they led for a moment. Followers keep trying to lead, and take
over within ``poll`` seconds when the leader's process or connection goes. Every worker, leader or not, marks the
jobs of dead processes as failed.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

from core.errors import DomainError
from core.i18n import N_
from core.rules.requester import SYSTEM
from core.services import jobs
from core.services.background import UPDATES, updates_work, workflows_work
from core.services.setup import account_timezone, today_of
from core.services.workflows.definitions import enabled_workflows
from core.store import engine as db
from core.store.leader import Leadership

log = logging.getLogger(__name__)

WORKFLOWS = "workflows_run"


@dataclass(frozen=True)
class Schedule:
    """When the leader runs what. ``updates_every`` None: every day at 00:05 in the account's time zone (and once
    on taking the lead, to catch up); ``workflows_every`` None or 0: never."""

    updates_every: float | None = None
    workflows_every: float | None = 900.0
    poll: float = 5.0  # a follower tries to lead, a leader checks it still leads, this often

    def check(self) -> None:
        for name, value in (("--updates-every", self.updates_every), ("--workflows-every", self.workflows_every)):
            if value is not None and value < 0:
                raise DomainError(N_("{name} must be positive, not {value}"), name=name, value=str(value))
        if self.poll <= 0:
            raise DomainError(N_("--poll must be positive, not {value}"), value=str(self.poll))


@dataclass
class WorkerReport:
    """What a worker did, printed as JSON when it stops."""

    worker: str
    led_seconds: float = 0.0
    leader_changes: int = 0
    runs: list[dict[str, Any]] = field(default_factory=list)
    reaped: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "worker": self.worker,
            "led_seconds": round(self.led_seconds, 1),
            "leader_changes": self.leader_changes,
            "runs": self.runs,
            "reaped": self.reaped,
        }


def _slot(every: float | None, day: date) -> str:
    """The slot a run fills: the day for the daily schedule, else the number of the interval since the epoch."""
    return f"day:{day.isoformat()}" if not every else f"every{every:g}:{int(time.time() // every)}"


class Worker:
    def __init__(self, engine: Engine, *, actor: str, schedule: Schedule) -> None:
        schedule.check()
        self.engine, self.actor, self.schedule = engine, actor, schedule
        self.report = WorkerReport(jobs.process_name())
        self.leadership = Leadership(engine)
        self.lock = threading.Lock()

    def _record(self, kind: str, slot: str, job: jobs.Job | None) -> None:
        if job is None:
            log.info("%s %s: already run, or running, elsewhere", kind, slot)
            return
        log.info("%s %s: %s%s", kind, slot, job.state, f" ({job.error})" if job.error else "")
        with self.lock:
            self.report.runs.append({"kind": kind, "slot": slot, "job": job.id, "state": job.state})

    def updates(self) -> None:
        """Apply the update dates that have come (idempotent: a date already applied is applied nothing)."""
        today = today_of(self.engine)
        slot = _slot(self.schedule.updates_every, today)
        work = updates_work(self.engine, today)
        self._record(UPDATES, slot, jobs.run_scheduled(self.engine, kind=UPDATES, slot=slot, actor=SYSTEM, work=work))

    def workflows(self) -> None:
        """Run the enabled workflows (none enabled: nothing to record)."""
        with db.read(self.engine) as conn:
            if not enabled_workflows(conn):
                return
        today = today_of(self.engine)
        slot = _slot(self.schedule.workflows_every, today)
        work = workflows_work(self.engine, today, actor=self.actor)
        self._record(
            WORKFLOWS, slot, jobs.run_scheduled(self.engine, kind=WORKFLOWS, slot=slot, actor=self.actor, work=work)
        )

    def reap(self) -> None:
        try:
            found = jobs.reap(self.engine)
            jobs.prune(self.engine)
        except Exception:  # the database is away: try again next time
            log.warning("cannot mark dead jobs", exc_info=True)
            return
        with self.lock:
            self.report.reaped += found

    def _scheduler(self) -> BackgroundScheduler:
        tz = account_timezone(self.engine)
        scheduler = BackgroundScheduler(timezone=tz, job_defaults={"coalesce": True, "max_instances": 1})
        every = self.schedule.updates_every
        updates = IntervalTrigger(seconds=every, timezone=tz) if every else CronTrigger(hour=0, minute=5, timezone=tz)
        scheduler.add_job(self.updates, updates, id=UPDATES, misfire_grace_time=None)
        if self.schedule.workflows_every:
            trigger = IntervalTrigger(seconds=self.schedule.workflows_every, timezone=tz)
            scheduler.add_job(self.workflows, trigger, id=WORKFLOWS, misfire_grace_time=None)
        return scheduler

    def run(self, stop: threading.Event, *, for_seconds: float | None = None) -> WorkerReport:
        """Lead when possible, follow otherwise, until ``stop`` is set (or ``for_seconds`` have passed)."""
        scheduler = self._scheduler()
        scheduler.start(paused=True)
        ends = time.monotonic() + for_seconds if for_seconds is not None else None
        leading_since: float | None = None
        next_reap = 0.0
        try:
            while not stop.is_set() and (ends is None or time.monotonic() < ends):
                leads = self._leads()
                if leads and leading_since is None:
                    leading_since = time.monotonic()
                    self.report.leader_changes += 1
                    log.info("%s leads", self.report.worker)
                    scheduler.resume()
                    if not self.schedule.updates_every:  # the daily run: catch up at once on taking the lead
                        scheduler.add_job(self.updates, id="updates-on-lead", replace_existing=True)
                elif not leads and leading_since is not None:
                    log.warning("%s lost the lead", self.report.worker)
                    scheduler.pause()
                    self.report.led_seconds += time.monotonic() - leading_since
                    leading_since = None
                if time.monotonic() >= next_reap:
                    self.reap()
                    next_reap = time.monotonic() + 30
                stop.wait(self.schedule.poll)
        finally:
            scheduler.shutdown(wait=True)
            if leading_since is not None:
                self.report.led_seconds += time.monotonic() - leading_since
            self.leadership.release()
        return self.report

    def _leads(self) -> bool:
        try:
            return self.leadership.try_acquire()
        except Exception:  # the database is away: follow until it answers again
            log.warning("cannot reach the database to lead", exc_info=True)
            return False
