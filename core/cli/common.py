"""What several command modules share: the parser that raises a usage error, dates, booleans, the contact
selection options and JSON-ready values. Command modules import this module, never the ``core.cli`` package."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeAlias

from sqlalchemy import Engine

from core.errors import DomainError, Sentence
from core.i18n import N_
from core.rules import record_id
from core.rules.confirmation import Confirmed
from core.rules.filters import parse_filter
from core.rules.selection import Selection

Handler: TypeAlias = Callable[[argparse.Namespace, Engine, date], dict[str, Any]]
Subcommands: TypeAlias = "argparse._SubParsersAction[Parser]"


class UsageError(DomainError):
    pass


class TypeRefused(argparse.ArgumentTypeError):
    """A value an option's type refuses. Its message is a ``Sentence``: the command line says it in
    ``MARKETABLE_LANGUAGE`` (argparse passes ``str(error)`` on, which keeps it)."""

    def __init__(self, message: str, /, **params: Any) -> None:
        self.sentence = message if isinstance(message, Sentence) and not params else Sentence(message, **params)
        super().__init__(str(self.sentence))

    def __str__(self) -> str:
        return self.sentence


class Parser(argparse.ArgumentParser):
    """Bad arguments raise UsageError (exit 2, one line on stderr) instead of printing usage and exiting."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("exit_on_error", False)  # a refused argument reaches parse_known_args whole (below)
        super().__init__(*args, **kwargs)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        try:
            return super().parse_known_args(args, namespace)
        except argparse.ArgumentError as err:  # what argparse says as "argument --x: problem"
            if err.argument_name is None:
                raise UsageError(err.message) from None
            raise UsageError(
                N_("argument {argument}: {problem}"), argument=err.argument_name, problem=err.message
            ) from None

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise TypeRefused(N_("expected a date YYYY-MM-DD, got {text}"), text=repr(text)) from None


def parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "on", "yes", "1"):
        return True
    if value in ("false", "off", "no", "0"):
        return False
    raise TypeRefused(N_("expected true or false, got {text}"), text=repr(text))


BIGGEST = 2**63 - 1  # the largest id, count or limit both engines store (SQLite and PostgreSQL BIGINT)


def _digits(text: str, low: int, high: int, what: str) -> int:
    digits = text.strip().replace(",", "").replace("_", "")
    if not (digits.isascii() and digits.isdigit()) or not low <= int(digits) <= high:
        raise TypeRefused(
            N_("expected {what}, {low} to {high} (ASCII digits), got {text}"),
            what=Sentence(what),
            low=low,
            high=high,
            text=repr(text),
        )
    return int(digits)


def parse_count(text: str) -> int:
    """A whole number, 0 or more, in ASCII digits (thousands separators allowed: 1,448), at most ``BIGGEST``."""
    return _digits(text, 0, BIGGEST, N_("a whole number"))


def whole_number(low: int = 0, high: int = BIGGEST, what: str = N_("a whole number")) -> Callable[[str], int]:
    """An argparse type: a whole number in ASCII digits between ``low`` and ``high`` (``int`` accepts ``١٢`` and
    numbers no engine stores)."""

    def parse(text: str) -> int:
        return _digits(text, low, high, what)

    parse.__name__ = what  # argparse names the type in its message
    return parse


parse_id = whole_number(1, BIGGEST, N_("an id"))


def seconds(text: str) -> float:
    """A number of seconds, 0 to a day (no NaN, no infinity: ``time.sleep`` refuses them)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 86_400:  # also false for NaN
        raise TypeRefused(
            N_("expected a number of seconds, {low} to {high}, got {text}"), low=0, high=86_400, text=repr(text)
        )
    return value


def add_expectations(parser: argparse.ArgumentParser, *, tier: bool = True) -> None:
    """``--expect-changes`` / ``--expect-tier-limit``: the figures of a dry run this change must still have."""
    parser.add_argument(
        "--expect-changes",
        type=parse_count,
        metavar="N",
        help="refuse (exit 3, nothing written) unless exactly N contacts would change (the dry run's will_change)",
    )
    parser.set_defaults(expect_tier_limit=None)
    if not tier:
        return
    parser.add_argument(
        "--expect-tier-limit",
        type=parse_count,
        metavar="N",
        help="refuse (exit 3, nothing written) unless the billed tier after is exactly N; consents to a rise to N",
    )


def confirmed_from(args: argparse.Namespace) -> Confirmed | None:
    """What the command line confirms: None when no --expect-* option is given."""
    if args.expect_changes is None and args.expect_tier_limit is None:
        return None
    return Confirmed(changes=args.expect_changes, tier_limit=args.expect_tier_limit)


def jsonable(value: Any) -> Any:
    """Dates as ISO text, tuples as lists, inside dicts and lists (what ``asdict`` of a service result gives)."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


def add_selection(parser: argparse.ArgumentParser, required: bool) -> None:
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument(
        "--ids", help="comma-separated Record IDs as the export writes them: HubSpot's (digits) or ours (mk-<id>)"
    )
    group.add_argument("--emails", help="comma-separated emails")
    group.add_argument("--filter", help='JSON list of {"property", "operator", "value"}')
    group.add_argument("--list", dest="list_name", help="a static list's name")
    group.add_argument("--unengaged", action="store_true", help="hard bounced or unsubscribed from all email")
    group.add_argument(
        "--all", dest="everyone", action="store_true", help="every contact, on purpose (an empty filter is not all)"
    )


def selection_from(args: argparse.Namespace) -> Selection:
    if args.ids is not None:
        try:  # Record IDs as the export writes them: HubSpot's digits, or mk-<id> (docs/domain.md §11)
            record_ids = tuple(r for x in args.ids.split(",") if (r := record_id.parse(x)) is not None)
        except record_id.RecordIdError as exc:
            raise UsageError(
                N_("--ids must be comma-separated Record IDs, got {ids}: {problem}"),
                ids=repr(args.ids),
                problem=str(exc),
            ) from None
        return Selection(record_ids=record_ids)
    if args.emails is not None:
        return Selection(emails=tuple(e for e in args.emails.split(",") if e.strip()))
    if args.filter is not None:
        return Selection(conditions=parse_filter(args.filter))
    if args.list_name is not None:
        return Selection(list_name=args.list_name)
    if args.unengaged:
        return Selection(unengaged=True)
    if args.everyone:
        return Selection(everyone=True)
    return Selection()
