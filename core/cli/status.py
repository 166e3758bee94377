"""The marketing status and what it bills: ``usage``, ``set-status``, ``apply-updates`` and ``simulate``."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from sqlalchemy import Engine

from core.cli.common import (
    Subcommands,
    UsageError,
    add_expectations,
    add_selection,
    confirmed_from,
    parse_date,
    selection_from,
    whole_number,
)
from core.i18n import N_
from core.rules.confirmation import differences
from core.rules.status import MarketingStatus
from core.services import forecast, status, updates, usage


def _usage(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    data = usage.get_usage(engine, today=today).as_json()
    data.pop("became_non_marketing")
    return data


def _set_status(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    selection, to, confirmed = selection_from(args), MarketingStatus.parse(args.to), confirmed_from(args)
    if args.dry_run:
        preview = status.preview_status_change(engine, selection=selection, to=to, today=today)
        extra = {"differences": differences(confirmed, preview.figures)} if confirmed else {}
        return preview.as_json() | extra
    return status.set_status(
        engine,
        selection=selection,
        to=to,
        today=today,
        actor=args.actor,
        allow_tier_upgrade=args.allow_tier_upgrade,
        confirmed=confirmed,
    ).as_json()


def _apply(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    return updates.apply_updates(engine, today=today, actor=args.actor).as_json()


def _simulate(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    data = usage.simulate(engine, today=today, on=args.on).as_json()
    data["simulated_from"] = today.isoformat()
    return data


def _forecast(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    if not 1 <= args.months <= 60:
        raise UsageError(N_("--months must be between 1 and 60"))
    return forecast.get_forecast(engine, today=today, months=args.months).as_json()


def register(sub: Subcommands) -> None:
    sub.add_parser("usage", help="counts, tier and dates as of today").set_defaults(handler=_usage)
    p = sub.add_parser("set-status", help="set contacts marketing or non-marketing")
    p.add_argument("--to", required=True, choices=["marketing", "non-marketing", "non_marketing"])
    add_selection(p, required=True)
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--allow-tier-upgrade", action="store_true")
    add_expectations(p)
    p.set_defaults(handler=_set_status)
    p = sub.add_parser("apply-updates", help="apply every update date up to today not yet applied")
    p.set_defaults(handler=_apply)
    p = sub.add_parser("simulate", help="usage on a future date if nothing else changes")
    p.add_argument("--on", type=parse_date)
    p.set_defaults(handler=_simulate)
    p = sub.add_parser("forecast", help="contacts, marketing contacts, tier and price on the coming update dates")
    p.add_argument(
        "--months", type=whole_number(1, 120, N_("a number of months")), default=forecast.MONTHS, metavar="N"
    )
    p.set_defaults(handler=_forecast)
