"""Core's messages in each language (issue 15): a ``DomainError`` (or a rule's refusal) is English for ``str()`` —
the command line's JSON, the logs, every existing test — and Polish, with Polish numbers, for a page that asks
``text(t)``; the command line prints its error in ``MARKETABLE_LANGUAGE`` and its JSON byte for byte as in English."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from core.cli import main
from core.errors import (
    DayRefused,
    DomainError,
    PermissionDenied,
    Sentence,
    TierUpgradeRequired,
    UndoRequired,
    UnknownContacts,
    translated,
)
from core.i18n import ENGLISH, LANGUAGE_ENV, N_, STRICT_ENV, message_text, translator
from core.rules import acting_day, tiers
from core.rules.roles import Action, Role, check_username, refusal
from core.services.selection_errors import InvalidSelection, user_errors
from core.services.setup import init
from core.store.engine import make_engine
from core.store.filters import UnknownList
from core.store.schema import contacts
from tests.conftest import TODAY, Cli
from tests.factories import add_contacts, snapshot

NBSP = "\u00a0"


@pytest.fixture
def strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(STRICT_ENV, "1")  # a sentence missing from the catalogue raises instead of showing English


def test_a_tier_upgrade_refusal_is_english_for_str_and_polish_with_polish_numbers(strict: None) -> None:
    error = TierUpgradeRequired({"tier_limit_before": 2000, "tier_limit_after": 7000})
    assert str(error) == (
        "this change would raise the billed tier from 2,000 to 7,000 contacts; confirm the upgrade to go ahead"
    )
    assert message_text(error, translator("pl")) == (
        f"ta zmiana podniosłaby rozliczany poziom kontaktów z 2{NBSP}000 do 7{NBSP}000; "
        "potwierdź zmianę poziomu, aby kontynuować"
    )


def test_unknown_contacts_name_their_kind_in_the_language(strict: None) -> None:
    one = UnknownContacts(N_("email"), ["ghost@example.com"])
    assert str(one) == "no contact with email ghost@example.com"
    assert one.text(translator("pl")) == "brak kontaktu: e-mail ghost@example.com"
    many = UnknownContacts(N_("id"), [str(i) for i in range(1, 1226)])
    assert str(many).endswith("and 1,205 more")
    assert many.text(translator("pl")).startswith("brak kontaktów: identyfikator 1, 2, 3")
    assert many.text(translator("pl")).endswith(f"i 1{NBSP}205 innych")
    for missing, english, polish in ((21, "and 1 more", "i 1 inny"), (23, "and 3 more", "i 3 inne")):
        few = UnknownContacts(N_("id"), [str(i) for i in range(missing)])
        assert str(few).endswith(english) and few.text(translator("pl")).endswith(polish), "Polish's three forms"


def test_the_undo_refusal_says_its_count_in_polish_whatever_the_number(strict: None) -> None:
    error = UndoRequired({"undone": 1583})
    assert str(error).startswith("this import would undo 1,583 scheduled non-marketing change(s); nothing was imported")
    polish = error.text(translator("pl"))
    assert f"(liczba zmian: 1{NBSP}583)" in polish and "niczego nie zaimportowano" in polish


def test_a_role_refusal_is_a_sentence_english_as_before_and_polish_for_a_page(strict: None) -> None:
    reason = refusal("vic", Role.VIEWER, False, Action.EDIT_CONTACTS)
    assert isinstance(reason, Sentence)
    assert reason == "vic (viewer) may not create, edit or import contacts and lists: a viewer only reads"
    assert translated(reason, translator("pl")) == (
        "vic (przeglądający) nie może tworzyć, edytować ani importować kontaktów i list: "
        "przeglądający ma dostęp tylko do odczytu"
    )
    error = PermissionDenied(reason)  # the unit of work raises the rule's reason: it stays translatable
    assert str(error) == reason
    assert error.text(translator("pl")).startswith("vic (przeglądający) nie może")


def test_the_acting_day_refusals_in_polish(strict: None) -> None:
    future = acting_day.refusal(date(2028, 6, 15), today=date(2026, 11, 26), last_acted_on=date(2026, 11, 20))
    assert future == "2028-06-15 is in the future; changes act on today (2026-11-26) — use simulate to look ahead"
    assert DayRefused(future).text(translator("pl")) == (
        "2028-06-15 to dzień w przyszłości; zmiany działają na dziś (2026-11-26) — aby zajrzeć naprzód, użyj symulacji"
    )
    other = acting_day.other_day_refusal(date(2026, 11, 25), today=date(2026, 11, 26), username="ed", role=Role.EDITOR)
    assert other is not None and translated(other, translator("pl")).startswith("ed (edytor) nie może działać")


def test_an_error_rewrapped_through_str_keeps_its_translation(strict: None) -> None:
    """Services turn a rule's ``InvalidValue`` into ``DomainError(str(exc))``: the sentence survives ``str()``."""
    with pytest.raises(ValueError) as caught:  # still a ValueError for argument parsing
        check_username("system")
    rewrapped = DomainError(str(caught.value))
    assert str(rewrapped) == "the username 'system' is reserved"
    assert rewrapped.text(translator("pl")) == "nazwa użytkownika 'system' jest zarezerwowana"


def test_an_unknown_list_stays_translatable_through_the_services_rewrapping(strict: None) -> None:
    with pytest.raises(InvalidSelection) as caught, user_errors():
        raise UnknownList(["Webinar", "VIP"])
    assert str(caught.value) == "no static list named 'Webinar', 'VIP'"
    assert message_text(caught.value, translator("pl")) == "brak listy statycznej o nazwie 'Webinar', 'VIP'"


def test_tier_alerts_keep_english_json_and_have_polish_text(strict: None) -> None:
    alert = tiers.alerts(1583, 1000)[-1]
    assert alert.as_dict() == {
        "threshold": 100,
        "level": "error",
        "message": "Marketing contacts exceed the tier (1,583 of 1,000).",
    }
    assert json.dumps(alert.as_dict()) == json.dumps({**alert.as_dict(), "message": str(alert.message)})
    assert translated(alert.message, translator("pl")) == (
        f"Kontakty marketingowe przekraczają poziom kontaktów (1{NBSP}583 z 1{NBSP}000)."
    )


def test_english_is_the_same_sentence_as_str(strict: None) -> None:
    error = TierUpgradeRequired({"tier_limit_before": 1000, "tier_limit_after": 1_000_000})
    assert message_text(error, ENGLISH) == message_text(error, translator("en")) == str(error)


def _main(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_the_command_line_says_a_refusal_in_polish_and_prints_the_same_json(
    engine: Engine, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_contacts(engine, 1_999, state="marketing", prefix="m")
    add_contacts(engine, 2, state="non_marketing", prefix="n")
    before = snapshot(engine)
    command = ["--db", cli.url, "set-status", "--to", "marketing", "--emails", "n0@example.com,n1@example.com"]

    monkeypatch.delenv(LANGUAGE_ENV, raising=False)
    code_en, out_en, err_en = _main(*command)
    monkeypatch.setenv(LANGUAGE_ENV, "pl")
    code_pl, out_pl, err_pl = _main(*command)

    assert code_en == code_pl == 3
    assert out_pl == out_en and json.loads(out_pl)["tier_limit_after"] == 7000, "the JSON never changes language"
    assert err_en == (
        "error: this change would raise the billed tier from 2,000 to 7,000 contacts; confirm the upgrade to go ahead\n"
    )
    assert err_pl == (
        f"błąd: ta zmiana podniosłaby rozliczany poziom kontaktów z 2{NBSP}000 do 7{NBSP}000; "
        "potwierdź zmianę poziomu, aby kontynuować\n"
    )
    assert snapshot(engine) == before, "nothing written"


def test_the_command_line_says_a_refused_day_in_polish_with_nothing_on_stdout(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(LANGUAGE_ENV, "pl")
    code, out, err = _main("--db", cli.url, "--today", "2099-01-01", "set-status", "--to", "marketing", "--all")
    assert (code, out) == (2, "")
    assert err.startswith("błąd: 2099-01-01 to dzień w przyszłości; zmiany działają na dziś"), err
    assert err.count("\n") == 1


def _demo(url: str) -> list[tuple[object, ...]]:
    engine = make_engine(url)
    init(engine, today=TODAY, actor="test", demo=300, seed=7)
    with engine.connect() as conn:
        rows = conn.execute(
            select(contacts.c.id, contacts.c.email, contacts.c.source_type, contacts.c.source_id).order_by(
                contacts.c.id
            )
        ).all()
    engine.dispose()
    return [tuple(row) for row in rows]


def test_a_polish_demo_names_its_tools_in_polish_and_is_otherwise_the_english_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(LANGUAGE_ENV, raising=False)
    english = _demo(f"sqlite:///{tmp_path}/en.db")
    monkeypatch.setenv(LANGUAGE_ENV, "pl")
    monkeypatch.setenv(STRICT_ENV, "1")
    polish = _demo(f"sqlite:///{tmp_path}/pl.db")

    assert {row[3] for row in english if row[3]} == {
        "contact-us",
        "newsletter-signup",
        "webinar-registration",
        "website-chat",
        "crm-sync",
    }, "the English demo is the one it always was"
    assert {row[3] for row in polish if row[3]} == {
        "formularz-kontaktowy",
        "zapis-na-newsletter",
        "rejestracja-na-webinar",
        "czat-na-stronie",
        "synchronizacja-crm",
    }
    assert [row[:3] for row in polish] == [row[:3] for row in english], "the same people, from the same kinds of source"


def test_a_sentence_given_as_a_field_is_said_in_the_language_of_the_sentence_around_it(strict: None) -> None:
    """A page writes ``_("... {why}", why=reason)`` with a rule's reason: the reason follows the page's language."""
    reason = refusal("vic", Role.VIEWER, False, Action.MANAGE_USERS)
    assert translator("pl")("{username} ({role}) may not manage users: only admins may", username="x", role=reason) == (
        "x (vic (przeglądający) nie może zarządzać użytkownikami: przeglądający ma dostęp tylko do odczytu) "
        "nie może zarządzać użytkownikami: tylko administratorzy mają do tego prawo"
    )
    assert ENGLISH("{username} ({role}) may not manage users: only admins may", username="x", role=reason) == (
        f"x ({reason}) may not manage users: only admins may"
    )


def test_a_refused_argument_is_said_in_polish_and_in_english_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    argv = ["--today", "2026-11-31", "init", "--demo", "99999999999"]
    monkeypatch.delenv(LANGUAGE_ENV, raising=False)
    assert _main(*argv) == (2, "", "error: argument --today: expected a date YYYY-MM-DD, got '2026-11-31'\n")
    monkeypatch.setenv(LANGUAGE_ENV, "pl")
    monkeypatch.setenv(STRICT_ENV, "1")
    assert _main(*argv) == (
        2,
        "",
        "błąd: argument --today: oczekiwano daty w formacie RRRR-MM-DD, podano '2026-11-31'\n",
    )
    code, out, err = _main("init", "--demo", "99999999999")
    assert (code, out) == (2, "")
    assert err == (
        f"błąd: argument --demo: oczekiwano: liczba kontaktów demonstracyjnych, od 0 do 10{NBSP}000{NBSP}000 "
        "(cyfry ASCII), podano '99999999999'\n"
    )
