"""Reading and writing HubSpot-format CSV cells (docs/domain.md §9)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from core.rules.csvformat import (
    CellError,
    StatusRequest,
    escape_cell,
    format_datetime,
    parse_bool,
    parse_datetime,
    parse_email,
    parse_status,
    status_request,
    unescape_cell,
)

dt = datetime


@pytest.mark.parametrize(
    ("text", "timezone", "expected"),
    [
        pytest.param("2026-01-15", "UTC", dt(2026, 1, 15), id="a plain date"),
        pytest.param("2026-01-15 10:30", "UTC", dt(2026, 1, 15, 10, 30), id="a date with hours and minutes"),
        pytest.param("2026-01-15 10:30:45", "UTC", dt(2026, 1, 15, 10, 30, 45), id="HubSpot's export format"),
        pytest.param("2026-01-15T10:30:00+01:00", "UTC", dt(2026, 1, 15, 9, 30), id="ISO with T and an offset"),
        pytest.param("2026-01-15T10:30:00Z", "UTC", dt(2026, 1, 15, 10, 30), id="ISO with T and Z"),
        pytest.param("2026-01-15T10:30+01:00", "UTC", dt(2026, 1, 15, 9, 30), id="ISO without seconds"),
        pytest.param("2026-01-15T10:30:00.250+00:00", "UTC", dt(2026, 1, 15, 10, 30, 0, 250_000), id="fractions"),
        pytest.param(
            "2026-01-15T23:30:00-05:00", "UTC", dt(2026, 1, 16, 4, 30), id="a negative offset moves to the next day"
        ),
        pytest.param(
            "2026-07-15T10:00:00Z", "Europe/Paris", dt(2026, 7, 15, 12, 0), id="converted to the account's zone"
        ),
        pytest.param("2026-01-15 10:00:00", "Europe/Paris", dt(2026, 1, 15, 10, 0), id="a local time stays as written"),
        pytest.param("  2026-01-15  ", "UTC", dt(2026, 1, 15), id="spaces around are ignored"),
        pytest.param("2028-02-29", "UTC", dt(2028, 2, 29), id="a leap day"),
    ],
)
def test_the_four_date_forms_are_readable(text: str, timezone: str, expected: datetime) -> None:
    assert parse_datetime(text, "Create Date", timezone) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("15/01/2026", id="day first with slashes"),
        pytest.param("01/15/2026", id="month first with slashes"),
        pytest.param("2026/01/15", id="slashes"),
        pytest.param("15.01.2026", id="dots"),
        pytest.param("Jan 15, 2026", id="words"),
        pytest.param("2026-02-30", id="an impossible day"),
        pytest.param("2027-02-29", id="a leap day in a common year"),
        pytest.param("2026-01-15T10:30:00", id="ISO with T but no offset"),
        pytest.param("2026-01-15 10:30:00+01:00", id="an offset without T"),
        pytest.param("2026-01-15 25:00", id="an impossible hour"),
        pytest.param("2026-1-5", id="month and day without leading zeros"),
        pytest.param("2026-01-15 9:05", id="an hour without a leading zero"),
        pytest.param("20260115", id="digits only"),
        pytest.param("1768471200", id="a unix timestamp"),
        pytest.param("yesterday", id="a word"),
    ],
)
def test_any_other_date_form_is_an_unreadable_date_naming_the_column(text: str) -> None:
    with pytest.raises(CellError, match="unreadable date in 'Last Activity Date'"):
        parse_datetime(text, "Last Activity Date")


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_date_cell_means_no_date(text: str) -> None:
    assert parse_datetime(text, "Create Date") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("TRUE", True),
        ("yes", True),
        ("Yes", True),
        ("1", True),
        ("false", False),
        ("False", False),
        ("no", False),
        ("0", False),
        (" true ", True),
        ("", None),
    ],
)
def test_booleans_are_read_as_true_false_yes_no_one_zero(text: str, value: bool | None) -> None:
    assert parse_bool(text, "Unsubscribed from all email") is value


@pytest.mark.parametrize("text", ["y", "n", "2", "maybe", "t", "unsubscribed"])
def test_another_boolean_value_is_refused_naming_the_column(text: str) -> None:
    with pytest.raises(CellError, match="Unsubscribed from all email"):
        parse_bool(text, "Unsubscribed from all email")


@pytest.mark.parametrize(
    ("text", "marketing"),
    [
        pytest.param("Marketing contact", True, id="HubSpot's marketing text"),
        pytest.param("Non-marketing contact", False, id="HubSpot's non-marketing text"),
        pytest.param("marketing contact", True, id="any case"),
        pytest.param("true", True, id="true"),
        pytest.param("false", False, id="false"),
        pytest.param("TRUE", True, id="TRUE"),
        pytest.param("", None, id="empty: no status given"),
    ],
)
def test_status_values_are_read(text: str, marketing: bool | None) -> None:
    assert parse_status(text) is marketing


@pytest.mark.parametrize("text", ["Marketable", "pending", "Subscriber", "yes-ish", "Non marketing contact x"])
def test_an_unknown_status_value_is_refused(text: str) -> None:
    with pytest.raises(CellError, match="unknown status value"):
        parse_status(text)


@pytest.mark.parametrize(
    ("status", "pending", "asked"),
    [
        pytest.param(True, False, StatusRequest.MARKETING, id="marketing"),
        pytest.param(True, None, StatusRequest.MARKETING, id="marketing without the pending column"),
        pytest.param(True, True, StatusRequest.UNTIL_UPDATE, id="marketing until the next update"),
        pytest.param(False, False, StatusRequest.NON_MARKETING, id="non-marketing"),
        pytest.param(False, None, StatusRequest.NON_MARKETING, id="non-marketing without the pending column"),
        pytest.param(None, True, StatusRequest.LEAVE_AT_UPDATE, id="until next update alone: leave at the update"),
        pytest.param(None, None, None, id="nothing asked"),
        pytest.param(None, False, None, id="only a false pending flag asks nothing"),
    ],
)
def test_a_rows_status_cells_give_the_request(status: bool | None, pending: bool | None, asked: object) -> None:
    assert status_request(status, pending) == asked


def test_a_row_non_marketing_and_until_next_update_is_contradictory() -> None:
    with pytest.raises(CellError, match="contradictory"):
        status_request(False, True)


@pytest.mark.parametrize(
    "email", ["ada@example.com", "Ada.Lovelace+news@Example.co.uk", "o'neil@x.io", "a_b-c@sub.example-domain.com"]
)
def test_a_valid_email_is_kept_as_written(email: str) -> None:
    assert parse_email(f" {email} ") == email


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "missing email"),
        ("   ", "missing email"),
        ("ada", "invalid email"),
        ("ada@", "invalid email"),
        ("@example.com", "invalid email"),
        ("ada@example", "invalid email"),
        ("ada lovelace@example.com", "invalid email"),
        ("ada@@example.com", "invalid email"),
        ("ada@exa_mple.com", "invalid email"),
        ("a" * 250 + "@example.com", "invalid email"),
        ("ada\x00@example.com", "invalid email"),
        ("ada\x01x@example.com", "invalid email"),
        ("ada\x7f@example.com", "invalid email"),
    ],
)
def test_a_missing_or_invalid_email_is_refused(text: str, reason: str) -> None:
    with pytest.raises(CellError, match=reason):
        parse_email(text)


@pytest.mark.parametrize(
    "value",
    [
        "=SUM(A1:A3)",
        "+1 555 0100",
        "-42",
        "@import",
        "\tcell",
        "\rcell",
        "plain",
        "",
        "'quoted",
        "'=already",
        "''=twice",
        "O'Neil",
    ],
)
def test_a_cell_survives_formula_escaping_and_unescaping(value: str) -> None:
    assert unescape_cell(escape_cell(value)) == value


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x")', "+cmd", "-cmd", "@cmd", "\t=cmd", "\r=cmd"])
def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_neutralised(value: str) -> None:
    escaped = escape_cell(value)
    assert escaped.startswith("'") and escaped[1:] == value


@pytest.mark.parametrize(("value", "text"), [(None, ""), (12, "12"), ("x", "x")])
def test_other_cells_are_written_as_text(value: object, text: str) -> None:
    assert escape_cell(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (dt(2026, 1, 15, 10, 30, 5), "2026-01-15 10:30:05"),
        (date(2026, 12, 1), "2026-12-01"),
    ],
)
def test_dates_are_written_in_hubspots_export_format(value: object, text: str) -> None:
    assert format_datetime(value) == text  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [dt(2026, 1, 15, 10, 30, 5), dt(2028, 2, 29, 0, 0, 0)])
def test_a_written_date_reads_back_the_same(value: datetime) -> None:
    assert parse_datetime(format_datetime(value), "Create Date") == value
