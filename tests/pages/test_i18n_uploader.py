"""Streamlit's file uploader writes its button and its limit in English, whatever the language (its frontend has no
setting for them): in Polish the page hides those words and shows the translation in their place (CSS)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import LANGUAGE_ENV, STRICT_ENV


def _styles(at: AppTest) -> str:
    return "\n".join(e.proto.body for e in at.get("html") if "<style>" in e.proto.body)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_uploader_says_its_button_and_limit_in_the_language(
    open_app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    monkeypatch.setenv(LANGUAGE_ENV, language)
    monkeypatch.setenv(STRICT_ENV, "1")
    at = open_app("pages/contacts/import_contacts.py")
    assert not at.exception, at.exception
    styles = _styles(at)
    if language == "pl":
        assert 'content: "Wybierz plik"' in styles
        assert 'content: "Do 200 MB na plik • CSV"' in styles
        assert '[data-testid="stFileUploaderDropzoneInstructions"] > div > span { display: none; }' in styles
    else:
        assert "stFileUploaderDropzone" not in styles, "English: Streamlit's own words stay"
