"""``python -m core worker`` (scheduled work, one leader across replicas) and ``python -m core jobs`` (background
jobs, newest first)."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from datetime import date
from typing import Any

from sqlalchemy import Engine

from core.cli.common import Subcommands, parse_id, seconds, whole_number
from core.errors import DomainError
from core.i18n import N_
from core.services import jobs
from core.services.worker import Schedule, Worker


def _worker(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    schedule = Schedule(updates_every=args.updates_every, workflows_every=args.workflows_every, poll=args.poll)
    worker = Worker(engine, actor=args.actor, schedule=schedule)
    stop = threading.Event()
    before = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        return worker.run(stop, for_seconds=args.for_seconds).as_json()
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


def _jobs(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    if args.id is not None:
        job = jobs.job_status(engine, args.id)
        if job is None:
            raise DomainError(N_("no job {id}"), id=str(args.id))
        return job.as_json()
    found = jobs.recent_jobs(engine, kind=args.kind, limit=args.limit)
    return {"jobs": [j.as_json() for j in found]}


def register(sub: Subcommands) -> None:
    p = sub.add_parser(
        "worker", help="run scheduled work (update dates, workflows): one leader among all workers, until stopped"
    )
    p.add_argument(
        "--updates-every",
        type=seconds,
        help="apply update dates every N seconds (default: daily at 00:05, and on start)",
    )
    p.add_argument(
        "--workflows-every", type=seconds, default=900.0, help="run enabled workflows every N seconds (0: never)"
    )
    p.add_argument("--poll", type=seconds, default=5.0, help="seconds between tries to lead (default 5)")
    p.add_argument("--for", dest="for_seconds", type=seconds, help="stop after N seconds (default: until SIGTERM)")
    p.set_defaults(handler=_worker)
    p = sub.add_parser("jobs", help="background jobs and scheduled runs, newest first")
    p.add_argument("--id", type=parse_id, help="one job")
    p.add_argument("--kind", help="only this kind (set_status, import, apply_updates, workflows_run)")
    p.add_argument("--limit", type=whole_number(1, 1000, N_("a number of jobs")), default=20)
    p.set_defaults(handler=_jobs)
