"""The import and sources pages in Polish (issue 15): a CSV uploaded, previewed and imported, its rejected rows'
reasons, the consents to undo scheduled changes and to raise the tier with Polish numbers, the sources page and the
HubSpot list dialog. Strict mode: a sentence missing from the catalogue raises instead of showing English.

The checks for English left look at the page's own area (``at.main``): the sidebar is the shared layout's, checked
by tests/pages/test_i18n_pages.py."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any, cast

import pytest
from streamlit.testing.v1 import AppTest

from core.errors import Sentence
from core.i18n import ENGLISH, LANGUAGE_ENV, STRICT_ENV, translator
from core.rules import csvformat as fmt
from core.services.imports.parse import parse_csv
from core.services.imports.preview import rejected_lines_csv
from core.settings import HUBSPOT_TOKEN_ENV, HUBSPOT_URL_ENV
from tests.factories import add_contacts
from tests.helpers import csv_text
from tests.hubspot_fake import HubSpotState, running
from tests.pages.contacts_app import dialog_text, known_database, select_rows, table
from tests.pages.i18n_app import english_left
from tests.pages.test_import_hubspot_pages import stale_file

IMPORT = "pages/contacts/import_contacts.py"
SOURCES = "pages/contacts/sources.py"
NBSP = "\u00a0"
GOOD_AND_BAD = [
    ["ada@example.com", "Ada", "Lovelace", "lead", "Marketing contact", "", "", ""],
    ["oops-at-example.com", "Bad", "Rowan", "", "", "", "", ""],
    ["m0@example.com", "", "", "customer", "Non-marketing contact", "", "", ""],
    ["bob@example.com", "Bob", "", "", "maybe", "", "", ""],
]
# What the test's files hold (HubSpot's column names and cells): data, not the page's English.
FILE_DATA = tuple(
    sorted(  # longest first: "Original source name" before "Original source"
        {*fmt.KNOWN_HEADERS, *fmt.EXPORT_EXTRA, "Marketing contact", "Non-marketing contact", "customer", "lead"},
        key=len,
        reverse=True,
    )
)


@pytest.fixture
def polish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LANGUAGE_ENV, "pl")
    monkeypatch.setenv(STRICT_ENV, "1")  # a sentence missing from the catalogue raises


# The money line under the figures is the shared one (pages/shared/money.py, core.rules.money: other catalogues).
NOT_OURS = ("Money: ", "The tier is never lowered before renewal")


def english_on_page(at: AppTest, *, allowed: tuple[str, ...] = ()) -> list[str]:
    """The page's texts (not the sidebar's, nor the shared money line) that still hold English."""
    left = english_left(cast(AppTest, SimpleNamespace(_tree=at.main)), allowed=allowed)
    return [text for text in left if not text.startswith(NOT_OURS)]


def _upload(at: AppTest, data: bytes, name: str = "kontakty.csv") -> dict[str, str]:
    at.file_uploader(key="imp_file").set_value((name, data, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    return {m.label: m.value for m in at.metric}


def _frame(at: AppTest, column: str) -> Any:
    (found,) = [d.value for d in at.dataframe if column in d.value.columns]
    return found


def test_a_csv_is_previewed_and_imported_in_polish_with_its_rejected_rows_reasons(
    open_app: Callable[..., AppTest], app_env: str, polish: None
) -> None:
    known_database(app_env)
    at = open_app(IMPORT)
    assert at.title[0].value == "Importuj kontakty"
    assert "Kolumny: `Email` (wymagana)" in at.caption[0].value
    assert english_on_page(at) == []
    shown = _upload(at, csv_text(GOOD_AND_BAD).encode())
    assert (shown["Wiersze do zaimportowania"], shown["Nowe kontakty"], shown["Odrzucone wiersze"]) == ("2", "1", "2")
    mapping = _frame(at, "Importowana jako")
    uses = dict(zip(mapping["Kolumna w pliku"], mapping["Importowana jako"], strict=True))
    assert uses["Email"] == "E-mail (wymagany; dopasowuje istniejące kontakty)"
    assert uses["Lifecycle Stage"] == "Etap cyklu życia"
    rejected = _frame(at, "Powód")
    assert list(rejected["Wiersz"]) == [3, 5]
    assert list(rejected["Powód"]) == [
        "nieprawidłowy adres e-mail 'oops-at-example.com'",
        "nieznana wartość statusu 'maybe' w kolumnie 'Marketing contact status'",
    ]
    assert at.expander[0].label == "Odrzucone wiersze (2): zostaną pominięte, pozostałe zostaną zaimportowane"
    assert at.button(key="imp_run").label == "Importuj 2 wiersze"
    assert english_on_page(at, allowed=FILE_DATA) == []
    at.button(key="imp_run").click().run()
    assert not at.exception, at.exception
    report = {m.label: m.value for m in at.metric}
    assert (report["Utworzone"], report["Zaktualizowane"], report["Odrzucone"]) == ("1", "1", "2")
    assert at.success[0].value.startswith("Import zakończony.")
    assert _frame(at, "Powód")["Powód"].iloc[0] == "nieprawidłowy adres e-mail 'oops-at-example.com'"
    assert at.get("download_button")[0].proto.label == "Pobierz odrzucone wiersze (CSV)"
    assert english_on_page(at, allowed=FILE_DATA) == [], "HubSpot column names are the file's"


def test_a_record_id_conflict_is_rejected_with_its_reason_in_polish(
    open_app: Callable[..., AppTest], app_env: str, polish: None
) -> None:
    known_database(app_env)
    at = open_app(IMPORT)
    header = ("Record ID", "Email", "Lifecycle Stage")
    first = "\n".join(",".join(r) for r in [header, ("900", "ada@example.com", "lead")]) + "\n"
    _upload(at, first.encode(), "hubspot-1.csv")
    at.button(key="imp_run").click().run()
    at.button(key="imp_again").click().run()
    later = [header, ("900", "m0@example.com", "lead"), ("12x", "eve@example.com", "lead")]
    shown = _upload(at, ("\n".join(",".join(r) for r in later) + "\n").encode(), "hubspot-2.csv")
    assert shown["Odrzucone wiersze"] == "2"
    assert list(_frame(at, "Powód")["Powód"]) == [
        "Identyfikator rekordu 900 i e-mail m0@example.com to dwa różne kontakty",
        "nieczytelny identyfikator rekordu '12x': identyfikatory HubSpot to liczby całkowite, własne identyfikatory "
        "Marketable mają postać mk-<number>",
    ]


def test_the_stale_rows_and_the_consent_to_undo_are_shown_in_polish(
    open_app: Callable[..., AppTest], app_env: str, tmp_path: object, polish: None
) -> None:
    known_database(app_env)
    at = open_app(IMPORT)
    _upload(at, stale_file(app_env, tmp_path), "przed.csv")
    assert any(i.value.startswith("**2 wiersze są starsze niż ostatnia zmiana statusu") for i in at.info)
    kept = _frame(at, "Zachowany")
    assert set(kept["Zachowany"]) == {"Marketingowy do następnej aktualizacji"}
    assert set(kept["Plik podaje"]) == {"Marketingowy"}
    (warning,) = [w.value for w in at.warning]
    assert warning.startswith("Ten import **cofa 1 zaplanowaną zmianę na niemarketingowy**")
    assert at.checkbox(key="imp_undo").label == "Zgadzam się cofnąć 1 zaplanowaną zmianę"
    assert at.button(key="imp_run").disabled, "undoing needs consent"
    assert english_on_page(at, allowed=FILE_DATA) == []


def test_the_consent_to_raise_the_tier_is_asked_in_polish_with_polish_numbers(
    open_app: Callable[..., AppTest], app_env: str, polish: None
) -> None:
    engine = known_database(app_env)
    add_contacts(engine, 1992, state="marketing", prefix="full")  # 2,000 marketing: the tier is full
    engine.dispose()
    at = open_app(IMPORT)
    rows = [[f"x{i}@example.com", "", "", "", "", "", "", ""] for i in range(3)]
    _upload(at, csv_text(rows).encode())
    assert at.main.caption[-1].value == f"Rozliczany poziom kontaktów pozostaje bez zmian: 2{NBSP}000."
    at.checkbox(key="imp_marketing").check().run()
    (warning,) = [w.value for w in at.warning]
    assert f"podnosi rozliczany poziom kontaktów z **2{NBSP}000** do **7{NBSP}000**" in warning
    assert warning.startswith("Ten import ustawia 3 kontakty jako marketingowe")
    assert at.checkbox(key="imp_consent").label == f"Zgadzam się na poziom 7{NBSP}000 kontaktów"
    assert at.button(key="imp_run").label == "Importuj 3 wiersze"
    assert english_on_page(at, allowed=FILE_DATA) == []


def test_the_sources_page_in_polish(open_app: Callable[..., AppTest], app_env: str, polish: None) -> None:
    known_database(app_env)
    at = open_app(SOURCES)
    assert at.title[0].value == "Domyślny status według źródła"
    assert [s.value for s in at.subheader][:3] == ["Formularze", "Chatflowy", "Połączone aplikacje"]
    others = _frame(at, "Źródło")
    assert list(others["Źródło"])[:2] == ["Import", "Tworzenie ręczne"]
    assert "Aplikacja mobilna" in list(others["Źródło"])
    at.form_submit_button[0].click().run()  # no ID typed
    assert at.error[0].value.startswith("Podaj identyfikator formularza")
    at.text_input(key="src_add_id").set_value("kontakt")
    at.text_input(key="src_add_name").set_value("Formularz kontaktowy")
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "Dodano Formularz kontaktowy."
    (toggle,) = at.main.toggle
    assert toggle.label == "**Formularz kontaktowy** (`kontakt`, dotychczas 0 kontaktów): nowe kontakty są marketingowe"
    assert toggle.value is True, "a new form makes marketing contacts until switched"
    toggle.set_value(False).run()
    assert at.success[0].value == "Formularz kontaktowy: nowe kontakty są teraz niemarketingowe."
    at.main.toggle[0].set_value(True).run()
    assert not at.exception, at.exception
    assert any(m.value.startswith("**Włączyć formularz kontakt?**") for m in at.markdown)
    (warning,) = [w.value for w in at.warning]
    assert warning.startswith(
        f"Konto ma 8 kontaktów marketingowych przy poziomie 2{NBSP}000 kontaktów: zmieści się jeszcze 1{NBSP}992, "
        f"zanim poziom wzrośnie do 7{NBSP}000 kontaktów (1{NBSP}140,00{NBSP}USD miesięcznie zamiast 890,00{NBSP}USD)."
    ), warning
    assert at.checkbox(key="src_agree").label.startswith("Rozumiem, że te kontakty są rozliczane")
    assert english_on_page(at) == []


@pytest.fixture
def hubspot(monkeypatch: pytest.MonkeyPatch) -> Iterator[HubSpotState]:
    token = "pat-eu1-12121212-3434-5656-7878-909090909090"
    with running(token) as (url, state):
        monkeypatch.setenv(HUBSPOT_TOKEN_ENV, token)
        monkeypatch.setenv(HUBSPOT_URL_ENV, url)
        yield state


def test_the_hubspot_list_dialog_speaks_polish(
    open_app: Callable[..., AppTest], app_env: str, hubspot: HubSpotState, polish: None
) -> None:
    engine = known_database(app_env)
    hubspot.add_contact(7001, email="hs7001@example.com")
    add_contacts(engine, email="hs7001@example.com", hubspot_id=7001, state="marketing")
    engine.dispose()
    at = open_app("pages/contacts/contacts.py")
    rows = table(at)
    select_rows(at, [i for i, email in enumerate(rows["E-mail"]) if email.startswith("hs")])
    at.menu_button(key="ct_more").click("hubspot_list").run()
    assert not at.exception, at.exception
    text = dialog_text(at)
    assert "**Zarządzaj kontaktami marketingowymi → Użyj listy**" in text
    assert at.text_input(key="ct_dlg_hubspot_list").label == "Nazwa listy w HubSpot"
    at.text_input(key="ct_dlg_hubspot_list").set_value("Styczeń").run()
    at.button(key="ct_dlg_confirm").click().run()
    assert not at.exception, at.exception
    message = at.success[0].value
    assert message.startswith("Wysłano 1 kontakt na listę HubSpot „Styczeń” (nowych na liście: 1).")
    assert message.endswith("Dokończ w HubSpot: Zarządzaj kontaktami marketingowymi → Użyj listy → „Styczeń”.")


def test_a_rejection_reason_is_english_in_the_json_and_polish_on_the_page() -> None:
    text = csv_text([["a@example.com", "", "", "", "", "yes", "", "perhaps"]])
    _rows, rejected = parse_csv(text)
    (reason,) = [r["reason"] for r in rejected]
    english = "unknown value in 'Unsubscribed from all email': 'perhaps' (use true or false)"
    assert reason == english and json.dumps(rejected) == json.dumps([{"line": 2, "reason": english}])
    assert isinstance(reason, Sentence) and reason.text(ENGLISH) == english
    polish = translator("pl")
    assert reason.text(polish) == (
        "nieznana wartość w kolumnie 'Unsubscribed from all email': 'perhaps' (użyj true lub false)"
    )
    with pytest.raises(fmt.CellError) as caught:
        fmt.parse_email("nobody")
    assert fmt.reason_of(caught.value).text(polish) == "nieprawidłowy adres e-mail 'nobody'"  # type: ignore[attr-defined]


class _Shaped(ValueError):
    """An error shaped like a DomainError (its English sentence and fields), as other rules raise them."""

    def __init__(self, message: str, /, **params: Any) -> None:
        self.message, self.params = message, params
        super().__init__(ENGLISH(message, **params))


def test_a_reason_keeps_the_sentence_of_an_error_shaped_like_a_domain_error() -> None:
    polish = translator("pl")
    said = fmt.reason_of(_Shaped("unreadable date in {column}: {value}", column="'Create Date'", value="'x'"))
    assert said == "unreadable date in 'Create Date': 'x'"
    assert isinstance(said, Sentence) and said.text(polish) == "nieczytelna data w kolumnie 'Create Date': 'x'"
    plain = fmt.reason_of(ValueError("something else"))
    assert plain == "something else" and not isinstance(plain, Sentence)


def test_the_rejected_lines_file_downloaded_in_polish_names_its_columns_and_reasons_in_polish() -> None:
    data = csv_text([["oops-at-example.com", "Ada", "", "", "", "", "", ""]]).encode()
    _rows, rejected = parse_csv(data.decode())
    english = rejected_lines_csv(data, rejected).decode().splitlines()
    assert english[0].startswith("Line,Reason,Email,")
    assert english[1].startswith("2,invalid email 'oops-at-example.com'")
    polish = rejected_lines_csv(data, rejected, t=translator("pl")).decode().splitlines()
    assert polish[0].startswith("Wiersz,Powód,Email,")
    assert polish[1].startswith("2,nieprawidłowy adres e-mail 'oops-at-example.com',oops-at-example.com,Ada")
