"""One incoming contact row, wherever it comes from: a CSV file's row (``parse``) or a contact a HubSpot sync
read. Imports and syncs hand these to ``apply.apply_rows``, the one path into the database (docs/architecture.md,
"Contacts coming in"). PURE: a value, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.rules.csvformat import StatusRequest
from core.rules.record_id import RecordId


@dataclass(slots=True)
class IncomingRow:
    """A contact as a source gives it.

    ``line``: where it is in its source (a file's line; a sync's position), named when it is rejected. ``key``:
    the email in lower case (``core.rules.email_address.match_key``). ``fields``: only what the source fills, by
    ``core.store.bulk_contacts.FIELD_COLUMNS`` name, already cleaned (``core.rules.contact_fields``).
    ``request``: the status it asks for, if any. ``record_id``: its Record ID (docs/domain.md §11).
    ``modified_at``: when the source last changed it (a file's ``Last Modified Date``, HubSpot's
    ``lastmodifieddate``), in the account's local time: a row older than the contact's last status change does
    not change its status (docs/domain.md §10, stale rows).
    """

    line: int
    email: str
    key: str
    fields: dict[str, Any]
    request: StatusRequest | None
    record_id: RecordId | None = None
    modified_at: datetime | None = None
