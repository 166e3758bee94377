"""The command line ``python -m core``: parse, call one service, print one JSON object (a public interface)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from core import clock
from core.errors import DomainError, NotInitialised, TierUpgradeRequired
from core.rules.calendar import Commitment
from core.rules.filters import FilterError, parse_filter
from core.rules.selection import Selection
from core.rules.status import MarketingStatus
from core.rules.tiers import Edition
from core.services import exports, setup, status, updates, usage
from core.services.imports import service as imports
from core.settings import database_url
from core.store import engine as db
from core.store.access import acting_user
from core.store.account import is_initialised, load_account
from core.store.engine import make_engine, safe_url
from core.store.migrate import upgrade

Handler = Callable[[argparse.Namespace, Engine, date], dict[str, Any]]
COMMANDS: dict[str, Handler] = {}


class UsageError(DomainError):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def add_selection(parser: argparse.ArgumentParser, required: bool) -> None:
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument("--ids", help="comma-separated contact ids (Record ID)")
    group.add_argument("--emails", help="comma-separated emails")
    group.add_argument("--filter", help='JSON list of {"property", "operator", "value"}')
    group.add_argument("--list", dest="list_name", help="a static list's name")
    group.add_argument("--unengaged", action="store_true", help="hard bounced or unsubscribed from all email")


def selection_from(args: argparse.Namespace) -> Selection:
    if args.ids is not None:
        try:
            ids = tuple(int(x) for x in args.ids.split(",") if x.strip())
        except ValueError:
            raise UsageError(f"--ids must be comma-separated whole numbers, got {args.ids!r}") from None
        return Selection(ids=ids)
    if args.emails is not None:
        return Selection(emails=tuple(e for e in args.emails.split(",") if e.strip()))
    if args.filter is not None:
        return Selection(conditions=parse_filter(args.filter))
    if args.list_name is not None:
        return Selection(list_name=args.list_name)
    if args.unengaged:
        return Selection(unengaged=True)
    return Selection()


def command(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        COMMANDS[name] = handler
        return handler

    return register


@command("usage")
def _usage(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    data = usage.get_usage(engine, today=today).as_json()
    data.pop("became_non_marketing")
    return data


@command("simulate")
def _simulate(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    data = usage.simulate(engine, today=today, on=args.on).as_json()
    data["simulated_from"] = today.isoformat()
    return data


@command("apply-updates")
def _apply(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    return updates.apply_updates(engine, today=today, actor=args.actor).as_json()


@command("set-status")
def _set_status(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    selection, to = selection_from(args), MarketingStatus.parse(args.to)
    if args.dry_run:
        return status.preview_status_change(engine, selection=selection, to=to, today=today).as_json()
    return status.set_status(
        engine, selection=selection, to=to, today=today, actor=args.actor, allow_tier_upgrade=args.allow_tier_upgrade
    ).as_json()


@command("import")
def _import(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    return imports.import_csv(
        engine, Path(args.file), today=today, actor=args.actor, as_marketing=args.as_marketing
    ).as_json()


@command("export")
def _export(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    return {
        "exported": exports.write_export(engine, Path(args.file), selection=selection_from(args)),
        "file": args.file,
    }


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m core", description="Marketable: marketing contacts from the command line.")
    parser.add_argument("--db", help="database URL (default: $MARKETABLE_DB_URL, else sqlite:///data/marketable.db)")
    parser.add_argument("--today", type=_date, help="the date to act on (default: today in the account's time zone)")
    parser.add_argument("--actor", default="cli", help="who is acting, recorded in events (default: cli)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("init", help="create or migrate the database and set account settings")
    p.add_argument("--edition", choices=[e.value for e in Edition])
    p.add_argument("--commitment", choices=[c.value for c in Commitment])
    p.add_argument("--start-date", type=_date)
    p.add_argument("--demo", type=int, default=0, metavar="N", help="add N generated contacts")
    p.add_argument("--seed", type=int, default=1)
    p = sub.add_parser("import", help="import a HubSpot-format CSV")
    p.add_argument("file")
    p.add_argument("--as-marketing", action="store_true", help="new contacts without a status become marketing")
    p = sub.add_parser("export", help="export contacts as CSV")
    p.add_argument("file")
    add_selection(p, required=False)
    sub.add_parser("usage", help="counts, tier and dates as of today")
    p = sub.add_parser("set-status", help="set contacts marketing or non-marketing")
    p.add_argument("--to", required=True, choices=["marketing", "non-marketing", "non_marketing"])
    add_selection(p, required=True)
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--allow-tier-upgrade", action="store_true")
    sub.add_parser("apply-updates", help="apply every update date up to today not yet applied")
    p = sub.add_parser("simulate", help="usage on a future date if nothing else changes")
    p.add_argument("--on", type=_date)
    for extend in EXTENSIONS:
        extend(sub)
    return parser


# Later command groups (contacts, workflows, users, audit) register a parser builder here.
EXTENSIONS: list[Callable[[Any], None]] = []


def _sqlite_missing(url: str) -> bool:
    parsed = make_url(url)
    return (
        parsed.get_backend_name() == "sqlite"
        and bool(parsed.database)
        and parsed.database != ":memory:"
        and not Path(str(parsed.database)).exists()
    )


def _run_init(args: argparse.Namespace, engine: Engine) -> dict[str, Any]:
    today = args.today or clock.today_in("UTC")
    if args.demo < 0:
        raise UsageError("--demo must be 0 or more")
    return setup.init(
        engine,
        today=today,
        actor=args.actor,
        edition=Edition(args.edition) if args.edition else None,
        commitment=Commitment(args.commitment) if args.commitment else None,
        start_date=args.start_date,
        demo=args.demo,
        seed=args.seed,
    ).as_json()


def _open(url: str) -> tuple[Engine, date]:
    """Open an initialised database, migrating it if its schema is older; the account's time zone for today."""
    if _sqlite_missing(url):
        raise NotInitialised()
    engine = make_engine(url)
    with db.read(engine) as conn:
        if not is_initialised(conn):
            raise NotInitialised()
    upgrade(engine)
    with db.read(engine) as conn:
        return engine, clock.today_in(load_account(conn).timezone)


def run(argv: Sequence[str]) -> tuple[int, dict[str, Any] | None, str | None]:
    """Run one command: (exit code, JSON for stdout or None, message for stderr or None)."""
    url = "?"
    try:
        args = build_parser().parse_args(list(argv))
        url = database_url(args.db)
        if args.command == "init":
            engine = make_engine(url)
            args.actor = acting_user(engine, args.actor)  # once users exist, --actor must be an enabled user
            return 0, _run_init(args, engine), None
        engine, tz_today = _open(url)
        args.actor = acting_user(engine, args.actor)
        today: date = args.today or tz_today
        return 0, COMMANDS[args.command](args, engine, today), None
    except TierUpgradeRequired as exc:
        return exc.exit_code, exc.payload, str(exc)
    except (DomainError, FilterError, ValueError) as exc:
        return getattr(exc, "exit_code", 2), None, str(exc)
    except OperationalError as exc:
        return 2, None, f"database error ({safe_url(url)}): {str(exc.orig).splitlines()[0]}"
    except DBAPIError as exc:
        return 2, None, f"database error: {str(exc.orig).splitlines()[0]}"
    except ArgumentError as exc:  # a --db / MARKETABLE_DB_URL that is not a usable database URL
        return 2, None, f"bad database URL {safe_url(url)!r}: {str(exc).splitlines()[0]}"
    except OSError as exc:  # a file that cannot be written or a folder that cannot be created
        return 2, None, f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc)


def main(argv: Sequence[str] | None = None) -> int:
    code, payload, message = run(sys.argv[1:] if argv is None else argv)
    if payload is not None:
        print(json.dumps(payload, default=str))
    if message:
        print(f"error: {message}", file=sys.stderr)
    return code


import core.cli_contacts  # noqa: E402
import core.cli_users  # noqa: E402
import core.cli_workflows  # noqa: E402,F401
