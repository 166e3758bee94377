"""Contacts commands: ``create-contact``, ``delete-contacts``, ``contacts`` (page / show), ``lists``, ``views`` and
``sources``; each parser is declared next to its handlers."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy import Engine

from core.cli.common import (
    Parser,
    Subcommands,
    add_expectations,
    add_selection,
    confirmed_from,
    jsonable,
    parse_bool,
    parse_id,
    selection_from,
    whole_number,
)
from core.i18n import N_
from core.rules.filters import parse_filter
from core.rules.record_id import text_of
from core.services import contact_detail, contacts, lists, sources, views
from core.store.contact_pages import SORT_KEYS


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
        confirmed=confirmed_from(args),
    ).as_json()


def _delete(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    return contacts.delete_contacts(
        engine, selection=selection_from(args), today=today, actor=args.actor, confirmed=confirmed_from(args)
    ).as_json()


def _add_create_and_delete(sub: Subcommands) -> None:
    p = sub.add_parser("create-contact", help="create a contact as a tool would (default status by source)")
    p.add_argument("--source", required=True, help="form, chatflow, integration, import, manual or a fixed source")
    p.add_argument("--source-id", help="the form, chatflow, app or import id")
    p.add_argument("--email", required=True)
    p.add_argument("--first-name")
    p.add_argument("--last-name")
    p.add_argument("--lifecycle-stage")
    p.add_argument("--marketing", action="store_true", help="manual creation (or an import): make it marketing")
    p.add_argument("--allow-tier-upgrade", action="store_true")
    add_expectations(p)  # will_change is 1 when the contact is created or its status changes
    p.set_defaults(handler=_create)
    p = sub.add_parser("delete-contacts", help="delete contacts (the billed tier stays until renewal)")
    add_selection(p, required=True)
    add_expectations(p, tier=False)  # exactly N contacts deleted, or none
    p.set_defaults(handler=_delete)


def _query(args: argparse.Namespace) -> contacts.ContactQuery:
    conditions = parse_filter(args.filter) if args.filter else ()
    return contacts.ContactQuery(conditions, args.quick, args.sort, not args.ascending)


def _query_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--filter", help='JSON list of {"property", "operator", "value"}')
    p.add_argument("--quick", choices=list(contacts.QUICK_FILTERS))
    p.add_argument("--sort", choices=list(SORT_KEYS), default="created_at")
    p.add_argument("--ascending", action="store_true", help="oldest / A first (default: newest first)")


def _page(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    query = _query(args)
    found = contacts.page_of_contacts(engine, query=query, limit=args.limit)
    counts = contacts.count_matching(engine, selection=query.selection(), today=today)
    keep = ("id", "email", "first_name", "last_name", "lifecycle_stage", "state", "effective_on", "created_at")
    rows = [{k: r[k] for k in keep} | {"record_id": text_of(r["id"], r["hubspot_id"])} for r in found.rows]
    return jsonable({"matching": asdict(counts), "contacts": rows})


def _show(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    detail = contact_detail.get_contact(engine, contact_id=args.id)
    data = asdict(detail)
    data["history"] = [asdict(e) for e in detail.history]
    return jsonable(data)


def _add_contacts(sub: Subcommands) -> None:
    p = sub.add_parser("contacts", help="a page of contacts, or one contact with its history")
    actions = p.add_subparsers(dest="action", required=True, parser_class=Parser)
    q = actions.add_parser("page")
    _query_args(q)
    q.add_argument("--limit", type=whole_number(1, 1000, N_("a page size")), default=contacts.PAGE_SIZE)
    q.set_defaults(handler=_page)
    q = actions.add_parser("show")
    q.add_argument("--id", type=parse_id, required=True)
    q.set_defaults(handler=_show)


def _lists(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    return jsonable({"lists": [asdict(i) for i in lists.list_lists(engine)]})


def _create_list(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    return jsonable(asdict(lists.create_list(engine, name=args.name, today=today, actor=args.actor)))


def _delete_list(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    removed = lists.delete_list(engine, name=args.name, today=today, actor=args.actor)
    return {"deleted": args.name, "memberships_removed": removed}


def _add_to_list(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    selection = selection_from(args)
    added = lists.add_to_list(engine, name=args.name, selection=selection, today=today, actor=args.actor)
    return {"list": args.name, "added": added}


def _remove_from_list(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    selection = selection_from(args)
    removed = lists.remove_from_list(engine, name=args.name, selection=selection, today=today, actor=args.actor)
    return {"list": args.name, "removed": removed}


def _add_lists(sub: Subcommands) -> None:
    p = sub.add_parser("lists", help="static lists")
    actions = p.add_subparsers(dest="action", required=True, parser_class=Parser)
    actions.add_parser("list").set_defaults(handler=_lists)
    for name, handler in (
        ("create", _create_list),
        ("delete", _delete_list),
        ("add", _add_to_list),
        ("remove", _remove_from_list),
    ):
        q = actions.add_parser(name)
        q.add_argument("--name", required=True, help="the list's name")
        if name in ("add", "remove"):
            add_selection(q, required=True)
        q.set_defaults(handler=handler)


def _views(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    return {
        "views": [
            {"name": v.name, "filter": v.query.filter_json(), "quick": v.query.quick, "sort": v.query.sort}
            for v in views.list_views(engine)
        ]
    }


def _save_view(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    saved = views.save_view(
        engine, name=args.name, query=_query(args), today=today, actor=args.actor, overwrite=args.overwrite
    )
    return {"saved": saved.name, "filter": saved.query.filter_json()}


def _delete_view(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    views.delete_view(engine, name=args.name, today=today, actor=args.actor)
    return {"deleted": args.name}


def _add_views(sub: Subcommands) -> None:
    p = sub.add_parser("views", help="saved views of the Contacts index")
    actions = p.add_subparsers(dest="action", required=True, parser_class=Parser)
    actions.add_parser("list").set_defaults(handler=_views)
    q = actions.add_parser("save")
    q.add_argument("--name", required=True)
    _query_args(q)
    q.add_argument("--overwrite", action="store_true")
    q.set_defaults(handler=_save_view)
    q = actions.add_parser("delete")
    q.add_argument("--name", required=True)
    q.set_defaults(handler=_delete_view)


def _sources(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    return jsonable(
        {
            "tools": [asdict(s) for s in sources.list_source_settings(engine)],
            "always_non_marketing": list(sources.FIXED_SOURCES),
        }
    )


def _set_source(args: argparse.Namespace, engine: Engine, today: date) -> dict[str, Any]:
    found = sources.set_source_default(
        engine,
        source=args.source,
        source_id=args.source_id,
        marketing=args.marketing,
        name=args.name,
        today=today,
        actor=args.actor,
    )
    return jsonable(asdict(found))


def _add_sources(sub: Subcommands) -> None:
    p = sub.add_parser("sources", help="default status of new contacts by form, chatflow and connected app")
    actions = p.add_subparsers(dest="action", required=True, parser_class=Parser)
    actions.add_parser("list").set_defaults(handler=_sources)
    q = actions.add_parser("set")
    q.add_argument("--source", required=True, choices=[s.value for s in sources.PER_TOOL])
    q.add_argument("--source-id", required=True)
    q.add_argument("--marketing", type=parse_bool, required=True, help="true or false")
    q.add_argument("--name", help="a name people recognise")
    q.set_defaults(handler=_set_source)


def register(sub: Subcommands) -> None:
    for add in (_add_create_and_delete, _add_contacts, _add_lists, _add_views, _add_sources):
        add(sub)
