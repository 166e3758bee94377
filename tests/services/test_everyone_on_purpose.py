"""No "everything" by accident (issue 11, finding 5): an empty filter never means every contact for a change or a
deletion; acting on all contacts needs ``Selection(everyone=True)`` (``--all`` on the command line)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from core.errors import DomainError
from core.rules.filters import parse_filter
from core.rules.selection import ALL, Selection
from core.rules.status import MarketingStatus
from core.services.contacts import delete_contacts
from core.services.lists import add_to_list, create_list, remove_from_list
from core.services.status import set_status
from tests.conftest import TODAY, Cli
from tests.factories import add_contacts, count

NOTHING_CHOSEN = [
    pytest.param(Selection(), id="no selection at all"),
    pytest.param(Selection(conditions=()), id="an empty filter"),
    pytest.param(Selection(conditions=parse_filter("[]")), id="the filter []"),
    pytest.param(
        Selection(any_of=(Selection(unengaged=True), Selection(conditions=()))), id="a union with an empty filter"
    ),
]


@pytest.mark.parametrize("selection", NOTHING_CHOSEN)
def test_deleting_with_nothing_chosen_is_refused_and_deletes_nobody(engine: Engine, selection: Selection) -> None:
    add_contacts(engine, 3)
    with pytest.raises(DomainError, match="choose the contacts to delete"):
        delete_contacts(engine, selection=selection, today=TODAY, actor="ann")
    assert count(engine, "contacts") == 3


@pytest.mark.parametrize("selection", NOTHING_CHOSEN)
def test_a_status_change_with_nothing_chosen_is_refused_and_changes_nobody(
    engine: Engine, selection: Selection
) -> None:
    add_contacts(engine, 3)
    with pytest.raises(DomainError, match="choose the contacts to change"):
        set_status(engine, selection=selection, to=MarketingStatus.NON_MARKETING, today=TODAY, actor="ann")
    assert count(engine, "status_events") == 0


def test_list_changes_with_nothing_chosen_are_refused(engine: Engine) -> None:
    add_contacts(engine, 3)
    create_list(engine, name="L", today=TODAY, actor="ann")
    with pytest.raises(DomainError, match="choose the contacts to add to the list"):
        add_to_list(engine, name="L", selection=Selection(conditions=()), today=TODAY, actor="ann")
    with pytest.raises(DomainError, match="choose the contacts to take out of the list"):
        remove_from_list(engine, name="L", selection=Selection(conditions=()), today=TODAY, actor="ann")
    assert count(engine, "list_members") == 0


def test_every_contact_chosen_on_purpose_may_be_changed_and_deleted(engine: Engine) -> None:
    add_contacts(engine, 3)
    assert set_status(engine, selection=ALL, to=MarketingStatus.NON_MARKETING, today=TODAY, actor="ann").scheduled == 3
    assert delete_contacts(engine, selection=ALL, today=TODAY, actor="ann").deleted == 3


def test_delete_contacts_with_an_empty_filter_on_the_command_line_exits_2_and_deletes_nobody(
    engine: Engine, cli: Cli
) -> None:
    add_contacts(engine, 3)
    cli("delete-contacts", "--filter", "[]", expect=2)
    assert "choose the contacts to delete" in str(cli.message)
    assert cli("usage")["total"] == 3
