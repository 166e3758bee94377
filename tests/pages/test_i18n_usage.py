"""Usage & limits in Polish (issue 15): every tab, the wizard's steps and its result, the simulator and the forecast
say their sentences, numbers, dates and money in Polish (``1 675``, ``1 sty 2027``, ``890,00 USD``), the charts'
date axes are labelled by Babel (``sty 2027``: Plotly alone writes English month names), and no English is left.

Strict mode is on: a sentence missing from the catalogue raises instead of showing English."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from core.i18n import ENGLISH, LANGUAGE_ENV, STRICT_ENV, translator
from core.rules.money import MoneyEffect, PriceOn, amount, describe
from tests.pages.i18n_app import english_left
from tests.pages.usage_app import add_condition, click, keep_running_app_py, metrics, open_tab

NBSP = "\u00a0"
ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@pytest.fixture(autouse=True)
def _every_run_starts_from_app_py(monkeypatch: pytest.MonkeyPatch) -> None:
    keep_running_app_py(monkeypatch)


@pytest.fixture
def polish(monkeypatch: pytest.MonkeyPatch, open_app: Callable[..., AppTest]) -> Callable[[], AppTest]:
    def _open() -> AppTest:
        monkeypatch.setenv(LANGUAGE_ENV, "pl")
        monkeypatch.setenv(STRICT_ENV, "1")  # a sentence missing from the catalogue raises instead of showing English
        at = open_app()
        assert not at.exception, at.exception
        return at

    return _open


def figure(at: AppTest, index: int) -> dict[str, Any]:
    return dict(json.loads(at.get("plotly_chart")[index].proto.spec))


def no_english_month(texts: list[str]) -> None:
    for text in texts:
        assert not any(month in text.split() for month in ENGLISH_MONTHS), text


def test_the_page_says_its_figures_in_polish(polish: Callable[[], AppTest]) -> None:
    at = polish()
    assert at.title[0].value == "Użycie i limity"
    shown = metrics(at)
    assert shown["Kontakty marketingowe"] == f"1{NBSP}675"
    assert shown["Kontakty marketingowe do następnej aktualizacji"] == "92"
    assert shown["Rozliczany poziom kontaktów"] == f"2{NBSP}000"
    assert shown["Procent poziomu kontaktów"] == f"83,8{NBSP}%"
    assert shown["Data następnej aktualizacji"] == "1 gru 2026"
    assert shown["Data odnowienia"] == "30 sty 2027"
    assert shown["Miesięczny koszt teraz"] == f"890,00{NBSP}USD"
    assert shown["Przy odnowieniu 30 sty 2027"] == f"890,00{NBSP}USD"
    assert shown["Od daty aktualizacji 1 gru"] == f"890,00{NBSP}USD"
    help_texts = {m.label: m.help for m in at.metric}
    assert help_texts["Rozliczany poziom kontaktów"] == f"890,00{NBSP}USD miesięcznie"
    assert at.warning[0].value == (
        f"Kontakty marketingowe stanowią co najmniej 75{NBSP}% poziomu kontaktów (1{NBSP}675 z 2{NBSP}000)."
    )
    runs = next(c.value for c in at.caption if c.value.startswith("Ostatnie aktualizacje"))
    assert runs.startswith("Ostatnie aktualizacje — 1 lis 2026: 69 kontaktów zmieniło status na niemarketingowy · ")
    main = figure(at, 0)
    assert [trace["name"] for trace in main["data"]] == [
        "Marketingowe (pozostające)",
        "Kontakty marketingowe do następnej aktualizacji",
        "Niemarketingowe",
    ]
    assert main["layout"]["annotations"][0]["text"] == f"Rozliczany poziom kontaktów 2{NBSP}000"
    assert main["layout"]["separators"] == f",{NBSP}", "Plotly's own numbers: 1 675, not 1,675"
    assert english_left(at) == []


def test_the_history_chart_labels_its_months_in_polish(polish: Callable[[], AppTest]) -> None:
    at = polish()  # History is the first tab
    history = figure(at, 1)
    axis = history["layout"]["xaxis"]
    assert axis["ticktext"][:3] == ["gru 2025", "sty 2026", "lut 2026"]
    assert axis["tickvals"][1].startswith("2026-01-01")
    assert axis["hoverformat"] == "%-d.%m.%Y", "the unified hover's date without an English month name"
    no_english_month(axis["ticktext"])
    names = [trace["name"] for trace in history["data"]]
    assert names == ["Marketingowe", "Niemarketingowe", "Rozliczany poziom kontaktów", "Daty aktualizacji"]
    marks = history["data"][3]
    assert "1 lis 2026: 69 kontaktów zmieniło status na niemarketingowy" in marks["customdata"]
    assert "%{x|" not in marks["hovertemplate"], "a Plotly date format prints English month names"
    assert english_left(at) == []


def test_why_this_number_in_polish(polish: Callable[[], AppTest]) -> None:
    at = open_tab(polish(), "Skąd ta liczba")
    caption = next(c.value for c in at.caption if "na dzień" in c.value)
    assert caption.startswith(f"1{NBSP}675 kontaktów marketingowych na dzień 26 lis 2026 (łącznie z oczekującymi)")
    by_source, by_stage = figure(at, 1), figure(at, 2)
    assert by_source["layout"]["title"]["text"] == "Według tego, co uczyniło je marketingowymi"
    assert "formularz" in by_source["data"][0]["y"] and "form" not in by_source["data"][0]["y"]
    assert by_stage["layout"]["title"]["text"] == "Według etapu cyklu życia"
    assert english_left(at) == []


def test_the_simulator_tab_in_polish(polish: Callable[[], AppTest]) -> None:
    at = open_tab(polish(), "Symulator")
    at.date_input(key="simulate_on_2026-11-26").set_value(date(2027, 1, 1)).run()
    assert not at.exception, at.exception
    shown = metrics(at)
    assert shown["Cena miesięczna tego dnia"] == f"890,00{NBSP}USD"
    assert shown["Rozliczany poziom tego dnia"] == f"2{NBSP}000"
    captions = [c.value for c in at.caption]
    assert "Stan na 1 sty 2027, jeśli nic innego się nie zmieni. Nic nie zostaje zapisane." in captions
    money = next(m.value for m in at.markdown if m.value.startswith("Koszt:"))
    assert money.startswith(f"Koszt: teraz 890,00{NBSP}USD miesięcznie (bez zmian); od daty aktualizacji 1 lut 2027 ")
    assert money.endswith("Niższy poziom kontaktów mógłby obowiązywać najwcześniej od 30 sty 2027.")
    assert at.subheader[0].value == "Co jeśli…"
    add_condition(at, "whatif_filter", "lead")
    after = {m.label: m for m in at.metric}["Marketingowe po aktualizacji"]
    assert (after.value, after.proto.delta, after.help) == (
        f"1{NBSP}390",
        "-193",
        f"Jeśli nic się nie zmieni: 1{NBSP}583",
    )
    assert "W dniu następnej aktualizacji, 1 gru 2026 (poziom kontaktów obniża się tylko przy odnowieniu):" in [
        c.value for c in at.caption
    ]
    # the filter builder's own words belong to the contacts catalogue
    assert english_left(at) == []


def test_the_forecast_tab_in_polish(polish: Callable[[], AppTest]) -> None:
    at = open_tab(polish(), "Prognoza")
    forecast = figure(at, 1)
    axis = forecast["layout"]["xaxis"]
    months = forecast["data"][2]["x"]
    assert len(axis["ticktext"]) == len(months) == 12
    assert axis["ticktext"][:2] == ["gru 2026", "sty 2027"]
    no_english_month(axis["ticktext"])
    assert forecast["data"][2]["customdata"][:2] == ["gru 2026", "sty 2027"], "the hover's month"
    assert forecast["data"][2]["hovertemplate"] == "%{customdata}: %{y:,}"
    names = [trace["name"] for trace in forecast["data"]]
    assert "Przedział (min. – maks.)" in names and "Jeśli nic innego się nie zmieni (symulator)" in names
    table = at.table[0].value
    assert list(table.columns) == [
        "Data aktualizacji",
        "Kontakty",
        "Marketingowe (min. – maks.)",
        "Jeśli nic innego się nie zmieni",
        "Rozliczany poziom kontaktów",
        "Cena miesięczna",
        "Cena miesięczna (górna granica)",
    ]
    assert table["Data aktualizacji"].iloc[1] == "1 sty 2027"
    assert table["Cena miesięczna"].iloc[0].endswith(f",00{NBSP}USD")
    captions = " ".join(c.value for c in at.caption)
    assert "**Metoda.** Nowe kontakty:" in captions and "**Symulator.** Symulator (i „Symuluj na dzień”)" in captions
    assert any(m.value.startswith("**Tempo:** nowe kontakty dziennie: ") for m in at.markdown)
    assert english_left(at) == []


def test_the_wizard_in_polish_from_its_introduction_to_its_result(polish: Callable[[], AppTest]) -> None:
    at = open_tab(polish(), "Zarządzaj kontaktami marketingowymi")
    intro = next(m.value for m in at.markdown if m.value.startswith("Uporządkuj kontakty"))
    assert "do daty następnej aktualizacji (**1 gru 2026**)" in intro
    assert at.button(key="wiz_start").label == "Rozpocznij"
    assert english_left(at) == []

    click(at, "wiz_start")
    assert at.subheader[0].value == "1. Niezaangażowane kontakty"
    assert [at.button(key=k).label for k in ("wiz_back", "wiz_next", "wiz_skip", "wiz_cancel")] == [
        "Wstecz",
        "Dalej",
        "Pomiń",
        "Anuluj",
    ]
    assert "Wstępnie wybrane: **Dalej** uwzględnia tych 199 kontaktów, **Pomiń** je pomija." in [
        c.value for c in at.caption
    ]
    assert english_left(at) == []

    click(at, "wiz_next")
    assert at.subheader[0].value == "2. Filtry i listy"
    assert at.multiselect(key="wiz_lists_pick").label == "Listy statyczne"
    assert english_left(at) == []

    click(at, "wiz_next")
    assert at.subheader[0].value == "3. Przegląd i aktualizacja"
    shown = metrics(at)
    assert shown["Staną się niemarketingowe"] == "199"
    assert shown["Marketingowe po aktualizacji"] == f"1{NBSP}384"
    assert at.button(key="wiz_update").label == "Zaktualizuj kontakty"
    assert (
        "Wybrane: niezaangażowane kontakty (twarde odbicie lub wypisanie ze wszystkich e-maili). "
        "Odejdą w dniu następnej aktualizacji, 1 gru 2026."
    ) in [c.value for c in at.caption]
    assert english_left(at) == []

    click(at, "wiz_update")
    assert at.success[0].value == (
        "Zaktualizowano kontakty: 199 kontaktów zmieni status na niemarketingowy dnia 1 gru 2026 "
        "(do tego czasu nadal marketingowe); pominięte: 187 (już oczekujące lub niemarketingowe)."
    )
    assert at.button(key="wiz_again").label == "Zarządzaj kolejnymi kontaktami"
    assert english_left(at) == []


def test_english_keeps_its_figures_and_plotlys_own_date_axis(open_app: Callable[..., AppTest]) -> None:
    at = open_tab(open_app(), "Forecast")
    assert metrics(at)["Monthly cost now"] == "890 USD"
    assert metrics(at)["Renewal date"] == "30 Jan 2027"
    forecast = figure(at, 1)
    assert "ticktext" not in forecast["layout"].get("xaxis", {}) and "separators" not in forecast["layout"]
    assert forecast["data"][2]["customdata"][:2] == ["Dec 2026", "Jan 2027"]


def test_the_money_sentence_in_polish_and_in_english() -> None:
    """``describe`` says the same effect in either language; English stays the sentence the command line knows."""
    price = {2_000: 890, 7_000: 1_140}

    def on(day: date, before: int, after: int) -> PriceOn:
        return PriceOn(day, 0, 0, before, after, price[before], price[after])

    effect = MoneyEffect(
        "USD",
        on(date(2026, 11, 26), 7_000, 7_000),
        on(date(2026, 12, 1), 7_000, 7_000),
        on(date(2027, 1, 15), 7_000, 2_000),
    )
    assert (
        describe(effect)
        == describe(effect, ENGLISH)
        == (
            "Money: now 1,140 USD a month (unchanged); from the update date 01 Dec 2026 1,140 USD a month (unchanged); "
            "from renewal 15 Jan 2027 890 USD a month (−250 USD; tier 2,000). A lower tier applies from 15 Jan 2027, "
            "not before."
        )
    )
    assert describe(effect, translator("pl")) == (
        f"Koszt: teraz 1{NBSP}140,00{NBSP}USD miesięcznie (bez zmian); od daty aktualizacji 1 gru 2026 "
        f"1{NBSP}140,00{NBSP}USD miesięcznie (bez zmian); od odnowienia 15 sty 2027 890,00{NBSP}USD miesięcznie "
        f"(−250,00{NBSP}USD; poziom kontaktów 2{NBSP}000). Niższy poziom kontaktów obowiązuje od 15 sty 2027, "
        "nie wcześniej."
    )
    assert amount(1_140, "USD") == "1,140 USD" and amount(890, "USD", translator("pl")) == f"890,00{NBSP}USD"


def test_the_page_reads_its_own_catalogue_where_another_shares_a_sentence() -> None:
    """The catalogues are merged into one: a short sentence another feature translates differently ("Marketing"
    as one contact's status) must not replace the Usage page's (its chart's contacts): a context keeps them apart."""
    catalogue = Path(__file__).parents[2] / "core/i18n/locale/pl/LC_MESSAGES/usage.po"
    with catalogue.open("rb") as f:
        usage = read_po(f, locale="pl")
    polish = translator("pl")
    differ = []
    for message in usage:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            shown = tuple(polish.catalogue.ngettext(*message.id, n) for n in (1, 2, 5))
            wanted = tuple(message.string)
        elif message.context:
            shown, wanted = polish.catalogue.pgettext(message.context, message.id), message.string
        else:
            shown, wanted = polish.catalogue.gettext(message.id), message.string
        if shown != wanted:
            differ.append((message.id, shown, wanted))
    assert differ == []
