"""``python -m core hubspot sync`` against a local HubSpot (tests/hubspot_fake.py), with the official client pointed
at it, on both engines: what Marketable stores, not which calls it made (docs/domain.md §12)."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from core.settings import HUBSPOT_TOKEN_ENV, HUBSPOT_URL_ENV
from tests.conftest import Cli
from tests.factories import contact, count, events_of, state_of
from tests.hubspot_fake import HubSpotState, running

TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555"


@pytest.fixture
def hubspot(monkeypatch: pytest.MonkeyPatch) -> Iterator[HubSpotState]:
    """A local HubSpot the client is pointed at, with the token in the environment."""
    with running(TOKEN) as (url, state):
        monkeypatch.setenv(HUBSPOT_TOKEN_ENV, TOKEN)
        monkeypatch.setenv(HUBSPOT_URL_ENV, url)
        yield state


def _fill(state: HubSpotState, n: int, *, first: int = 1001, **extra: Any) -> None:
    for i in range(first, first + n):
        state.add_contact(
            i,
            email=f"h{i}@example.com",
            firstname=f"First{i}",
            lifecyclestage="lead",
            hs_marketable_status=(i % 3 == 0),
            hs_object_source="FORM" if i % 2 else "IMPORT",
            **extra,
        )


def test_a_first_sync_reads_every_contact_across_pages_with_its_status(
    cli: Cli, engine: Engine, hubspot: HubSpotState
) -> None:
    _fill(hubspot, 250)
    hubspot.add_contact(2000, email="pending@example.com", hs_marketable_status=True, hs_marketable_until_renewal=True)
    result = cli("hubspot", "sync")
    assert {k: result[k] for k in ("fetched", "created", "updated", "unchanged", "stale", "errors")} == {
        "fetched": 251,
        "created": 251,
        "updated": 0,
        "unchanged": 0,
        "stale": 0,
        "errors": 0,
    }
    assert result["mode"] == "full" and result["pages"] == 3 and result["total"] == 251
    assert count(engine, "contacts") == 251
    assert state_of(engine, "h1002@example.com") == "marketing"  # 1002 = 3 × 334
    assert state_of(engine, "h1001@example.com") == "non_marketing"
    assert state_of(engine, "pending@example.com") == "pending"
    assert contact(engine, "h1001@example.com")["first_name"] == "First1001"


def test_a_second_sync_reads_only_what_hubspot_modified_since_the_first(
    cli: Cli, engine: Engine, hubspot: HubSpotState
) -> None:
    _fill(hubspot, 120)
    cli("hubspot", "sync")
    now = datetime.now(UTC)
    hubspot.modify(1001, now, firstname="Renamed", hs_marketable_status=True)
    hubspot.modify(1002, now, lifecyclestage="customer")
    hubspot.add_contact(5000, email="new@example.com")
    hubspot.modify(5000, now)
    requests_before = hubspot.requests
    result = cli("hubspot", "sync")
    assert result["mode"] == "incremental"
    assert (result["fetched"], result["created"], result["updated"]) == (3, 1, 2)
    assert hubspot.requests - requests_before == 2, "the count and one page of the search, not 2 pages of all"
    assert contact(engine, "h1001@example.com")["first_name"] == "Renamed"
    assert state_of(engine, "h1001@example.com") == "marketing"
    assert contact(engine, "h1002@example.com")["lifecycle_stage"] == "customer"
    again = cli("hubspot", "sync")
    assert again["fetched"] == again["unchanged"] == 3 and again["updated"] == again["created"] == 0


def test_a_429_waits_as_long_as_retry_after_says_and_the_sync_completes(
    cli: Cli, engine: Engine, hubspot: HubSpotState
) -> None:
    _fill(hubspot, 150)
    hubspot.fail(429, after_requests=2, retry_after="1")
    started = time.monotonic()
    result = cli("hubspot", "sync")
    assert time.monotonic() - started >= 1.0, "Retry-After: 1 was honoured"
    assert result["retries"] == 1 and result["fetched"] == 150
    assert count(engine, "contacts") == 150


def test_a_500_in_the_middle_of_a_sync_is_retried_and_nothing_is_lost(
    cli: Cli, engine: Engine, hubspot: HubSpotState
) -> None:
    _fill(hubspot, 300)
    hubspot.fail(500, times=2, after_requests=2)
    result = cli("hubspot", "sync")
    assert result["retries"] == 2 and result["created"] == 300
    assert count(engine, "contacts") == 300


def test_an_interrupted_sync_keeps_its_pages_and_the_next_one_resumes_after_them(
    cli: Cli, engine: Engine, hubspot: HubSpotState, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("core.services.hubspot.client.BACKOFF_SECONDS", 0.001)
    _fill(hubspot, 350)
    hubspot.fail(500, times=50, after_requests=3)  # the count, 2 pages, then HubSpot keeps failing
    assert cli("hubspot", "sync", expect=2) is None
    assert "HubSpot answered 500" in cli.message and "run the sync again to resume" in cli.message
    assert count(engine, "contacts") == 200, "the two pages written stay"
    status = cli("hubspot", "status")
    assert status["unfinished"] and status["next_mode"] == "resume"
    hubspot.faults.clear()
    served = hubspot.requests
    result = cli("hubspot", "sync")
    assert result["resumed"] and result["fetched"] == 350 and result["created"] == 350
    assert hubspot.requests - served == 2, "pages 3 and 4 only: nothing read twice"
    assert count(engine, "contacts") == 350
    assert cli("hubspot", "status")["next_mode"] == "incremental"


def test_a_contact_hubspot_cannot_give_is_an_error_with_its_record_id_and_the_rest_lands(
    cli: Cli, engine: Engine, hubspot: HubSpotState
) -> None:
    _fill(hubspot, 3)
    hubspot.add_contact(77, email="not an email")
    result = cli("hubspot", "sync")
    assert result["errors"] == 1 and result["created"] == 3
    assert result["rejected"][0]["record_id"] == "77" and "HubSpot contact 77" in result["rejected"][0]["reason"]


def test_a_status_changed_here_since_the_last_sync_is_kept_and_counted_as_a_conflict(
    cli: Cli, engine: Engine, hubspot: HubSpotState
) -> None:
    hubspot.add_contact(1, email="both@example.com", hs_marketable_status=True)
    hubspot.add_contact(2, email="theirs@example.com", hs_marketable_status=True)
    cli("hubspot", "sync")
    assert state_of(engine, "both@example.com") == "marketing"
    ours = cli("set-status", "--to", "non-marketing", "--emails", "both@example.com")
    assert ours["scheduled"] == 1
    later = datetime.now(UTC) + timedelta(seconds=1)
    hubspot.modify(1, later, hs_marketable_status=True, firstname="Both")  # HubSpot still says marketing
    hubspot.modify(2, later, hs_marketable_status=False)
    result = cli("hubspot", "sync")
    assert result["conflicts"] == 1
    assert result["conflicting"][0]["record_id"] == 1 and result["conflicting"][0]["kept"] == "ours"
    assert state_of(engine, "both@example.com") == "pending", "our scheduled change is kept"
    assert contact(engine, "both@example.com")["first_name"] == "Both", "HubSpot's fields still apply"
    assert state_of(engine, "theirs@example.com") == "pending", "changed in HubSpot only: HubSpot's status applies"
    assert (result["scheduled"], result["undone"]) == (1, 0)


def test_a_change_scheduled_here_before_the_last_sync_is_undone_by_hubspot_and_said(
    cli: Cli, engine: Engine, hubspot: HubSpotState
) -> None:
    hubspot.add_contact(1, email="plan@example.com", hs_marketable_status=True)
    cli("hubspot", "sync")
    cli("set-status", "--to", "non-marketing", "--emails", "plan@example.com")
    cli("hubspot", "sync")  # nothing modified in HubSpot: our plan stands
    assert state_of(engine, "plan@example.com") == "pending"
    hubspot.modify(1, datetime.now(UTC) + timedelta(seconds=2), hs_marketable_status=True, lastname="Later")
    result = cli("hubspot", "sync")
    assert (result["conflicts"], result["undone"]) == (0, 1)
    assert state_of(engine, "plan@example.com") == "marketing"


def test_a_sync_records_one_operation_its_events_point_at(cli: Cli, engine: Engine, hubspot: HubSpotState) -> None:
    hubspot.add_contact(1, email="m@example.com", hs_marketable_status=True)
    cli("hubspot", "sync")
    (event,) = events_of(engine, contact(engine, "m@example.com")["id"])
    audit = cli("audit", "--kind", "hubspot_sync")
    assert audit["total"] == 1 and event["operation_id"] == audit["entries"][0]["id"]
    assert event["source_type"] == "integration" and event["source_id"] == "hubspot"


def test_a_contact_created_here_takes_the_record_id_of_the_hubspot_contact_with_its_email(
    cli: Cli, engine: Engine, hubspot: HubSpotState
) -> None:
    made = cli("create-contact", "--source", "manual", "--email", "Here@Example.com")
    hubspot.add_contact(9001, email="here@example.com", firstname="Here")
    result = cli("hubspot", "sync")
    assert (result["created"], result["updated"]) == (0, 1)
    found = contact(engine, "Here@Example.com")
    assert found["id"] == made["contact_id"] and found["hubspot_id"] == 9001 and found["first_name"] == "Here"


def test_a_hubspot_contact_last_modified_before_our_status_change_keeps_our_status_as_stale(
    cli: Cli, engine: Engine, hubspot: HubSpotState
) -> None:
    cli("create-contact", "--source", "manual", "--email", "kept@example.com", "--marketing")
    cli("set-status", "--to", "non-marketing", "--emails", "kept@example.com")  # pending here, changed today
    hubspot.add_contact(5, email="kept@example.com", hs_marketable_status=True, firstname="Kept")  # modified in January
    result = cli("hubspot", "sync")
    assert result["stale"] == 1 and result["updated"] == 1
    assert state_of(engine, "kept@example.com") == "pending"
    assert contact(engine, "kept@example.com")["first_name"] == "Kept"


def test_an_email_changed_in_hubspot_updates_the_contact_with_that_record_id(
    cli: Cli, engine: Engine, hubspot: HubSpotState
) -> None:
    hubspot.add_contact(42, email="old@example.com", hs_marketable_status=True)
    cli("hubspot", "sync")
    before = contact(engine, "old@example.com")
    hubspot.modify(42, datetime.now(UTC), email="new@example.com")
    result = cli("hubspot", "sync")
    assert (result["updated"], result["created"], result["errors"]) == (1, 0, 0)
    after = contact(engine, "new@example.com")
    assert after["id"] == before["id"] and after["hubspot_id"] == 42
    assert count(engine, "contacts") == 1


def test_an_incremental_sync_past_the_search_limit_opens_new_windows_and_reads_everyone(
    cli: Cli, engine: Engine, hubspot: HubSpotState, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tests.hubspot_fake.SEARCH_LIMIT", 500)  # HubSpot's is 10,000: the same rule, smaller
    monkeypatch.setattr("core.services.hubspot.sync.SEARCH_WINDOW", 500)
    _fill(hubspot, 1_200)
    cli("hubspot", "sync")
    start = datetime.now(UTC)
    for n, record_id in enumerate(range(1001, 2201)):
        hubspot.modify(record_id, start + timedelta(milliseconds=n), lastname=f"Changed{record_id}")
    result = cli("hubspot", "sync")
    assert result["mode"] == "incremental" and result["updated"] == 1_200
    assert result["fetched"] >= 1_200, "windows overlap by their first modification: a few are read twice"
    assert contact(engine, "h2200@example.com")["last_name"] == "Changed2200"
    assert contact(engine, "h1001@example.com")["last_name"] == "Changed1001"


def test_hubspot_out_of_reach_is_retried_then_reported_in_one_line_and_nothing_is_written(
    cli: Cli, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("core.services.hubspot.client.BACKOFF_SECONDS", 0.001)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv(HUBSPOT_TOKEN_ENV, TOKEN)
    monkeypatch.setenv(HUBSPOT_URL_ENV, f"http://127.0.0.1:{port}")
    assert cli("hubspot", "sync", expect=2) is None
    assert (
        cli.message
        == f"cannot reach HubSpot at http://127.0.0.1:{port} (after 6 retries); run the sync again to resume"
    )
    assert count(engine, "hubspot_syncs") == 0 and count(engine, "contacts") == 0
