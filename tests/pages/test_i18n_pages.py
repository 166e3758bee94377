"""Every page in each language (issue 15): a fresh start renders every page in English and in Polish; in Polish
no sentence is missing from the catalogue (strict mode raises on one) and no English is left on the page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import LANGUAGE_ENV, STRICT_ENV
from tests.pages.i18n_app import english_left, visible_texts

PAGES = [
    "pages/usage/usage.py",
    "pages/contacts/contacts.py",
    "pages/contacts/contact.py",
    "pages/contacts/import_contacts.py",
    "pages/contacts/sources.py",
    "pages/workflows/workflows.py",
    "pages/admin/settings.py",
    "pages/admin/connections.py",
    "pages/admin/audit.py",
    "pages/admin/users.py",
]


@pytest.fixture
def in_language(monkeypatch: pytest.MonkeyPatch, open_app: Callable[..., AppTest]) -> Callable[[str, str], AppTest]:
    def _open(language: str, page: str) -> AppTest:
        monkeypatch.setenv(LANGUAGE_ENV, language)
        monkeypatch.setenv(STRICT_ENV, "1")  # a sentence missing from the catalogue is an error, not English
        return open_app(page)

    return _open


@pytest.mark.parametrize("page", PAGES)
def test_a_page_on_a_fresh_start_has_no_english_left_in_polish(
    in_language: Callable[[str, str], AppTest], page: str
) -> None:
    at = in_language("pl", page)
    assert not at.exception, at.exception
    assert visible_texts(at), "the page shows something"
    assert english_left(at) == []


@pytest.mark.parametrize("page", PAGES)
def test_a_page_on_a_fresh_start_is_english_by_default(in_language: Callable[[str, str], AppTest], page: str) -> None:
    at = in_language("en", page)
    assert not at.exception, at.exception
    assert english_left(at), "the check finds English where it is (it can fail)"
