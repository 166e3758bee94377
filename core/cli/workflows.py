"""``python -m core workflows ...``: run (for cron), list, show, create, edit, enable, disable, delete, dry-run, log."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from sqlalchemy import Engine

from core.cli.common import (
    Parser,
    Subcommands,
    UsageError,
    add_expectations,
    confirmed_from,
    parse_id,
    seconds,
    whole_number,
)
from core.errors import Sentence
from core.i18n import N_
from core.rules.filters import MAX_JSON_CHARS, FilterError, load_json
from core.rules.workflows import parse_definition
from core.services.workflows import definitions as service
from core.services.workflows import engine as workflow_engine
from core.services.workflows import log as workflow_log
from core.services.workflows.engine import DEFAULT_BATCH_SIZE, DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_LOCK_TIMEOUT_MS


def _action(text: str) -> dict[str, Any]:
    """``set_marketing_status:non-marketing``, ``add_to_list:NAME``, ``remove_from_list:NAME`` or a JSON object."""
    if text.strip().startswith("{"):
        return _object(load_json(text, "--action"), "--action")
    kind, _, value = text.partition(":")
    key = "to" if kind.strip() == "set_marketing_status" else "list"
    return {"type": kind.strip(), key: value.strip()}


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        got = type(value).__name__ if value is not None else "null"
        raise UsageError(N_("{what} must be a JSON object, got {got}"), what=what, got=got)
    return value


def _file(name: str) -> dict[str, Any]:
    what = Sentence(N_("the workflow file {name}"), name=name)
    try:
        with open(name, "rb") as f:
            data = f.read(MAX_JSON_CHARS * 4 + 1)  # at most 4 bytes a character: never a whole huge file
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(N_("cannot read {what}: {problem}"), what=what, problem=str(exc)) from None
    try:
        return _object(load_json(text, what), what)
    except FilterError as exc:
        raise UsageError(str(exc)) from None


def _definition(args: argparse.Namespace, base: dict[str, Any] | None = None) -> dict[str, Any]:
    raw: dict[str, Any] = dict(base or {})
    if args.file:
        raw.update(_file(args.file))
    if args.name is not None:
        raw["name"] = args.name
    if args.filter is not None:
        raw["criteria"] = load_json(args.filter, "--filter")
    if args.actions:
        raw["actions"] = [_action(a) for a in args.actions]
    if args.reenroll is not None:
        raw["reenroll"] = args.reenroll
    return raw


def _definition_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--file", help="a JSON file: {name, criteria, actions, reenroll}")
    p.add_argument("--name")
    p.add_argument("--filter", help='enrollment criteria: JSON list of {"property", "operator", "value"}')
    p.add_argument(
        "--action",
        dest="actions",
        action="append",
        help="in order, repeatable: set_marketing_status:non-marketing | add_to_list:NAME | remove_from_list:NAME",
    )
    p.add_argument("--reenroll", action=argparse.BooleanOptionalAction, default=None, help="off by default")


def _run(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    return workflow_engine.run(
        engine,
        today,
        actor=args.actor,
        workflow_ids=args.workflow_ids,
        batch_size=args.batch_size,
        pause=args.pause,
        deadline=args.deadline,
        busy_timeout_ms=args.busy_timeout_ms,
        lock_timeout_ms=args.lock_timeout_ms,
    ).as_json()


def _add_run(wsub: Subcommands) -> None:
    r = wsub.add_parser("run", help="enroll matching contacts and apply waiting actions (for cron)")
    r.add_argument("--workflow", type=parse_id, action="append", dest="workflow_ids", help="only this workflow id")
    r.add_argument("--batch-size", type=whole_number(1, 100_000, N_("a batch size")), default=DEFAULT_BATCH_SIZE)
    r.add_argument("--pause", type=seconds, default=0.0, help="seconds between batches, to leave room to other writers")
    r.add_argument("--deadline", type=seconds, help="stop retrying after this many seconds (the next run goes on)")
    r.add_argument(
        "--busy-timeout-ms",
        type=whole_number(0, 3_600_000, N_(N_("milliseconds"))),
        default=DEFAULT_BUSY_TIMEOUT_MS,
        help="SQLite: wait for the lock",
    )
    r.add_argument(
        "--lock-timeout-ms",
        type=whole_number(0, 3_600_000, "milliseconds"),
        default=DEFAULT_LOCK_TIMEOUT_MS,
        help="PostgreSQL: row lock wait",
    )
    r.set_defaults(handler=_run)


def _list(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    return {"workflows": [w.as_json() for w in service.list_workflows(engine)]}


def _show(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    return service.get_workflow(engine, args.id).as_json()


def _disable(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    return service.disable_workflow(engine, args.id, today=today, actor=args.actor).as_json()


def _delete(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    return {"id": args.id, "deleted": service.delete_workflow(engine, args.id, today=today, actor=args.actor)}


def _add_by_id(wsub: Subcommands) -> None:
    wsub.add_parser("list", help="every workflow with its counts").set_defaults(handler=_list)
    for name, text, handler in (
        ("show", "one workflow", _show),
        ("disable", "stop enrolling and running", _disable),
        ("delete", "delete it, its enrollments and log", _delete),
    ):
        q = wsub.add_parser(name, help=text)
        q.add_argument("id", type=parse_id)
        q.set_defaults(handler=handler)


def _create(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    return service.create_workflow(engine, definition=_definition(args), today=today, actor=args.actor).as_json()


def _edit(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    base = service.get_workflow(engine, args.id).definition.as_dict()
    return service.update_workflow(
        engine,
        args.id,
        definition=_definition(args, base),
        today=today,
        actor=args.actor,
        allow_tier_upgrade=args.allow_tier_upgrade,
        confirmed=confirmed_from(args),
    ).as_json()


def _enable(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    dry = service.enable_workflow(
        engine,
        args.id,
        today=today,
        actor=args.actor,
        allow_tier_upgrade=args.allow_tier_upgrade,
        confirmed=confirmed_from(args),
    )
    return {"id": args.id, "enabled": True, "dry_run": dry.as_json()}


def _add_changes(wsub: Subcommands) -> None:
    c = wsub.add_parser("create", help="create a workflow (disabled)")
    _definition_args(c)
    c.set_defaults(handler=_create)
    e = wsub.add_parser("edit", help="change a workflow (given fields only)")
    e.add_argument("id", type=parse_id)
    _definition_args(e)
    e.add_argument("--allow-tier-upgrade", action="store_true")
    add_expectations(e)  # against the dry run of the edited workflow: would_enroll and tier_limit_after
    e.set_defaults(handler=_edit)
    en = wsub.add_parser("enable", help="enable after a dry run (exit 3 if the tier would rise without consent)")
    en.add_argument("id", type=parse_id)
    en.add_argument("--allow-tier-upgrade", action="store_true")
    add_expectations(en)  # against its dry run: would_enroll and tier_limit_after
    en.set_defaults(handler=_enable)


def _dry_run(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    if args.id is None:
        return service.dry_run(engine, today=today, definition=parse_definition(_definition(args))).as_json()
    definition = None
    if any(v is not None for v in (args.file, args.name, args.filter, args.actions, args.reenroll)):
        base = service.get_workflow(engine, args.id).definition.as_dict()
        definition = parse_definition(_definition(args, base))  # what the edit would do
    return service.dry_run(engine, today=today, workflow_id=args.id, definition=definition).as_json()


def _log(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    rows = workflow_log.attempts(engine, workflow_id=args.workflow, limit=args.limit)
    return {"attempts": [r.as_json() for r in rows]}


def _add_dry_run_and_log(wsub: Subcommands) -> None:
    d = wsub.add_parser("dry-run", help="who would enroll now and what it does to counts and tier")
    d.add_argument("id", type=parse_id, nargs="?")
    _definition_args(d)
    d.set_defaults(handler=_dry_run)
    lg = wsub.add_parser("log", help="the newest attempts, with errors")
    lg.add_argument("--workflow", type=parse_id)
    lg.add_argument("--limit", type=whole_number(1, 1000, N_("a number of attempts")), default=50)
    lg.set_defaults(handler=_log)


def register(sub: Subcommands) -> None:
    p = sub.add_parser("workflows", help="workflows that set marketing status (Professional and Enterprise)")
    wsub = p.add_subparsers(dest="workflows_command", required=True, parser_class=Parser)
    for add in (_add_run, _add_by_id, _add_changes, _add_dry_run_and_log):
        add(wsub)
