"""``python -m core users ...`` and ``python -m core audit ...``: users, roles, grants and the audit trail."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from sqlalchemy import Engine

from core.cli.common import Parser, Subcommands, TypeRefused, UsageError, parse_date, whole_number
from core.i18n import N_
from core.rules.roles import Role
from core.services import audit, users


def _role(text: str) -> Role:
    try:
        return Role.parse(text)
    except ValueError as exc:
        raise TypeRefused(str(exc)) from None


def _read_password() -> str:
    """One line from standard input (so that it never shows in the process list or shell history)."""
    line = sys.stdin.readline()
    if not line:
        raise UsageError(N_("--password-stdin: nothing on standard input"))
    return line.rstrip("\r\n")


def _list(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    return {"users": [u.as_json() for u in users.list_users(engine)]}


def _add(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    user = users.add_user(
        engine,
        username=args.username,
        role=args.role,
        actor=args.actor,
        today=today,
        password=_read_password() if args.password_stdin else None,
        email=args.email,
        display_name=args.display_name,
    )
    return {"user": user.as_json()}


def _set_role(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    user = users.set_role(engine, username=args.username, role=args.role, actor=args.actor, today=today)
    return {"user": user.as_json()}


def _set_access(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    granted, actor = args.granted, args.actor
    user = users.set_marketing_access(engine, username=args.username, granted=granted, actor=actor, today=today)
    return {"user": user.as_json()}


def _set_disabled(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    disabled, actor = args.disabled, args.actor
    user = users.set_disabled(engine, username=args.username, disabled=disabled, actor=actor, today=today)
    return {"user": user.as_json()}


def _set_password(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    password = _read_password()
    user = users.set_password(engine, username=args.username, password=password, actor=args.actor, today=today)
    return {"user": user.as_json()}


def _add_users(sub: Subcommands) -> None:
    p = sub.add_parser("users", help="users, roles and the Marketing contact access grant")
    users_sub = p.add_subparsers(dest="users_command", required=True, parser_class=Parser)
    q = users_sub.add_parser("add", help="add a user (the first one must be an admin: it ends local mode)")
    q.add_argument("--username", required=True)
    q.add_argument("--role", required=True, type=_role, help="admin, editor or viewer")
    q.add_argument("--email", help="the email an OpenID Connect sign-in maps to")
    q.add_argument("--display-name")
    q.add_argument("--password-stdin", action="store_true", help="read a local sign-in password from stdin")
    q.set_defaults(handler=_add)
    users_sub.add_parser("list", help="every user").set_defaults(handler=_list)
    q = users_sub.add_parser("set-role", help="change a user's role")
    q.add_argument("--username", required=True)
    q.add_argument("--role", required=True, type=_role)
    q.set_defaults(handler=_set_role)
    for name, text, defaults in (
        ("grant", "grant Marketing contact access", {"handler": _set_access, "granted": True}),
        ("revoke", "revoke Marketing contact access", {"handler": _set_access, "granted": False}),
        ("disable", "disable a user (their sessions end)", {"handler": _set_disabled, "disabled": True}),
        ("enable", "enable a disabled user", {"handler": _set_disabled, "disabled": False}),
    ):
        q = users_sub.add_parser(name, help=text)
        q.add_argument("--username", required=True)
        q.set_defaults(**defaults)
    q = users_sub.add_parser("set-password", help="set a local password (also lifts a lockout)")
    q.add_argument("--username", required=True)
    q.add_argument("--password-stdin", action="store_true", required=True)
    q.set_defaults(handler=_set_password)


def _audit(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    criteria = audit.AuditFilter(
        actor=args.actor_filter,
        kinds=tuple(args.kind or ()),
        source_type=args.source,
        since=args.since,
        until=args.until,
    )
    if args.csv:
        return {"exported": audit.write_audit_csv(engine, args.csv, criteria=criteria), "file": args.csv}
    return audit.list_audit(engine, criteria=criteria, page=args.page, page_size=args.limit).as_json()


def _add_audit(sub: Subcommands) -> None:
    p = sub.add_parser(
        "audit", help="the audit trail: status changes, imports, updates, lists, views, settings, users, sign-ins"
    )
    p.add_argument("--actor", dest="actor_filter", metavar="USERNAME", help="only what this actor did")
    p.add_argument(
        "--kind",
        action="append",
        help="operation kind (repeatable), e.g. set_status, import, list_members_added, view_saved, sign_in",
    )
    p.add_argument("--source", help="source type, e.g. bulk_action, import, workflow, list, view, user, sign_in")
    p.add_argument("--since", type=parse_date, help="first day acted on, YYYY-MM-DD")
    p.add_argument("--until", type=parse_date, help="last day acted on, YYYY-MM-DD")
    p.add_argument("--page", type=whole_number(1, 10**15, N_("a page number")), default=1)
    p.add_argument(
        "--limit", type=whole_number(1, 1000, N_("a page size")), default=100, help="entries per page (at most 1000)"
    )
    p.add_argument("--csv", metavar="FILE", help="write every matching entry to FILE as CSV")
    p.set_defaults(handler=_audit)


def register(sub: Subcommands) -> None:
    _add_users(sub)
    _add_audit(sub)
