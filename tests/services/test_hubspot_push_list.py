"""``python -m core hubspot push-list NAME SELECTION``: a plan made here reaches HubSpot as a static list, which the
person applies in HubSpot ("Manage marketing contacts → Use a list"); nothing changes here (docs/domain.md §12)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from core.settings import HUBSPOT_TOKEN_ENV, HUBSPOT_URL_ENV
from tests.conftest import Cli
from tests.factories import add_contacts, snapshot
from tests.hubspot_fake import HubSpotState, running

TOKEN = "pat-na1-99999999-8888-7777-6666-555555555555"


@pytest.fixture
def hubspot(monkeypatch: pytest.MonkeyPatch) -> Iterator[HubSpotState]:
    with running(TOKEN) as (url, state):
        monkeypatch.setenv(HUBSPOT_TOKEN_ENV, TOKEN)
        monkeypatch.setenv(HUBSPOT_URL_ENV, url)
        yield state


def test_the_selected_contacts_with_a_record_id_go_into_a_new_static_list_and_nothing_changes_here(
    cli: Cli, engine: Engine, hubspot: HubSpotState
) -> None:
    for i in (501, 502, 503):
        hubspot.add_contact(i, email=f"h{i}@example.com", hs_marketable_status=True)
    cli("hubspot", "sync")
    add_contacts(engine, 2, prefix="local", hard_bounced=True)  # created here: HubSpot has no Record ID for them
    cli("set-status", "--to", "marketing", "--emails", "h501@example.com")  # nothing to do: already marketing
    before = {k: v for k, v in snapshot(engine).items() if k != "operations"}
    chosen = '[{"property": "email", "operator": "contains", "value": "example.com"}]'
    result = cli("hubspot", "push-list", "Leave at renewal", "--filter", chosen)
    assert (result["selected"], result["sent"], result["added"], result["not_in_hubspot"]) == (5, 3, 3, 2)
    assert result["list_created"] is True and result["list_name"] == "Leave at renewal"
    assert "Manage marketing contacts → Use a list" in result["next_step"]
    (created,) = hubspot.lists.values()
    assert created["processingType"] == "MANUAL" and created["objectTypeId"] == "0-1"
    assert sorted(hubspot.memberships[int(created["listId"])]) == [501, 502, 503]
    assert {k: v for k, v in snapshot(engine).items() if k != "operations"} == before, "only the audit changes"
    audit = cli("audit", "--kind", "hubspot_push_list")
    assert audit["total"] == 1 and '"sent": 3' in str(audit["entries"][0]).replace("'", '"')


def test_pushing_again_to_the_same_list_adds_only_the_new_members_and_reports_ids_hubspot_lost(
    cli: Cli, engine: Engine, hubspot: HubSpotState
) -> None:
    for i in (1, 2, 3):
        hubspot.add_contact(i, email=f"p{i}@example.com")
    cli("hubspot", "sync")
    first = cli("hubspot", "push-list", "Plan", "--emails", "p1@example.com,p2@example.com")
    del hubspot.contacts[3]  # deleted in HubSpot since the last sync
    second = cli("hubspot", "push-list", "Plan", "--all")
    assert first["added"] == 2 and second["list_created"] is False
    assert (second["sent"], second["added"], second["missing_in_hubspot"]) == (3, 0, [3])


def test_an_active_list_of_that_name_is_refused_and_nothing_is_sent(
    cli: Cli, engine: Engine, hubspot: HubSpotState
) -> None:
    hubspot.add_contact(1, email="a@example.com")
    cli("hubspot", "sync")
    hubspot.lists[7] = {
        "listId": "7",
        "name": "Dynamic",
        "objectTypeId": "0-1",
        "processingType": "DYNAMIC",
        "processingStatus": "COMPLETE",
        "listVersion": 1,
    }
    hubspot.memberships[7] = []
    assert cli("hubspot", "push-list", "dynamic", "--all", expect=2) is None
    assert "is an active list" in cli.message and hubspot.memberships[7] == []


def test_push_list_needs_a_selection_and_a_name(cli: Cli, hubspot: HubSpotState) -> None:
    assert cli("hubspot", "push-list", "Plan", expect=2) is None
    assert "one of the arguments --ids --emails" in cli.message
    assert cli("hubspot", "push-list", "  ", "--all", expect=2) is None
    assert cli.message == "give the HubSpot list a name"
