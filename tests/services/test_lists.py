"""Static lists on SQLite and PostgreSQL: create, add selected or all matching (set-based), remove, delete."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from core.errors import DomainError
from core.rules.filters import parse_filter
from core.rules.selection import Selection
from core.services.contacts import ContactQuery, count_matching
from core.services.lists import add_to_list, create_list, delete_list, list_lists, remove_from_list
from tests.conftest import TODAY, Cli
from tests.factories import add_contacts, count


def _sizes(engine: Engine) -> dict[str, int]:
    return {i.name: i.size for i in list_lists(engine)}


def test_lists_are_created_filled_emptied_and_deleted_without_touching_contacts(engine: Engine) -> None:
    leads = add_contacts(engine, 5, state="marketing", prefix="l", lifecycle_stage="lead")
    add_contacts(engine, 3, state="marketing", prefix="c", lifecycle_stage="customer")
    create_list(engine, name=" Webinar ", today=TODAY, actor="ann")
    assert _sizes(engine) == {"Webinar": 0}
    assert add_to_list(engine, name="Webinar", selection=Selection(ids=tuple(leads[:2])), today=TODAY, actor="ann") == 2
    everyone_lead = ContactQuery(parse_filter('[{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}]'))
    added = add_to_list(engine, name="Webinar", selection=everyone_lead.selection(), today=TODAY, actor="ann")
    assert added == 3, "members already in the list are not added twice"
    assert _sizes(engine) == {"Webinar": 5}
    in_list = Selection(list_name="Webinar")
    assert count_matching(engine, selection=in_list, today=TODAY).total == 5
    removed = remove_from_list(
        engine, name="Webinar", selection=Selection(ids=(leads[0], leads[1])), today=TODAY, actor="a"
    )
    assert removed == 2 and _sizes(engine) == {"Webinar": 3}
    assert delete_list(engine, name="Webinar", today=TODAY, actor="ann") == 3
    assert list_lists(engine) == [] and count(engine, "contacts") == 8


def test_list_names_are_unique_and_unknown_lists_are_named(engine: Engine) -> None:
    create_list(engine, name="A", today=TODAY, actor="ann")
    with pytest.raises(DomainError, match="already exists"):
        create_list(engine, name="A", today=TODAY, actor="ann")
    with pytest.raises(DomainError, match="name"):
        create_list(engine, name="  ", today=TODAY, actor="ann")
    with pytest.raises(DomainError, match="no static list named 'B'"):
        add_to_list(engine, name="B", selection=Selection(), today=TODAY, actor="ann")
    with pytest.raises(DomainError, match="no static list"):
        delete_list(engine, name="B", today=TODAY, actor="ann")


def test_a_list_filled_from_a_filter_drives_a_status_change_from_the_command_line(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 4, state="marketing", prefix="u", unsubscribed_all=True)
    add_contacts(engine, 2, state="marketing", prefix="k")
    cli("lists", "create", "--name", "Cleanup")
    assert cli("lists", "add", "--name", "Cleanup", "--unengaged")["added"] == 4
    assert cli("lists", "list")["lists"][0]["size"] == 4
    assert cli("set-status", "--to", "non-marketing", "--list", "Cleanup")["scheduled"] == 4
    assert cli("lists", "remove", "--name", "Cleanup", "--emails", "u0@example.com")["removed"] == 1
    assert cli("lists", "delete", "--name", "Cleanup")["memberships_removed"] == 3
    cli("lists", "add", "--name", "Cleanup", "--unengaged", expect=2)


def _audit(cli: Cli, kind_prefix: str) -> list[dict]:
    entries = cli("audit")["entries"]
    return [e for e in reversed(entries) if e["kind"].startswith(kind_prefix)]


def test_every_list_change_is_in_the_audit_with_who_when_which_list_and_how_many(engine: Engine, cli: Cli) -> None:
    ids = add_contacts(engine, 3, state="non_marketing")
    cli("lists", "create", "--name", "Webinar")
    cli("lists", "add", "--name", "Webinar", "--ids", ",".join(map(str, ids)))
    cli("lists", "add", "--name", "Webinar", "--ids", str(ids[0]))  # already a member: nothing changes, no entry
    cli(
        "lists",
        "remove",
        "--name",
        "Webinar",
        "--filter",
        '[{"property": "email", "operator": "eq", "value": "c0@example.com"}]',
    )
    cli("lists", "delete", "--name", "Webinar")
    entries = _audit(cli, "list_")
    assert [(e["kind"], e["kind_label"]) for e in entries] == [
        ("list_created", "List created"),
        ("list_members_added", "Contacts added to a list"),
        ("list_members_removed", "Contacts removed from a list"),
        ("list_deleted", "List deleted"),
    ]
    # when: the day acted on (requested_at is the real time the entry was recorded, docs/domain.md §10)
    assert {(e["actor"], e["source_type"], e["source_id"], e["acted_on"]) for e in entries} == {
        ("cli", "list", "Webinar", TODAY.isoformat())
    }
    assert [e["summary"] for e in entries] == [
        {"list": "Webinar"},
        {"list": "Webinar", "added": 3, "selection": "3 contact(s) by id"},
        {"list": "Webinar", "removed": 1, "selection": "filter: email is c0@example.com"},
        {"list": "Webinar", "members": 2},
    ]


def test_a_refused_list_change_leaves_no_audit_entry(engine: Engine, cli: Cli) -> None:
    cli("lists", "create", "--name", "A")
    cli("lists", "create", "--name", "A", expect=2)
    cli("lists", "add", "--name", "A", "--ids", "999", expect=2)
    assert [e["kind"] for e in _audit(cli, "list_")] == ["list_created"]
