"""HubSpot's contact properties read as Marketable's fields and status (docs/domain.md §12), as tables."""

from __future__ import annotations

from datetime import datetime

import pytest

from core.rules import hubspot as hs
from core.rules.csvformat import StatusRequest
from core.rules.sources import SourceType


@pytest.mark.parametrize(
    ("status", "until_renewal", "request_"),
    [
        pytest.param("true", None, StatusRequest.MARKETING, id="marketing is a request to be marketing"),
        pytest.param("true", "false", StatusRequest.MARKETING, id="marketing, not until renewal, is marketing"),
        pytest.param("true", "true", StatusRequest.UNTIL_UPDATE, id="marketing until renewal is pending"),
        pytest.param("false", None, StatusRequest.NON_MARKETING, id="non-marketing is a request to leave"),
        pytest.param("false", "true", StatusRequest.NON_MARKETING, id="non-marketing wins over a stale renewal flag"),
        pytest.param(None, "true", None, id="no status says nothing about the status"),
        pytest.param("", None, None, id="an empty status says nothing"),
        pytest.param("TRUE", None, StatusRequest.MARKETING, id="booleans are read without regard to case"),
    ],
)
def test_hubspot_marketing_status_becomes_a_request_of_the_transition_table(
    status: str | None, until_renewal: str | None, request_: StatusRequest | None
) -> None:
    assert hs.status_request(status, until_renewal) == request_


@pytest.mark.parametrize(
    ("kind", "source_id", "expected"),
    [
        pytest.param("FORM", "f-1", (SourceType.FORM, "f-1"), id="a form keeps its form id"),
        pytest.param("IMPORT", "9", (SourceType.IMPORT, "9"), id="an import keeps its import id"),
        pytest.param("CRM_UI", None, (SourceType.MANUAL, None), id="created by hand in HubSpot is manual"),
        pytest.param("CONVERSATIONS", "c", (SourceType.CHATFLOW, "c"), id="conversations are a chatflow"),
        pytest.param("MOBILE_IOS", None, (SourceType.MOBILE_APP, None), id="the mobile app"),
        pytest.param("SOMETHING_NEW", "x", (SourceType.INTEGRATION, "hubspot"), id="an unknown source is HubSpot"),
        pytest.param(None, None, (SourceType.INTEGRATION, "hubspot"), id="no source is HubSpot"),
    ],
)
def test_hubspot_creation_source_becomes_the_tool_that_created_the_contact(
    kind: str | None, source_id: str | None, expected: tuple[SourceType, str | None]
) -> None:
    assert hs.creation(kind, source_id) == expected


@pytest.mark.parametrize(
    ("kind", "reason_id", "expected"),
    [
        pytest.param("FORM", "12", ("form", "12"), id="a form made it marketing"),
        pytest.param("WORKFLOW", "7", ("workflow", "7"), id="a workflow made it marketing"),
        pytest.param("BULK_UPDATE", None, ("bulk_action", None), id="a bulk update made it marketing"),
        pytest.param("SOMETHING_NEW", "x", ("integration", "x"), id="an unknown reason is an integration"),
        pytest.param(None, "x", None, id="no reason type gives no source"),
    ],
)
def test_hubspot_reason_becomes_the_status_source(
    kind: str | None, reason_id: str | None, expected: tuple[str, str | None] | None
) -> None:
    assert hs.reason(kind, reason_id) == expected


def test_a_contact_is_read_with_dates_in_the_account_time_zone_and_flags_as_booleans() -> None:
    contact = hs.read_contact(
        "901",
        {
            "email": " Ana@Example.com ",
            "firstname": "Ana",
            "lastname": "",
            "lifecyclestage": "MarketingQualifiedLead",
            "createdate": "2026-03-01T23:30:00.000Z",
            "lastmodifieddate": "1772409600000",
            "notes_last_updated": None,
            "hs_marketable_status": "true",
            "hs_marketable_until_renewal": "true",
            "hs_email_hard_bounce_reason_enum": "MAILBOX_FULL",
            "hs_email_optout": "true",
        },
        timezone="Europe/Paris",
    )
    assert contact.record_id == 901 and contact.email == "Ana@Example.com"
    assert contact.fields["first_name"] == "Ana" and contact.fields["last_name"] is None
    assert contact.fields["lifecycle_stage"] == "marketingqualifiedlead"
    assert contact.fields["created_at"] == datetime(2026, 3, 2, 0, 30)  # 23:30 UTC is 00:30 in Paris
    assert contact.modified_at == datetime(2026, 3, 2, 1, 0)  # epoch milliseconds are read too
    assert contact.fields["hard_bounced"] and contact.fields["unsubscribed_all"]
    assert contact.request == StatusRequest.UNTIL_UPDATE


@pytest.mark.parametrize(
    ("properties", "reason"),
    [
        pytest.param({"email": "not an email", "lastmodifieddate": "1"}, "HubSpot contact 5: ", id="a bad email"),
        pytest.param({"email": "a@example.com"}, "no lastmodifieddate", id="no modification date"),
        pytest.param(
            {"email": "a@example.com", "lastmodifieddate": "1", "createdate": "yesterday"},
            "HubSpot contact 5",
            id="an unreadable date",
        ),
        pytest.param(
            {"email": "a@example.com", "lastmodifieddate": "1", "firstname": "x" * 101},
            "First name is longer than 100",
            id="a name longer than its column",
        ),
    ],
)
def test_a_contact_that_cannot_be_stored_is_refused_with_its_record_id_and_reason(
    properties: dict[str, str | None], reason: str
) -> None:
    with pytest.raises(hs.PropertyError, match=reason):
        hs.read_contact("5", properties, timezone="UTC")
