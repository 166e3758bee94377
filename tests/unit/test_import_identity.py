"""Incoming rows matched by Record ID, then email, and stale rows (docs/domain.md §10, §11), as the fold does them
for imports and syncs alike. Pure: rows and records in, records out."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from core.rules.csvformat import StatusRequest
from core.rules.record_id import RecordId
from core.rules.stale import is_stale
from core.rules.status import State
from core.services.imports.fold import Folded, Record, fold_rows
from core.services.imports.incoming import IncomingRow
from core.services.imports.parse import parse_csv

TODAY, NEXT_UPDATE = date(2026, 11, 26), date(2026, 12, 1)
CHANGED = datetime(2026, 11, 26, 10, 14, 30, 250_000)  # a cleanup, after the export
M, P, N = State.MARKETING, State.PENDING, State.NON_MARKETING


def row(
    email: str, rid: RecordId | None = None, request: StatusRequest | None = None, line: int = 2, **kw: object
) -> IncomingRow:
    modified = kw.pop("modified_at", None)
    return IncomingRow(line, email, email.lower(), dict(kw), request, rid, modified)  # type: ignore[arg-type]


def known() -> dict[str, Record]:
    """Ada (id 7, HubSpot 900, pending since the cleanup) and Bob (id 8, no HubSpot id, marketing)."""
    ada = Record(7, {"email": "ada@example.com"}, P, [], hubspot_id=900, changed_at=CHANGED)
    bob = Record(8, {"email": "bob@example.com"}, M, [])
    return {"ada@example.com": ada, "bob@example.com": bob}


def fold(rows: list[IncomingRow]) -> Folded:
    return fold_rows(rows, known(), as_marketing=False, today=TODAY, effective=NEXT_UPDATE)


def test_a_record_id_follows_its_contact_to_a_new_email() -> None:
    folded = fold([row("ada.king@example.com", RecordId(hubspot=900), first_name="Ada")])
    assert (folded.created, folded.updated, folded.rejected) == (0, 1, [])
    ada = folded.records["ada.king@example.com"]
    assert (ada.id, ada.fields["email"], ada.email_changed, ada.adopted) == (7, "ada.king@example.com", True, False)
    assert "ada@example.com" not in folded.records


def test_our_own_id_matches_too_and_a_contact_without_a_hubspot_id_takes_one() -> None:
    folded = fold([row("robert@example.com", RecordId(own=8)), row("robert@example.com", RecordId(hubspot=51), line=3)])
    bob = folded.records["robert@example.com"]
    assert (bob.id, bob.hubspot_id, bob.adopted, folded.updated, folded.rejected) == (8, 51, True, 2, [])


def test_a_row_naming_two_contacts_is_rejected_and_the_others_go_on() -> None:
    folded = fold([row("bob@example.com", RecordId(hubspot=900), line=5), row("new@example.com", line=6)])
    assert folded.rejected == [
        {"line": 5, "reason": "Record ID 900 and Email bob@example.com are two different contacts"}
    ]
    assert (folded.created, folded.updated) == (1, 0)


def test_a_new_contact_keeps_the_hubspot_id_it_came_with_and_later_rows_find_it_by_it() -> None:
    folded = fold([row("cy@example.com", RecordId(hubspot=77)), row("cyrus@example.com", RecordId(hubspot=77), line=3)])
    cy = folded.records["cyrus@example.com"]
    assert (cy.id, cy.hubspot_id, folded.created, folded.updated) == (None, 77, 1, 1)


@pytest.mark.parametrize(
    ("modified", "stale"),
    [
        pytest.param(datetime(2026, 11, 26, 10, 0), True, id="exported before the cleanup: stale"),
        pytest.param(datetime(2026, 11, 26, 10, 14, 30), False, id="exported in the same second: not stale"),
        pytest.param(datetime(2026, 11, 26, 11, 0), False, id="modified after the cleanup: applies"),
        pytest.param(None, False, id="no Last Modified Date: applies"),
    ],
)
def test_a_row_older_than_the_last_status_change_keeps_the_newer_status(modified: datetime | None, stale: bool) -> None:
    folded = fold([row("ada@example.com", request=StatusRequest.MARKETING, modified_at=modified, first_name="A")])
    ada = folded.records["ada@example.com"]
    assert (ada.state, folded.stale) == ((P, 1) if stale else (M, 0))
    assert ada.events == ([] if stale else [(P, M, TODAY)])
    assert ada.fields["first_name"] == "A", "its other fields still apply"
    if stale:
        assert folded.stale_rows == [{"line": 2, "email": "ada@example.com", "kept": "pending", "asked": "marketing"}]


def test_an_old_row_that_asks_for_the_status_the_contact_has_is_not_counted_stale() -> None:
    old = datetime(2026, 11, 1)
    folded = fold([row("ada@example.com", request=StatusRequest.UNTIL_UPDATE, modified_at=old)])
    assert (folded.records["ada@example.com"].state, folded.stale) == (P, 0)


def test_a_contact_never_changed_or_a_row_without_a_date_is_never_stale() -> None:
    assert not is_stale(datetime(2020, 1, 1), None) and not is_stale(None, CHANGED)


def test_a_file_gives_each_row_its_record_id_and_last_modified_date() -> None:
    text = (
        "Record ID,Email,Last Modified Date\n900,a@example.com,2026-11-20 14:03\nmk-8,b@example.com,\n,c@example.com,\n"
    )
    rows, rejected = parse_csv(text)
    assert rejected == []
    assert [(r.record_id, r.modified_at) for r in rows] == [
        (RecordId(hubspot=900), datetime(2026, 11, 20, 14, 3)),
        (RecordId(own=8), None),
        (None, None),
    ]


def test_a_marketable_export_from_before_record_ids_is_not_read_by_its_record_ids() -> None:
    rows, _ = parse_csv("Record ID,Email,Non-marketing effective on\n12,a@example.com,\n")
    assert rows[0].record_id is None
