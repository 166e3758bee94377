"""``python -m core hubspot ...``: sync contacts from HubSpot, send a selection to a HubSpot static list, and the
connection's status (docs/domain.md §12). The access token comes from ``HUBSPOT_ACCESS_TOKEN`` or
``.streamlit/secrets.toml``; no option takes it, so it never lands in a shell history or a process list."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy import Engine

from core.cli.common import Parser, Subcommands, add_selection, selection_from
from core.services.hubspot import push, sync


def _sync(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    return sync.sync(engine, today=today, actor=args.actor, full=args.full).as_json()


def _push_list(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    chosen = selection_from(args)
    return push.push_list(engine, name=args.name, selection=chosen, today=today, actor=args.actor).as_json()


def _status(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    return asdict(sync.status(engine))


def register(sub: Subcommands) -> None:
    p = sub.add_parser("hubspot", help="the connection to HubSpot: sync, push-list, status")
    hub = p.add_subparsers(dest="hubspot_command", required=True, parser_class=Parser)
    q = hub.add_parser("sync", help="pull contacts from HubSpot (full the first time, then incremental; resumes)")
    q.add_argument("--full", action="store_true", help="read every contact again, not only those modified since")
    q.set_defaults(handler=_sync)
    q = hub.add_parser(
        "push-list",
        help="send the selected contacts to a HubSpot static list; finish in HubSpot: Manage marketing contacts → "
        "Use a list",
    )
    q.add_argument("name", help="the HubSpot static list's name (created if HubSpot has none)")
    add_selection(q, required=True)
    q.set_defaults(handler=_push_list)
    hub.add_parser("status", help="token configured (never shown), last sync, what the next sync does").set_defaults(
        handler=_status
    )
