"""The Contacts pages in Polish (issue 15): a filter applied, the bulk dialogs with Polish counts, plurals and
dates, a confirmation refused because the contacts changed meanwhile, and a contact's page. Strict mode: a
sentence missing from the catalogue raises instead of showing English."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import LANGUAGE_ENV, STRICT_ENV
from tests.conftest import Cli
from tests.factories import add_contacts, state_of
from tests.pages.contacts_app import (
    dialog,
    dialog_metrics,
    dialog_text,
    known_database,
    metrics,
    open_contacts,
    select_rows,
    table,
    use_filter,
)
from tests.pages.i18n_app import english_left, visible_texts

LEADS = json.dumps([{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}])
CREATE = "FormSubmitter:ct_new_contact-Utwórz kontakt"
DETAIL = "pages/contacts/contact.py"

# Texts other parts of the dashboard show around these pages (the sidebar, the simulation banner, the stage
# picker's placeholder, the money line of a change); their own domains translate them and test them in Polish.
ELSEWHERE = re.compile(
    r"Local mode|Simulate as of|Show every figure as it will be|^Today: |^No stage$|^Money: |"
    r"^The tier is never lowered before renewal"
)


def _english_here(at: AppTest) -> list[str]:
    return [text for text in english_left(at) if not ELSEWHERE.search(text)]


@pytest.fixture
def polish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LANGUAGE_ENV, "pl")
    monkeypatch.setenv(STRICT_ENV, "1")


@pytest.mark.usefixtures("polish")
def test_a_filter_applied_in_polish_shows_polish_counts_columns_and_status_cells(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    known_database(app_env)  # 6 marketing, 2 pending (leave on 01 Dec 2026), 4 non-marketing customers
    at = open_contacts(open_app)
    use_filter(at, LEADS)
    assert metrics(at)["Pasujące kontakty"] == "8"
    assert metrics(at)["Kontakty marketingowe do następnej aktualizacji"] == "2"
    rows = table(at)
    assert list(rows.columns[:3]) == ["Status marketingowy", "E-mail", "Imię i nazwisko"]
    assert set(rows["Etap cyklu życia"]) == {"Lead"}
    assert "Kontakt marketingowy do następnej aktualizacji (1 gru)" in set(rows["Status marketingowy"])
    assert "Kontakt marketingowy" in set(rows["Status marketingowy"])
    assert any("Strona 1: kontakty 1–8 z 8" in c.value for c in at.caption)
    assert any(c.value == "Kontakty muszą spełniać każdy warunek." for c in at.caption)
    assert at.radio(key="ct_quick").options[0] == "Wszystkie kontakty"
    assert _english_here(at) == []


@pytest.mark.usefixtures("polish")
def test_the_filter_builder_names_properties_operators_and_values_in_polish(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    known_database(app_env)
    at = open_contacts(open_app)
    use_filter(
        at,
        json.dumps(
            [
                {"property": "source_type", "operator": "eq", "value": "integration"},
                {"property": "marketing_status", "operator": "neq", "value": "non_marketing"},
            ]
        ),
    )
    first, second = sorted(r["id"] for r in at.session_state["ct_filter__rows"])
    assert "Typ źródła" in at.selectbox(key=f"ct_filter_{first}_property").options
    assert at.selectbox(key=f"ct_filter_{first}_operator_source_type").options[:3] == [
        "jest",
        "nie jest",
        "jest jednym z",
    ]
    tools = at.selectbox(key=f"ct_filter_{first}_value_source_type_eq").options
    assert {"połączona aplikacja", "formularz", "działanie zbiorcze"} <= set(tools)
    statuses = at.selectbox(key=f"ct_filter_{second}_value_marketing_status_neq")
    assert statuses.options == ["Kontakt marketingowy", "Kontakt niemarketingowy"]
    assert _english_here(at) == []


@pytest.mark.usefixtures("polish")
def test_a_filter_that_cannot_be_used_says_why_in_polish(open_app: Callable[..., AppTest], app_env: str) -> None:
    known_database(app_env)
    at = open_contacts(open_app)
    use_filter(at, json.dumps([{"property": "created_at", "operator": "before", "value": "soon"}]))
    shown = [e.value for e in at.error]
    assert "warunek 1 (`created_at before`): oczekiwano daty RRRR-MM-DD, podano 'soon'" in shown
    assert _english_here(at) == []


@pytest.mark.usefixtures("polish")
def test_the_set_as_marketing_dialog_in_polish_counts_with_polish_plurals(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    known_database(app_env)
    at = open_contacts(open_app)
    at.radio(key="ct_quick").set_value("non_marketing").run()
    at.radio(key="ct_scope").set_value("all").run()
    at.menu_button(key="ct_more").click("marketing").run()
    assert dialog(at) is not None
    assert dialog_metrics(at) == {
        "Już marketingowe": "0",
        "Stają się marketingowe teraz": "4",
        "Cofnięte oczekujące zmiany": "0",
    }
    text = dialog_text(at)
    assert "**4 kontakty**: wszystkie kontakty pasujące do tego filtra (4)." in text
    assert at.checkbox(key="ct_dlg_all").label == "Zastosuj do wszystkich 4 kontaktów pasujących do tego filtra"
    assert at.text_input(key="ct_dlg_typed").label == "Wpisz **4**, aby potwierdzić"
    assert at.button(key="ct_dlg_confirm").label == "Ustaw jako marketingowe"
    assert _english_here(at) == []

    at.checkbox(key="ct_dlg_all").check().run()
    at.text_input(key="ct_dlg_typed").set_value("4").run()
    at.button(key="ct_dlg_confirm").click().run()
    assert dialog(at) is None
    assert at.success[0].value.startswith(
        "4 kontakty stały się marketingowe, cofnięto 0 zmian oczekujących, już marketingowe: 0."
    )


@pytest.mark.usefixtures("polish")
def test_a_tier_rise_in_polish_shows_polish_numbers_and_money_and_asks_consent(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    engine = known_database(app_env)
    add_contacts(engine, 1992, state="marketing", prefix="full")  # 2,000 marketing: the tier is full
    at = open_contacts(open_app)
    at.radio(key="ct_quick").set_value("non_marketing").run()
    select_rows(at, [0])
    at.menu_button(key="ct_more").click("marketing").run()
    text = dialog_text(at)
    assert "To podnosi rozliczany poziom kontaktów z **2\u00a0000** do **7\u00a0000** kontaktów marketingowych" in text
    assert "**1\u00a0140,00\u00a0USD** miesięcznie zamiast 890,00\u00a0USD" in text
    consent = at.checkbox(key="ct_dlg_upgrade")
    assert consent.label == "Zgadzam się na poziom 7\u00a0000 kontaktów za 1\u00a0140,00\u00a0USD miesięcznie"
    assert _english_here(at) == []
    at.text_input(key="ct_dlg_typed").set_value("1").run()
    assert at.button(key="ct_dlg_confirm").disabled, "typing the count is not consent to the upgrade"
    at.checkbox(key="ct_dlg_upgrade").check().run()
    at.button(key="ct_dlg_confirm").click().run()
    assert at.success[0].value == (
        "1 kontakt stał się marketingowy, cofnięto 0 zmian oczekujących, już marketingowe: 0. "
        "Rozliczany poziom kontaktów podniesiono do 7\u00a0000."
    )


@pytest.mark.usefixtures("polish")
def test_the_set_as_non_marketing_dialog_in_polish_shows_a_polish_date(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    known_database(app_env)
    at = open_contacts(open_app)
    at.radio(key="ct_quick").set_value("marketing").run()
    select_rows(at, [2])  # newest first: two pending contacts, then marketing ones
    at.menu_button(key="ct_more").click("non_marketing").run()
    assert dialog_metrics(at)["Data następnej aktualizacji"] == "1 gru 2026"
    assert dialog_metrics(at)["Zostaną zaplanowane"] == "1"
    text = dialog_text(at)
    assert "**1 kontakt**: 1 zaznaczony na tej stronie." in text
    assert "Pozostają kontaktami marketingowymi (i są rozliczane) do **1 gru 2026**" in text
    assert _english_here(at) == []
    at.button(key="ct_dlg_confirm").click().run()
    assert at.success[0].value == (
        "Zaplanowano ustawienie 1 kontaktu jako niemarketingowy; pominięte: 0. Staną się niemarketingowe 1 gru 2026."
    )


@pytest.mark.usefixtures("polish")
def test_the_delete_dialog_in_polish(open_app: Callable[..., AppTest], app_env: str) -> None:
    known_database(app_env)
    at = open_contacts(open_app)
    at.radio(key="ct_quick").set_value("non_marketing").run()
    at.radio(key="ct_scope").set_value("all").run()
    at.menu_button(key="ct_more").click("delete").run()
    assert dialog_metrics(at) == {"W tym kontakty marketingowe": "0", "Niemarketingowe": "4"}
    assert "Usuń **4** kontakty (wszystkie kontakty pasujące do tego filtra (4))." in dialog_text(at)
    assert _english_here(at) == []


@pytest.mark.usefixtures("polish")
def test_a_confirmation_outdated_meanwhile_is_explained_in_polish(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    engine = known_database(app_env)
    tab_a, tab_b = open_contacts(open_app), open_contacts(open_app)
    tab_a.radio(key="ct_quick").set_value("non_marketing").run()
    tab_a.radio(key="ct_scope").set_value("all").run()
    tab_a.menu_button(key="ct_more").click("marketing").run()
    tab_a.checkbox(key="ct_dlg_all").check().run()
    tab_a.text_input(key="ct_dlg_typed").set_value("4").run()
    tab_b.text_input(key="ct_new_email").set_value("late@example.com")
    tab_b.button(key=CREATE).click().run()  # tab B adds a non-marketing contact meanwhile
    assert not tab_b.exception, tab_b.exception
    assert tab_b.success[0].value.startswith("Utworzono kontakt niemarketingowy: late@example.com")

    tab_a.button(key="ct_dlg_confirm").click().run()
    assert dialog(tab_a) is not None, "the dialog stays open"
    assert (
        "W międzyczasie ktoś zmienił te kontakty: potwierdzono 4 kontakty, teraz zmieniłoby się: 5. "
        "Niczego nie zmieniono. Sprawdź nowe liczby i potwierdź ponownie." in dialog_text(tab_a)
    )
    assert "**5 kontaktów**: wszystkie kontakty pasujące do tego filtra (5)." in dialog_text(tab_a)
    assert _english_here(tab_a) == []
    assert state_of(engine, "late@example.com") == "non_marketing"


@pytest.mark.usefixtures("polish")
def test_a_contacts_page_in_polish_says_why_and_shows_its_history(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    known_database(app_env)
    cli = Cli(app_env)
    made = cli("create-contact", "--source", "form", "--source-id", "webinar", "--email", "w@example.com")
    cli("--actor", "ops", "set-status", "--to", "non-marketing", "--ids", str(made["contact_id"]))
    at = open_contacts(open_app)
    select_rows(at, [0])
    at.button(key="ct_open").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Kontakt 13"
    why = " ".join(m.value for m in at.markdown)
    assert (
        "**Status marketingowy:** Kontakt marketingowy do następnej aktualizacji (niemarketingowy od 1 gru 2026)" in why
    )
    assert "Ustawiony jako marketingowy przez: formularz webinar" in why
    assert "pozostaje marketingowy do 1 gru 2026" in why
    history = at.dataframe[0].value
    assert list(history.columns) == ["Zlecono", "Z", "Na", "Obowiązuje od", "Źródło", "Przez"]
    assert list(history["Na"]) == ["Kontakt marketingowy do następnej aktualizacji", "Kontakt marketingowy"]
    assert list(history["Źródło"]) == ["działanie zbiorcze", "formularz webinar"]
    assert any(c.value == "Identyfikator rekordu (Record ID) mk-13 (utworzony tutaj)" for c in at.caption)
    assert _english_here(at) == []
    assert visible_texts(at)


@pytest.mark.usefixtures("polish")
def test_a_contact_that_cannot_be_found_is_said_in_polish(open_app: Callable[..., AppTest], app_env: str) -> None:
    known_database(app_env)
    at = open_app(DETAIL)
    at.text_input(key="cd_lookup").set_value("nobody@example.com").run()
    assert [e.value for e in at.error] == ["brak kontaktu z adresem e-mail nobody@example.com"]
    assert _english_here(at) == []
