"""The one email rule: what a valid address is, and how addresses are matched (contacts and users alike)."""

from __future__ import annotations

import pytest

from core.rules import email_address
from core.rules.email_address import EmailError, is_valid, match_key, parse


@pytest.mark.parametrize(
    "email", ["ada@example.com", "Ada.Lovelace+news@Example.co.uk", "o'neil@x.io", "a_b-c@sub.example-domain.com"]
)
def test_a_valid_address_is_stored_as_written_without_the_spaces_around_it(email: str) -> None:
    assert parse(f" {email}\t") == email
    assert is_valid(email)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("", "missing email", id="empty"),
        pytest.param("   ", "missing email", id="only spaces"),
        pytest.param("ada", "invalid email 'ada'", id="no at sign"),
        pytest.param("ada@", "invalid email", id="no domain"),
        pytest.param("@example.com", "invalid email", id="no local part"),
        pytest.param("@", "invalid email", id="only the at sign"),
        pytest.param("ada@example", "invalid email", id="a domain of one label"),
        pytest.param("ada lovelace@example.com", "invalid email", id="a space inside"),
        pytest.param("ada@@example.com", "invalid email", id="two at signs"),
        pytest.param("ada@exa_mple.com", "invalid email", id="an underscore in the domain"),
        pytest.param("ada@-example.com", "invalid email", id="a label starting with a hyphen"),
        pytest.param("a" * 250 + "@example.com", "invalid email", id="longer than 254 characters"),
        pytest.param("ada\x00@example.com", "invalid email", id="NUL"),
        pytest.param("ada\x01x@example.com", "invalid email", id="a control character"),
        pytest.param("ada\x7f@example.com", "invalid email", id="DEL"),
        pytest.param('"ada"@example.com', "invalid email", id="a quoted local part"),
    ],
)
def test_a_missing_or_invalid_address_is_refused_with_why(text: str, reason: str) -> None:
    with pytest.raises(EmailError, match=reason):
        parse(text)
    assert not is_valid(text.strip())


def test_the_longest_address_kept_is_254_characters() -> None:
    longest = "a" * (email_address.MAX_LENGTH - len("@example.com")) + "@example.com"
    assert parse(longest) == longest
    assert not is_valid("a" + longest)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        pytest.param("Ada@Example.com", "ada@example.com", id="case"),
        pytest.param(" ADA@EXAMPLE.COM ", "ada@example.com", id="case and spaces"),
        pytest.param("Ada.Lovelace+News@Example.co.uk", "ada.lovelace+news@example.co.uk", id="the local part too"),
    ],
)
def test_addresses_that_differ_only_in_case_or_spaces_match(one: str, other: str) -> None:
    assert match_key(one) == match_key(other) == other


def test_addresses_that_differ_otherwise_do_not_match() -> None:
    assert match_key("ada+news@example.com") != match_key("ada@example.com")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("a\u200bb@example.com", id="a zero-width space"),
        pytest.param("ab\u200d@example.com", id="a zero-width joiner"),
        pytest.param("\ufeffab@example.com", id="a byte-order mark"),
        pytest.param("ab\u202e@example.com", id="a right-to-left override"),
        pytest.param("İ" * 200 + "@example.com", id="an address that grows past 254 characters once lower-cased"),
    ],
)
def test_an_address_with_invisible_characters_or_that_outgrows_its_column_lower_cased_is_invalid(text: str) -> None:
    assert not email_address.is_valid(text)
    with pytest.raises(email_address.EmailError, match="invalid email"):
        email_address.parse(text)
