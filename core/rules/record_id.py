"""Record IDs: HubSpot's and ours, one identity (docs/domain.md §11). PURE.

A contact that came from HubSpot keeps HubSpot's Record ID (``contacts.hubspot_id``), written as HubSpot writes
it: plain digits. A contact created here that HubSpot has not given an id is named by Marketable's own id with
the prefix ``mk-`` (``mk-42``): plain digits always mean HubSpot's id, so the two can never be taken for each
other, and a file sent to HubSpot can never make HubSpot update one of its own records that happens to have
the number of one of ours.

``decide`` is how a row that gives a Record ID and an Email is matched to a contact (imports and HubSpot syncs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from core.errors import Sentence
from core.i18n import N_

OWN_PREFIX = "mk-"
HUBSPOT_MAX = 2**63 - 1  # contacts.hubspot_id is a signed 64-bit integer
OWN_MAX = 2**31 - 1  # contacts.id is a 32-bit integer on PostgreSQL
_HUBSPOT = re.compile(r"^[0-9]+$")
_OWN = re.compile(r"^mk-([0-9]+)$", re.IGNORECASE)


class RecordIdError(ValueError):
    """A Record ID that is neither HubSpot's (digits) nor ours (``mk-`` and digits); the message (a ``Sentence``)
    says which."""


@dataclass(frozen=True, slots=True, order=True)
class RecordId:
    """One contact's Record ID: exactly one of HubSpot's id and Marketable's own id is set."""

    hubspot: int | None = None
    own: int | None = None

    def __post_init__(self) -> None:
        if (self.hubspot is None) == (self.own is None):
            raise ValueError("a Record ID is either HubSpot's or Marketable's own")

    def __str__(self) -> str:
        return str(self.hubspot) if self.hubspot is not None else f"{OWN_PREFIX}{self.own}"


def of_contact(contact_id: int, hubspot_id: int | None) -> RecordId:
    """A stored contact's Record ID: HubSpot's when it has one, else its own id."""
    return RecordId(hubspot=hubspot_id) if hubspot_id is not None else RecordId(own=contact_id)


def text_of(contact_id: int, hubspot_id: int | None) -> str:
    """What the export's ``Record ID`` column, the JSON's ``record_id`` and ``--ids`` say for a contact."""
    return str(hubspot_id) if hubspot_id is not None else f"{OWN_PREFIX}{contact_id}"


def parse(text: str) -> RecordId | None:
    """A Record ID as written in a file or on the command line; empty is None. Digits are HubSpot's id,
    ``mk-`` and digits (any case) ours. Anything else, zero or a number too big to be one, is refused."""
    value = text.strip()
    if not value:
        return None
    if _HUBSPOT.match(value):
        number = int(value)
        if not 0 < number <= HUBSPOT_MAX:
            raise RecordIdError(
                Sentence(
                    N_("Record ID {value} is not a HubSpot Record ID (1 to {largest})"),
                    value=repr(value),
                    largest=str(HUBSPOT_MAX),
                )
            )
        return RecordId(hubspot=number)
    if own := _OWN.match(value):
        number = int(own.group(1))
        if not 0 < number <= OWN_MAX:
            raise RecordIdError(
                Sentence(
                    N_("Record ID {value} is not a Marketable id ({smallest} to {largest})"),
                    value=repr(value),
                    smallest=f"{OWN_PREFIX}1",
                    largest=f"{OWN_PREFIX}{OWN_MAX}",
                )
            )
        return RecordId(own=number)
    raise RecordIdError(
        Sentence(
            N_("unreadable Record ID {value}: HubSpot's are whole numbers, Marketable's own are {form}"),
            value=repr(value),
            form=f"{OWN_PREFIX}<number>",
        )
    )


K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class Known(Generic[K]):
    """A contact a row's Record ID or Email names: its key (an id, or whatever the caller matches by) and the
    HubSpot Record ID it has, if any."""

    key: K
    hubspot_id: int | None


class Verdict(StrEnum):
    CREATE = "create"  # a new contact (with the row's HubSpot Record ID, if it gives one)
    UPDATE = "update"  # the contact ``Decision.contact``
    REJECT = "reject"  # the row names two different contacts: ``Decision.reason``


@dataclass(frozen=True, slots=True)
class Decision(Generic[K]):
    verdict: Verdict
    contact: K | None = None
    adopt: int | None = None  # the HubSpot Record ID the contact takes (it had none)
    reason: str | None = None


def decide(
    record_id: RecordId | None, email: str, *, by_record: Known[K] | None, by_email: Known[K] | None
) -> Decision[K]:
    """Which contact a row updates, from what its Record ID and its Email name (docs/domain.md §11).

    - The Record ID names a contact: that contact, whose email becomes the row's — unless the Email names
      another contact, then the row is rejected (one row cannot be two people).
    - HubSpot's Record ID names no contact: the contact the Email names takes that id if it has none (it was
      created here, or came without one), is a conflict if it has another, and without one a contact is created
      with that id.
    - Our own id that names no contact here (a deleted contact, a file from another database): as if the row
      gave no Record ID, matched by Email.
    - No Record ID: by Email, as before Record IDs.
    """
    if by_record is not None:
        if by_email is None or by_email.key == by_record.key:
            return Decision(Verdict.UPDATE, by_record.key)
        return Decision(
            Verdict.REJECT,
            reason=Sentence(
                N_("Record ID {record_id} and Email {email} are two different contacts"),
                record_id=str(record_id),
                email=email,
            ),
        )
    hubspot = record_id.hubspot if record_id is not None else None
    if by_email is None:
        return Decision(Verdict.CREATE, adopt=hubspot)
    if hubspot is None or by_email.hubspot_id is None:
        return Decision(Verdict.UPDATE, by_email.key, adopt=hubspot)
    return Decision(
        Verdict.REJECT,
        reason=Sentence(
            N_("Email {email} is the contact with Record ID {known}, not {given}"),
            email=email,
            known=str(by_email.hubspot_id),
            given=str(hubspot),
        ),
    )
