"""The command line ``python -m core``: parse, call one service, print one JSON object (a public interface).

Each command module declares its parsers next to their handlers (``register``); this module builds the top-level
parser from them in a fixed order, opens the database and calls the handler. Command modules import
``core.cli.common``, never this package: there is no import cycle and no registry filled in at import time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from core.cli import contacts, files, hubspot, setup, status, users, worker, workflows
from core.cli.common import Handler, Parser, parse_date
from core.errors import ConfirmationOutdated, DomainError, NotInitialised, TierUpgradeRequired, UndoRequired
from core.i18n import N_, MissingTranslation, Translator, message_text, translator
from core.rules.filters import FilterError
from core.services.setup import today_of
from core.settings import database_url
from core.store import engine as db
from core.store.access import acting_user
from core.store.account import is_initialised
from core.store.engine import make_engine, safe_url
from core.store.migrate import upgrade

# In this order in `python -m core --help`.
COMMAND_MODULES = (setup, files, status, contacts, users, workflows, hubspot, worker)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="python -m core", description="Marketable: marketing contacts from the command line.")
    parser.add_argument("--db", help="database URL (default: $MARKETABLE_DB_URL, else sqlite:///data/marketable.db)")
    parser.add_argument(
        "--today",
        type=parse_date,
        help="the date to act on (default: $MARKETABLE_TODAY, else today in the account's time zone); a change "
        "never acts on a future day nor on one before the last day acted on, and only an admin acts on another day",
    )
    parser.add_argument("--actor", default="cli", help="who is acting, recorded in events (default: cli)")
    parser.set_defaults(creates_account=False)  # only init sets it: it may run on a database never initialised
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def _sqlite_missing(url: str) -> bool:
    parsed = make_url(url)
    return (
        parsed.get_backend_name() == "sqlite"
        and bool(parsed.database)
        and parsed.database != ":memory:"
        and not Path(str(parsed.database)).exists()
    )


def _open(url: str) -> Engine:
    """Open an initialised database, migrating it if its schema is older."""
    if _sqlite_missing(url):
        raise NotInitialised()
    engine = make_engine(url)
    with db.read(engine) as conn:
        if not is_initialised(conn):
            raise NotInitialised()
    upgrade(engine)
    return engine


def run(argv: Sequence[str]) -> tuple[int, dict[str, Any] | None, str | None]:
    """Run one command: (exit code, JSON for stdout or None, message for stderr or None).

    The JSON is English whatever the language; the message is in the deployment's (``MARKETABLE_LANGUAGE``)."""
    t = translator()
    url = "?"
    engine: Engine | None = None
    try:
        args = build_parser().parse_args(list(argv))
        url = database_url(args.db)
        engine = make_engine(url) if args.creates_account else _open(url)
        args.actor = acting_user(engine, args.actor)  # once users exist, --actor must be an enabled user
        handler: Handler = args.handler
        return 0, handler(args, engine, args.today or today_of(engine)), None  # the deployment's day by default
    except (TierUpgradeRequired, ConfirmationOutdated, UndoRequired) as exc:  # exit 3, the figures still printed
        return exc.exit_code, exc.payload, _text(exc, t)
    except (DomainError, FilterError, ValueError) as exc:
        return getattr(exc, "exit_code", 2), None, _text(exc, t)
    except OperationalError as exc:
        detail = str(exc.orig).splitlines()[0]
        return 2, None, t(N_("database error ({url}): {detail}"), url=safe_url(url), detail=detail)
    except DBAPIError as exc:
        return 2, None, t(N_("database error: {detail}"), detail=str(exc.orig).splitlines()[0])
    except ArgumentError as exc:  # a --db / MARKETABLE_DB_URL that is not a usable database URL
        detail = str(exc).splitlines()[0]
        return 2, None, t(N_("bad database URL {url}: {detail}"), url=repr(safe_url(url)), detail=detail)
    except OSError as exc:  # a file that cannot be written or a folder that cannot be created
        return 2, None, f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc)
    finally:
        if engine is not None:
            engine.dispose()  # its connections closed now, not when collected (many runs in one process)


def _text(error: Exception, t: Translator) -> str:
    """An error's message in ``t``'s language (a ``DomainError`` or a rule's translatable refusal), else as it is."""
    try:
        return message_text(error, t)
    except MissingTranslation:  # strict mode (tests): a sentence the catalogue lacks is said in English
        return str(error)


def _say(text: str, stream: TextIO) -> None:
    """Print one line; a reader that left early (``| head -c 1``) is not an error: what was done is done."""
    try:
        print(text, file=stream, flush=True)
    except BrokenPipeError:
        # Point the stream at /dev/null so that Python's own flush at exit does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    code, payload, message = run(sys.argv[1:] if argv is None else argv)
    if payload is not None:
        _say(json.dumps(payload, default=str), sys.stdout)
    if message:
        _say(translator()(N_("error: {message}"), message=" ".join(message.splitlines())), sys.stderr)  # one line
    return code
