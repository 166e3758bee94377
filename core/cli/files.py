"""``python -m core import FILE`` and ``export FILE``: contacts in and out as HubSpot-format CSV."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from core.cli.common import Subcommands, add_selection, selection_from
from core.services import exports
from core.services.imports import service as imports


def _import(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    consent = imports.Consent(undo=args.allow_undo, tier_upgrade=args.allow_tier_upgrade)
    return imports.import_csv(
        engine, Path(args.file), today=today, actor=args.actor, as_marketing=args.as_marketing, consent=consent
    ).as_json()


def _export(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    return {
        "exported": exports.write_export(engine, Path(args.file), selection=selection_from(args)),
        "file": args.file,
    }


def register(sub: Subcommands) -> None:
    p = sub.add_parser("import", help="import a HubSpot-format CSV")
    p.add_argument("file")
    p.add_argument("--as-marketing", action="store_true", help="new contacts without a status become marketing")
    p.add_argument(
        "--allow-undo",
        action="store_true",
        help="consent to undoing scheduled non-marketing changes (without it such an import exits 3, writing nothing)",
    )
    p.add_argument(
        "--allow-tier-upgrade",
        action="store_true",
        help="consent to raising the billed tier (without it such an import exits 3, writing nothing)",
    )
    p.set_defaults(handler=_import)
    p = sub.add_parser("export", help="export contacts as CSV")
    p.add_argument("file")
    add_selection(p, required=False)
    p.set_defaults(handler=_export)
