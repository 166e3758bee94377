"""Reading an import file (docs/domain.md §9): text, header and rows, with no database and no clock."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from core.errors import DomainError
from core.rules import contact_fields
from core.rules.csvformat import StatusRequest
from core.services.imports.parse import ParsedRow, decode, header_map, parse_csv
from tests.test_architecture import imported_modules, parse, uses

HEADER = "Email,First Name,Last Name,Lifecycle Stage,Create Date,Marketing contact status"
PURE = [
    "core/services/imports/parse.py",
    "core/services/imports/fold.py",
    "core/services/imports/incoming.py",
    "core/services/imports/packed.py",
]


def one_row(line: str, *, header: str = HEADER, timezone: str = "UTC") -> ParsedRow:
    rows, rejected = parse_csv(f"{header}\n{line}\n", timezone=timezone)
    assert rejected == []
    (row,) = rows
    return row


def rejection(line: str, *, header: str = HEADER) -> str:
    rows, rejected = parse_csv(f"{header}\n{line}\n")
    assert rows == []
    (only,) = rejected
    assert only["line"] == 2
    return str(only["reason"])


@pytest.mark.parametrize("path", PURE)
@pytest.mark.parametrize("forbidden", ["sqlalchemy", "core.store", "core.clock", "core.services.unit"])
def test_parsing_and_folding_need_no_database_and_no_clock(path: str, forbidden: str) -> None:
    root = Path(__file__).resolve().parents[2]
    assert not uses(imported_modules(parse(root / path)), forbidden)


def test_a_byte_order_mark_at_the_start_is_ignored() -> None:
    assert decode("\ufeffEmail\n".encode()) == "Email\n"


def test_a_file_that_is_not_utf8_is_refused_naming_the_byte() -> None:
    with pytest.raises(DomainError, match="not UTF-8 text \\(byte 6\\)"):
        decode(b"Email\n\xff\xfe")


def test_headers_match_whatever_their_case_and_the_first_of_duplicates_wins() -> None:
    assert header_map([" email ", "FIRST NAME", "Email", "Shoe size"]) == {"Email": 0, "First Name": 1}


@pytest.mark.parametrize("header", [["First Name"], []], ids=["another column", "no column"])
def test_a_header_without_email_is_refused(header: list[str]) -> None:
    with pytest.raises(DomainError, match="no 'Email' column"):
        header_map(header)


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(DomainError, match="empty"):
        parse_csv("")


def test_a_row_keeps_only_the_cells_it_fills_with_its_email_as_the_key() -> None:
    row = one_row("Ada@Example.com, Ada ,,Lead,2026-01-02,Marketing contact")
    assert (row.line, row.email, row.key) == (2, "Ada@Example.com", "ada@example.com")
    assert row.fields == {"first_name": "Ada", "lifecycle_stage": "lead", "created_at": datetime(2026, 1, 2)}
    assert row.request == StatusRequest.MARKETING


@pytest.mark.parametrize(
    ("column", "key"),
    [("First Name", "first_name"), ("Last Name", "last_name"), ("Lifecycle Stage", "lifecycle_stage")],
)
@pytest.mark.parametrize("value", [" Ada ", "LEAD", "x" * 40, "y" * 100, "", "   "])
def test_names_and_stages_are_cleaned_by_the_same_rule_as_a_contact_typed_in_the_dashboard(
    column: str, key: str, value: str
) -> None:
    try:
        expected = contact_fields.clean(key, value)
    except contact_fields.FieldError:
        assert rejection(f"a@example.com,{value}", header=f"Email,{column}") == (
            f"{column!r} is longer than {contact_fields.LIMITS[key]} characters"
        )
        return
    assert one_row(f"a@example.com,{value}", header=f"Email,{column}").fields.get(key) == expected


@pytest.mark.parametrize(
    ("status", "pending", "request_"),
    [
        pytest.param("", "", None, id="no status asks nothing"),
        pytest.param("Marketing contact", "", StatusRequest.MARKETING, id="marketing"),
        pytest.param("Non-marketing contact", "false", StatusRequest.NON_MARKETING, id="non-marketing"),
        pytest.param("true", "yes", StatusRequest.UNTIL_UPDATE, id="marketing until next update"),
        pytest.param("", "true", StatusRequest.LEAVE_AT_UPDATE, id="until next update alone"),
    ],
)
def test_the_status_cells_become_one_request(status: str, pending: str, request_: StatusRequest | None) -> None:
    header = "Email,Marketing contact status,Marketing contact until next update"
    assert one_row(f"a@example.com,{status},{pending}", header=header).request == request_


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        pytest.param(",Ada", "missing email", id="no email"),
        pytest.param("not-an-email,Ada", "invalid email 'not-an-email'", id="a bad email"),
        pytest.param("a@example.com,,,,02/01/2026", "unreadable date in 'Create Date': '02/01/2026'", id="a date"),
        pytest.param("a@example.com,,,,,Subscriber", "unknown status value 'Subscriber'", id="a status"),
        pytest.param("a@example.com,B\x00b", "a cell contains a NUL character", id="a NUL character"),
    ],
)
def test_a_bad_row_is_rejected_with_its_reason(line: str, reason: str) -> None:
    assert rejection(line).startswith(reason)


def test_a_contradictory_status_is_rejected() -> None:
    header = "Email,Marketing contact status,Marketing contact until next update"
    assert "contradictory" in rejection("a@example.com,Non-marketing contact,true", header=header)


def test_rejections_carry_the_line_where_their_record_starts() -> None:
    text = (
        'Email,First Name\nok@example.com,"Ada\nAugusta"\n\nnot-an-email,x\nok2@example.com,Bo\n'
        '"open@example.com\nlast@example.com,Z\n'  # an unterminated quote runs to the end of the file
    )
    rows, rejected = parse_csv(text)
    assert [(r.line, r.fields) for r in rows] == [(2, {"first_name": "Ada\nAugusta"}), (6, {"first_name": "Bo"})]
    assert [r["line"] for r in rejected] == [5, 7]


def test_a_date_with_an_offset_is_read_in_the_accounts_time_zone() -> None:
    row = one_row("a@example.com,,,,2026-07-15T10:00:00Z", timezone="Europe/Paris")
    assert row.fields["created_at"] == datetime(2026, 7, 15, 12, 0)


def test_a_cell_the_export_guarded_is_read_back_as_it_was() -> None:
    assert one_row("a@example.com,'=SUM(1)", header="Email,First Name").fields == {"first_name": "=SUM(1)"}


@pytest.mark.parametrize(
    ("bounce", "unsubscribed", "fields"),
    [
        pytest.param("mailbox full", "yes", {"hard_bounced": True, "unsubscribed_all": True}, id="both filled"),
        pytest.param("", "no", {"unsubscribed_all": False}, id="an explicit no is kept"),
        pytest.param(" ", "", {}, id="blank cells say nothing"),
    ],
)
def test_bounces_and_unsubscriptions_are_read(bounce: str, unsubscribed: str, fields: dict[str, bool]) -> None:
    header = "Email,Email hard bounce reason,Unsubscribed from all email"
    assert one_row(f"a@example.com,{bounce},{unsubscribed}", header=header).fields == fields
