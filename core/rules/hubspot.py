"""HubSpot's contact properties, read as Marketable's fields and status (docs/domain.md §12). PURE: no network, no
database, no clock; the account's time zone is a parameter.

HubSpot sends every property as a string (or null): booleans as ``"true"``/``"false"``, dates as ISO 8601 in UTC.
What a property means here:

- ``hs_marketable_status`` ``true``/``false``: marketing or non-marketing; with ``hs_marketable_until_renewal``
  ``true``: marketing until the next update (pending);
- ``hs_marketable_reason_type`` / ``_id``: what last made the contact marketing (our status source);
- ``hs_object_source`` / ``_id``: the tool that created the contact (our ``source_type``);
- ``hs_email_hard_bounce_reason_enum`` set: hard bounced; ``hs_email_optout`` ``true``: unsubscribed from all email;
- ``lifecyclestage``, ``createdate``, ``lastmodifieddate``, ``notes_last_updated`` (last activity), names, email.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.rules import contact_fields, email_address
from core.rules.csvformat import StatusRequest
from core.rules.sources import SourceType

PROPERTIES = (
    "email",
    "firstname",
    "lastname",
    "lifecyclestage",
    "createdate",
    "lastmodifieddate",
    "notes_last_updated",
    "hs_marketable_status",
    "hs_marketable_until_renewal",
    "hs_marketable_reason_type",
    "hs_marketable_reason_id",
    "hs_email_hard_bounce_reason_enum",
    "hs_email_optout",
    "hs_object_source",
    "hs_object_source_id",
)
MODIFIED = "lastmodifieddate"  # what an incremental sync searches and sorts by

# HubSpot's creation sources (``hs_object_source``) as the tools of docs/domain.md §5; any other is an integration.
CREATION_SOURCES: dict[str, SourceType] = {
    "FORM": SourceType.FORM,
    "IMPORT": SourceType.IMPORT,
    "CONVERSATIONS": SourceType.CHATFLOW,
    "CHATFLOW": SourceType.CHATFLOW,
    "CRM_UI": SourceType.MANUAL,
    "MOBILE_IOS": SourceType.MOBILE_APP,
    "MOBILE_ANDROID": SourceType.MOBILE_APP,
    "EMAIL": SourceType.LOGGED_EMAIL,
    "SALES": SourceType.EMAIL_EXTENSION,
    "MEETINGS": SourceType.MEETING_LINK,
    "INTEGRATION": SourceType.INTEGRATION,
}
# HubSpot's reasons a contact is marketing (``hs_marketable_reason_type``) as our status sources (§1).
REASONS: dict[str, str] = {
    "FORM": "form",
    "FORM_SUBMISSION": "form",
    "IMPORT": "import",
    "WORKFLOW": "workflow",
    "AUTOMATION": "workflow",
    "BULK_UPDATE": "bulk_action",
    "BULK_ACTION": "bulk_action",
    "CRM_UI": "manual",
    "MANUAL": "manual",
    "CHATFLOW": "chatflow",
    "CONVERSATIONS": "chatflow",
    "INTEGRATION": "integration",
}


class PropertyError(ValueError):
    """A contact HubSpot sent that cannot be stored; the message names the record and the property."""


@dataclass(frozen=True, slots=True)
class HubSpotContact:
    """One HubSpot contact as Marketable reads it."""

    record_id: int
    email: str
    fields: dict[str, Any]  # first_name, last_name, lifecycle_stage, created_at, last_activity_at, bounce, unsubscribed
    request: StatusRequest | None  # what its marketing status asks of ours (None: HubSpot did not say)
    modified_at: datetime  # lastmodifieddate, in the account's local time
    reason: tuple[str, str | None] | None  # our status source (type, id), when HubSpot gives one
    creation: tuple[SourceType, str | None]  # the tool that created it, and that tool's id


def flag(value: str | None) -> bool | None:
    """A HubSpot boolean property: ``"true"``/``"false"``, None when unset."""
    if value is None or value == "":
        return None
    return value.strip().lower() == "true"


def moment(value: str | None, timezone: str) -> datetime | None:
    """A HubSpot timestamp (ISO 8601, UTC, ``Z``) or epoch milliseconds, in the account's local time."""
    if value is None or value == "":
        return None
    text = value.strip()
    aware = (
        datetime.fromtimestamp(int(text) / 1000, ZoneInfo("UTC")) if text.isdigit() else datetime.fromisoformat(text)
    )
    return aware.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


def epoch_ms(value: str) -> int:
    """A HubSpot timestamp (ISO 8601 or epoch milliseconds) as epoch milliseconds, HubSpot's own clock."""
    text = value.strip()
    return int(text) if text.isdigit() else int(datetime.fromisoformat(text).timestamp() * 1000)


def latest_modified(page: list[tuple[str, dict[str, str | None]]]) -> int | None:
    """The latest ``lastmodifieddate`` on a page of contacts (epoch ms); unreadable ones are skipped."""
    latest: int | None = None
    for _, properties in page:
        if value := properties.get(MODIFIED):
            with suppress(ValueError):
                latest = max(latest or 0, epoch_ms(value))
    return latest


def status_request(status: str | None, until_renewal: str | None) -> StatusRequest | None:
    """HubSpot's status as a request of the transition table (docs/domain.md §2, §11): marketing until renewal is
    ``UNTIL_UPDATE``; non-marketing is ``NON_MARKETING`` whatever the other flag says (HubSpot clears it)."""
    marketing = flag(status)
    if marketing is None:
        return None
    if not marketing:
        return StatusRequest.NON_MARKETING
    return StatusRequest.UNTIL_UPDATE if flag(until_renewal) else StatusRequest.MARKETING


def reason(kind: str | None, reason_id: str | None) -> tuple[str, str | None] | None:
    """HubSpot's ``hs_marketable_reason_type`` / ``_id`` as our status source; an unknown kind is an integration."""
    if not kind:
        return None
    return REASONS.get(kind.strip().upper(), "integration"), (reason_id or None)


def creation(kind: str | None, source_id: str | None) -> tuple[SourceType, str | None]:
    """The tool that created the contact (``hs_object_source``); unknown or missing: an integration (HubSpot)."""
    found = CREATION_SOURCES.get((kind or "").strip().upper())
    if found is None:
        return SourceType.INTEGRATION, "hubspot"
    return found, (source_id or None)


def read_contact(record_id: str, properties: dict[str, str | None], *, timezone: str) -> HubSpotContact:
    """One HubSpot contact read by the rules of docs/domain.md §12; ``PropertyError`` when it cannot be stored."""
    try:
        email = email_address.parse(properties.get("email") or "")
    except email_address.EmailError as exc:
        raise PropertyError(f"HubSpot contact {record_id}: {exc}") from None
    try:
        fields: dict[str, Any] = {
            "first_name": contact_fields.clean("first_name", properties.get("firstname")),
            "last_name": contact_fields.clean("last_name", properties.get("lastname")),
            "lifecycle_stage": contact_fields.clean("lifecycle_stage", properties.get("lifecyclestage")),
            "created_at": moment(properties.get("createdate"), timezone),
            "last_activity_at": moment(properties.get("notes_last_updated"), timezone),
            "hard_bounced": bool(properties.get("hs_email_hard_bounce_reason_enum")),
            "unsubscribed_all": bool(flag(properties.get("hs_email_optout"))),
        }
        modified = moment(properties.get(MODIFIED), timezone)
    except (contact_fields.FieldError, ValueError) as exc:
        raise PropertyError(f"HubSpot contact {record_id}: {exc}") from None
    if modified is None:
        raise PropertyError(f"HubSpot contact {record_id}: no {MODIFIED}")
    return HubSpotContact(
        record_id=int(record_id),
        email=email,
        fields=fields,
        request=status_request(properties.get("hs_marketable_status"), properties.get("hs_marketable_until_renewal")),
        modified_at=modified,
        reason=reason(properties.get("hs_marketable_reason_type"), properties.get("hs_marketable_reason_id")),
        creation=creation(properties.get("hs_object_source"), properties.get("hs_object_source_id")),
    )
