"""Saved views on SQLite and PostgreSQL: named filters (conditions, quick filter, sort) kept in the database."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from core.errors import DomainError
from core.rules.filters import parse_filter
from core.services.contacts import ContactQuery
from core.services.views import delete_view, get_view, list_views, save_view
from tests.conftest import TODAY, Cli

FILTER = (
    '[{"property": "created_at", "operator": "before", "value": "2026-06-01"}, '
    '{"property": "list", "operator": "neq", "value": "VIP"}]'
)


def test_a_saved_view_comes_back_exactly_as_it_was_saved(engine: Engine) -> None:
    query = ContactQuery(parse_filter(FILTER), quick="unengaged", sort="last_name", descending=False)
    save_view(engine, name="Old unengaged", query=query, today=TODAY, actor="ann")
    assert get_view(engine, name="Old unengaged").query == query
    [view] = list_views(engine)
    assert (view.name, view.created_by) == ("Old unengaged", "ann")


def test_view_names_are_unique_unless_overwriting(engine: Engine) -> None:
    save_view(engine, name="V", query=ContactQuery(), today=TODAY, actor="ann")
    with pytest.raises(DomainError, match="already exists"):
        save_view(engine, name="V", query=ContactQuery(quick="pending"), today=TODAY, actor="ann")
    save_view(engine, name="V", query=ContactQuery(quick="pending"), today=TODAY, actor="bob", overwrite=True)
    assert get_view(engine, name="V").query.quick == "pending"
    assert delete_view(engine, name="V", today=TODAY, actor="ann") == "V"
    with pytest.raises(DomainError, match="no saved view"):
        get_view(engine, name="V")
    with pytest.raises(DomainError, match="no saved view"):
        delete_view(engine, name="V", today=TODAY, actor="ann")


def test_views_from_the_command_line(cli: Cli) -> None:
    saved = cli(
        "views",
        "save",
        "--name",
        "Leads",
        "--filter",
        '[{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}]',
        "--quick",
        "marketing",
        "--sort",
        "email",
        "--ascending",
    )
    assert "lifecycle_stage" in saved["filter"] and "marketing_status" in saved["filter"]
    [view] = cli("views", "list")["views"]
    assert (view["name"], view["quick"], view["sort"]) == ("Leads", "marketing", "email")
    cli("views", "save", "--name", "Bad", "--filter", '[{"property": "shoe_size"}]', expect=2)
    assert cli("views", "delete", "--name", "Leads") == {"deleted": "Leads"}


def test_saving_and_deleting_a_view_is_in_the_audit_with_its_name_and_filter(cli: Cli) -> None:
    leads = '[{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}]'
    cli("views", "save", "--name", "Leads", "--filter", leads, "--sort", "email", "--ascending")
    cli("views", "save", "--name", "Leads", "--quick", "pending", "--overwrite")
    cli("views", "delete", "--name", "Leads")
    entries = [e for e in reversed(cli("audit")["entries"]) if e["kind"].startswith("view_")]
    assert [(e["kind"], e["kind_label"], e["actor"], e["source_type"], e["source_id"]) for e in entries] == [
        ("view_saved", "Saved view saved", "cli", "view", "Leads"),
        ("view_saved", "Saved view saved", "cli", "view", "Leads"),
        ("view_deleted", "Saved view deleted", "cli", "view", "Leads"),
    ]
    assert [e["summary"] for e in entries] == [
        {
            "view": "Leads",
            "filter": "lifecycle stage is lead",
            "quick_filter": None,
            "sort": "Email, ascending",
            "replaced": False,
        },
        {
            "view": "Leads",
            "filter": None,
            "quick_filter": "Marketing contacts until next update",
            "sort": "Create date, descending",
            "replaced": True,
        },
        {
            "view": "Leads",
            "filter": None,
            "quick_filter": "Marketing contacts until next update",
            "sort": "Create date, descending",
        },
    ]
