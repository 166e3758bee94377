"""Record IDs (docs/domain.md §11): HubSpot's are digits, ours ``mk-`` and digits, and how a row that gives a
Record ID and an Email is matched to a contact. Pure rules, one row per case."""

from __future__ import annotations

import pytest

from core.rules.record_id import Decision, Known, RecordId, RecordIdError, Verdict, decide, parse, text_of


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        pytest.param("", None, id="an empty cell gives no Record ID"),
        pytest.param("  ", None, id="blanks give no Record ID"),
        pytest.param("51", RecordId(hubspot=51), id="digits are HubSpot's Record ID"),
        pytest.param(" 123456789012 ", RecordId(hubspot=123456789012), id="a HubSpot id beyond 32 bits, trimmed"),
        pytest.param(str(2**63 - 1), RecordId(hubspot=2**63 - 1), id="the largest 64-bit HubSpot id"),
        pytest.param("mk-42", RecordId(own=42), id="mk- and digits are Marketable's own id"),
        pytest.param("MK-42", RecordId(own=42), id="the prefix in any case"),
    ],
)
def test_a_record_id_cell_is_hubspots_or_ours(cell: str, expected: RecordId | None) -> None:
    assert parse(cell) == expected


@pytest.mark.parametrize(
    "cell",
    [
        pytest.param("0", id="zero is no Record ID"),
        pytest.param(str(2**63), id="beyond 64 bits is refused"),
        pytest.param("mk-0", id="our id zero is refused"),
        pytest.param(f"mk-{2**31}", id="our id beyond 32 bits is refused"),
        pytest.param("1.23E+11", id="a number a spreadsheet rewrote is refused"),
        pytest.param("-5", id="a negative number is refused"),
        pytest.param("hs-5", id="another prefix is refused"),
        pytest.param("mk 5", id="a prefix without its dash is refused"),
    ],
)
def test_anything_else_is_an_unreadable_record_id(cell: str) -> None:
    with pytest.raises(RecordIdError, match="Record ID"):
        parse(cell)


@pytest.mark.parametrize(
    ("contact_id", "hubspot_id", "text"),
    [
        pytest.param(7, 51, "51", id="a contact from HubSpot is named by HubSpot's id"),
        pytest.param(51, None, "mk-51", id="a contact created here is named by its own id, never plain 51"),
    ],
)
def test_a_contacts_record_id_reads_back_as_itself(contact_id: int, hubspot_id: int | None, text: str) -> None:
    assert text_of(contact_id, hubspot_id) == text
    assert parse(text) is not None and str(parse(text)) == text


def test_our_id_and_a_hubspot_id_with_the_same_number_are_different_record_ids() -> None:
    assert parse(text_of(51, None)) != parse(text_of(7, 51))


HUB = RecordId(hubspot=900)
OWN = RecordId(own=3)


@pytest.mark.parametrize(
    ("record_id", "by_record", "by_email", "expected"),
    [
        pytest.param(None, None, None, Decision(Verdict.CREATE), id="no Record ID, new email: created"),
        pytest.param(None, None, Known(1, None), Decision(Verdict.UPDATE, 1), id="no Record ID: matched by email"),
        pytest.param(
            HUB, Known(1, 900), None, Decision(Verdict.UPDATE, 1), id="Record ID known, email changed: that contact"
        ),
        pytest.param(
            HUB, Known(1, 900), Known(1, 900), Decision(Verdict.UPDATE, 1), id="Record ID and email agree: updated"
        ),
        pytest.param(
            OWN, Known(3, None), None, Decision(Verdict.UPDATE, 3), id="our own id, email changed: that contact"
        ),
        pytest.param(
            OWN, Known(3, 900), Known(3, 900), Decision(Verdict.UPDATE, 3), id="our own id after HubSpot gave one"
        ),
        pytest.param(
            HUB, None, None, Decision(Verdict.CREATE, adopt=900), id="unknown HubSpot id, new email: created with it"
        ),
        pytest.param(
            HUB,
            None,
            Known(2, None),
            Decision(Verdict.UPDATE, 2, adopt=900),
            id="unknown HubSpot id, email of a contact without one: it takes the id",
        ),
        pytest.param(
            OWN, None, Known(2, None), Decision(Verdict.UPDATE, 2), id="our id unknown here: matched by email only"
        ),
        pytest.param(OWN, None, None, Decision(Verdict.CREATE), id="our id unknown here, new email: created"),
    ],
)
def test_a_row_updates_the_contact_its_record_id_names_else_its_emails(
    record_id: RecordId | None, by_record: Known[int] | None, by_email: Known[int] | None, expected: Decision[int]
) -> None:
    assert decide(record_id, "a@example.com", by_record=by_record, by_email=by_email) == expected


@pytest.mark.parametrize(
    ("record_id", "by_record", "by_email", "reason"),
    [
        pytest.param(
            HUB,
            Known(1, 900),
            Known(2, None),
            "Record ID 900 and Email a@example.com are two different contacts",
            id="HubSpot id and email name two contacts: rejected",
        ),
        pytest.param(
            OWN,
            Known(3, None),
            Known(2, 77),
            "Record ID mk-3 and Email a@example.com are two different contacts",
            id="our id and email name two contacts: rejected",
        ),
        pytest.param(
            HUB,
            None,
            Known(2, 77),
            "Email a@example.com is the contact with Record ID 77, not 900",
            id="email of a contact with another HubSpot id: rejected",
        ),
    ],
)
def test_a_row_naming_two_different_contacts_is_rejected_with_its_reason(
    record_id: RecordId, by_record: Known[int] | None, by_email: Known[int], reason: str
) -> None:
    assert decide(record_id, "a@example.com", by_record=by_record, by_email=by_email) == Decision(
        Verdict.REJECT, reason=reason
    )
