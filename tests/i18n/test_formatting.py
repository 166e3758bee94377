"""Numbers, dates and money in each language (issue 15), formatted by Babel; and the translator's fields."""

from __future__ import annotations

from datetime import date

import pytest

from core.i18n import ENGLISH, N_, configured_language, translator

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [("en", 1583, "1,583"), ("pl", 1583, f"1{NBSP}583"), ("en", 0, "0"), ("pl", 1_000_000, f"1{NBSP}000{NBSP}000")],
)
def test_numbers(language: str, value: int, shown: str) -> None:
    assert translator(language).number(value) == shown


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("en", date(2027, 1, 1), "01 Jan 2027"),
        ("pl", date(2027, 1, 1), "1 sty 2027"),
        ("pl", date(2027, 3, 15), "15 mar 2027"),
        ("pl", date(2026, 12, 31), "31 gru 2026"),
    ],
)
def test_days(language: str, value: date, shown: str) -> None:
    assert translator(language).day(value) == shown


@pytest.mark.parametrize(
    ("language", "value", "currency", "shown"),
    [
        ("en", 890, "USD", "890 USD"),
        ("en", 1140, "USD", "1,140 USD"),
        ("pl", 890, "USD", f"890,00{NBSP}USD"),
        ("pl", 1140, "EUR", f"1{NBSP}140,00{NBSP}EUR"),
    ],
)
def test_money(language: str, value: int, currency: str, shown: str) -> None:
    assert translator(language).money(value, currency) == shown


@pytest.mark.parametrize(
    ("setting", "language"), [("pl", "pl"), ("PL", "pl"), ("pl_PL", "pl"), ("en", "en"), ("de", "en"), ("", "en")]
)
def test_the_deployment_language(monkeypatch: pytest.MonkeyPatch, setting: str, language: str) -> None:
    monkeypatch.setenv("MARKETABLE_LANGUAGE", setting)
    assert configured_language() == language


def test_fields_are_filled_by_type_and_english_needs_no_catalogue() -> None:
    text = ENGLISH(N_("{count} contacts leave on {day}"), count=12345, day=date(2027, 1, 1))
    assert text == "12,345 contacts leave on 01 Jan 2027"


@pytest.mark.parametrize(
    ("n", "form"),
    [
        (1, "kontakt"),
        (2, "kontakty"),
        (4, "kontakty"),
        (5, "kontaktów"),
        (12, "kontaktów"),
        (22, "kontakty"),
        (25, "kontaktów"),
        (0, "kontaktów"),
    ],
)
def test_polish_has_three_plural_forms(n: int, form: str) -> None:
    assert translator("pl").ngettext("{n} contact", "{n} contacts", n) == f"{translator('pl').number(n)} {form}"
