"""``python -m core users ...`` and ``python -m core audit ...``: users, roles, grants and the audit trail."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from sqlalchemy import Engine

from core.cli import EXTENSIONS, UsageError, _date, command
from core.rules.roles import Role
from core.services import audit, users


def _role(text: str) -> Role:
    try:
        return Role.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _read_password() -> str:
    """One line from standard input (so that it never shows in the process list or shell history)."""
    line = sys.stdin.readline()
    if not line:
        raise UsageError("--password-stdin: nothing on standard input")
    return line.rstrip("\r\n")


def _build(sub: Any) -> None:
    p = sub.add_parser("users", help="users, roles and the Marketing contact access grant")
    users_sub = p.add_subparsers(dest="users_command", required=True, parser_class=type(p))
    q = users_sub.add_parser("add", help="add a user (the first one must be an admin: it ends local mode)")
    q.add_argument("--username", required=True)
    q.add_argument("--role", required=True, type=_role, help="admin, editor or viewer")
    q.add_argument("--email", help="the email an OpenID Connect sign-in maps to")
    q.add_argument("--display-name")
    q.add_argument("--password-stdin", action="store_true", help="read a local sign-in password from stdin")
    users_sub.add_parser("list", help="every user")
    q = users_sub.add_parser("set-role", help="change a user's role")
    q.add_argument("--username", required=True)
    q.add_argument("--role", required=True, type=_role)
    for name, text in (
        ("grant", "grant Marketing contact access"),
        ("revoke", "revoke Marketing contact access"),
        ("disable", "disable a user (their sessions end)"),
        ("enable", "enable a disabled user"),
    ):
        users_sub.add_parser(name, help=text).add_argument("--username", required=True)
    q = users_sub.add_parser("set-password", help="set a local password (also lifts a lockout)")
    q.add_argument("--username", required=True)
    q.add_argument("--password-stdin", action="store_true", required=True)
    p = sub.add_parser("audit", help="the audit trail: status changes, imports, updates, settings, users, sign-ins")
    p.add_argument("--actor", dest="actor_filter", metavar="USERNAME", help="only what this actor did")
    p.add_argument("--kind", action="append", help="operation kind (repeatable), e.g. set_status, import, sign_in")
    p.add_argument("--source", help="source type, e.g. bulk_action, import, workflow, user, sign_in")
    p.add_argument("--since", type=_date, help="first day, YYYY-MM-DD")
    p.add_argument("--until", type=_date, help="last day, YYYY-MM-DD")
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--limit", type=int, default=100, help="entries per page (at most 1000)")
    p.add_argument("--csv", metavar="FILE", help="write every matching entry to FILE as CSV")


EXTENSIONS.append(_build)


@command("users")
def _users(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    action, actor = args.users_command, args.actor
    if action == "list":
        return {"users": [u.as_json() for u in users.list_users(engine)]}
    if action == "add":
        user = users.add_user(
            engine,
            username=args.username,
            role=args.role,
            actor=actor,
            today=today,
            password=_read_password() if args.password_stdin else None,
            email=args.email,
            display_name=args.display_name,
        )
    elif action == "set-role":
        user = users.set_role(engine, username=args.username, role=args.role, actor=actor, today=today)
    elif action in ("grant", "revoke"):
        granted = action == "grant"
        user = users.set_marketing_access(engine, username=args.username, granted=granted, actor=actor, today=today)
    elif action in ("disable", "enable"):
        disabled = action == "disable"
        user = users.set_disabled(engine, username=args.username, disabled=disabled, actor=actor, today=today)
    else:
        password = _read_password()
        user = users.set_password(engine, username=args.username, password=password, actor=actor, today=today)
    return {"user": user.as_json()}


@command("audit")
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
