"""``python -m core init``: create or migrate the database and set the account; the one command that runs on a
database that was never initialised (``creates_account``)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from sqlalchemy import Engine

from core.cli.common import BIGGEST, Subcommands, parse_date, whole_number
from core.i18n import N_
from core.rules.calendar import Commitment
from core.rules.tiers import Edition
from core.services import setup
from core.services.setup import MAX_DEMO_CONTACTS


def _init(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
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


def register(sub: Subcommands) -> None:
    p = sub.add_parser("init", help="create or migrate the database and set account settings")
    p.add_argument("--edition", choices=[e.value for e in Edition])
    p.add_argument("--commitment", choices=[c.value for c in Commitment])
    p.add_argument("--start-date", type=parse_date)
    p.add_argument(
        "--demo",
        type=whole_number(0, MAX_DEMO_CONTACTS, N_("a number of demo contacts")),
        default=0,
        metavar="N",
        help=f"add N generated contacts (at most {MAX_DEMO_CONTACTS:,})",
    )
    p.add_argument("--seed", type=whole_number(0, BIGGEST, N_("a seed")), default=1)
    p.set_defaults(handler=_init, creates_account=True)
