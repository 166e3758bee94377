"""Contacts commands: create-contact, delete-contacts, contacts (page / show), lists, views, sources."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy import Engine

from core.cli import EXTENSIONS, add_selection, command, selection_from
from core.rules.filters import parse_filter
from core.services import contact_detail, contacts, lists, sources, views
from core.store.contact_pages import SORT_KEYS


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "on", "yes", "1"):
        return True
    if value in ("false", "off", "no", "0"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")


def _json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


@command("create-contact")
def _create(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    return sources.create_contact(
        engine,
        source=args.source,
        source_id=args.source_id,
        email=args.email,
        today=today,
        actor=args.actor,
        first_name=args.first_name,
        last_name=args.last_name,
        lifecycle_stage=args.lifecycle_stage,
        marketing=True if args.marketing else None,
        allow_tier_upgrade=args.allow_tier_upgrade,
    ).as_json()


@command("delete-contacts")
def _delete(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    return contacts.delete_contacts(engine, selection=selection_from(args), today=today, actor=args.actor).as_json()


def _query(args: argparse.Namespace) -> contacts.ContactQuery:
    conditions = parse_filter(args.filter) if args.filter else ()
    return contacts.ContactQuery(conditions, args.quick, args.sort, not args.ascending)


@command("contacts")
def _contacts(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    if args.action == "show":
        detail = contact_detail.get_contact(engine, contact_id=args.id)
        data = asdict(detail)
        data["history"] = [asdict(e) for e in detail.history]
        return _json(data)
    query = _query(args)
    found = contacts.page_of_contacts(engine, query=query, limit=args.limit)
    counts = contacts.count_matching(engine, selection=query.selection(), today=today)
    keep = ("id", "email", "first_name", "last_name", "lifecycle_stage", "state", "effective_on", "created_at")
    return _json({"matching": asdict(counts), "contacts": [{k: r[k] for k in keep} for r in found.rows]})


@command("lists")
def _lists(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    common = {"today": today, "actor": args.actor}
    if args.action == "list":
        return _json({"lists": [asdict(i) for i in lists.list_lists(engine)]})
    if args.action == "create":
        return _json(asdict(lists.create_list(engine, name=args.name, **common)))
    if args.action == "delete":
        return {"deleted": args.name, "memberships_removed": lists.delete_list(engine, name=args.name, **common)}
    selection = selection_from(args)
    if args.action == "add":
        return {"list": args.name, "added": lists.add_to_list(engine, name=args.name, selection=selection, **common)}
    removed = lists.remove_from_list(engine, name=args.name, selection=selection, **common)
    return {"list": args.name, "removed": removed}


@command("views")
def _views(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    if args.action == "delete":
        views.delete_view(engine, name=args.name, actor=args.actor)
        return {"deleted": args.name}
    if args.action == "save":
        saved = views.save_view(
            engine, name=args.name, query=_query(args), today=today, actor=args.actor, overwrite=args.overwrite
        )
        return {"saved": saved.name, "filter": saved.query.filter_json()}
    return {
        "views": [
            {"name": v.name, "filter": v.query.filter_json(), "quick": v.query.quick, "sort": v.query.sort}
            for v in views.list_views(engine)
        ]
    }


@command("sources")
def _sources(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    if args.action == "set":
        found = sources.set_source_default(
            engine,
            source=args.source,
            source_id=args.source_id,
            marketing=args.marketing,
            name=args.name,
            today=today,
            actor=args.actor,
        )
        return _json(asdict(found))
    return _json(
        {
            "tools": [asdict(s) for s in sources.list_source_settings(engine)],
            "always_non_marketing": list(sources.FIXED_SOURCES),
        }
    )


def _query_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--filter", help='JSON list of {"property", "operator", "value"}')
    p.add_argument("--quick", choices=list(contacts.QUICK_FILTERS))
    p.add_argument("--sort", choices=list(SORT_KEYS), default="created_at")
    p.add_argument("--ascending", action="store_true", help="oldest / A first (default: newest first)")


def _add_parsers(sub: Any) -> None:
    p = sub.add_parser("create-contact", help="create a contact as a tool would (default status by source)")
    p.add_argument("--source", required=True, help="form, chatflow, integration, import, manual or a fixed source")
    p.add_argument("--source-id", help="the form, chatflow, app or import id")
    p.add_argument("--email", required=True)
    p.add_argument("--first-name")
    p.add_argument("--last-name")
    p.add_argument("--lifecycle-stage")
    p.add_argument("--marketing", action="store_true", help="manual creation (or an import): make it marketing")
    p.add_argument("--allow-tier-upgrade", action="store_true")
    p = sub.add_parser("delete-contacts", help="delete contacts (the billed tier stays until renewal)")
    add_selection(p, required=True)
    p = sub.add_parser("contacts", help="a page of contacts, or one contact with its history")
    actions = p.add_subparsers(dest="action", required=True, parser_class=type(p))
    q = actions.add_parser("page")
    _query_args(q)
    q.add_argument("--limit", type=int, default=contacts.PAGE_SIZE)
    actions.add_parser("show").add_argument("--id", type=int, required=True)
    p = sub.add_parser("lists", help="static lists")
    actions = p.add_subparsers(dest="action", required=True, parser_class=type(p))
    actions.add_parser("list")
    for name in ("create", "delete", "add", "remove"):
        q = actions.add_parser(name)
        q.add_argument("--name", required=True, help="the list's name")
        if name in ("add", "remove"):
            add_selection(q, required=True)
    p = sub.add_parser("views", help="saved views of the Contacts index")
    actions = p.add_subparsers(dest="action", required=True, parser_class=type(p))
    actions.add_parser("list")
    q = actions.add_parser("save")
    q.add_argument("--name", required=True)
    _query_args(q)
    q.add_argument("--overwrite", action="store_true")
    actions.add_parser("delete").add_argument("--name", required=True)
    p = sub.add_parser("sources", help="default status of new contacts by form, chatflow and connected app")
    actions = p.add_subparsers(dest="action", required=True, parser_class=type(p))
    actions.add_parser("list")
    q = actions.add_parser("set")
    q.add_argument("--source", required=True, choices=[s.value for s in sources.PER_TOOL])
    q.add_argument("--source-id", required=True)
    q.add_argument("--marketing", type=_bool, required=True, help="true or false")
    q.add_argument("--name", help="a name people recognise")


EXTENSIONS.append(_add_parsers)
