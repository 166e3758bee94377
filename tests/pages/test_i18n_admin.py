"""The administration pages and the sidebar in Polish (issue 15): signing in, the sidebar's date, Simulate as of and
the signed-in user, the Users, Audit, Settings and Connections pages, and the language each person chose, kept for
their next sessions (before MARKETABLE_LANGUAGE, which only presets it for someone who never chose)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from core.i18n import LANGUAGE_ENV, STRICT_ENV
from core.rules.roles import Role
from core.services import jobs, users
from core.services.preferences import choose_language, language_of
from core.services.setup import init
from core.settings import HUBSPOT_TOKEN_ENV, HUBSPOT_URL_ENV, default_actor
from core.store.engine import make_engine
from tests.conftest import TODAY
from tests.hubspot_fake import HubSpotState, running
from tests.pages.i18n_app import english_left, visible_texts
from tests.pages.usage_app import keep_running_app_py

PASSWORD = "correct horse battery"
SIGN_IN = {"pl": ("Nazwa użytkownika", "Hasło", "Zaloguj się"), "en": ("Username", "Password", "Sign in")}
TOKEN = "pat-eu1-aaaabbbb-cccc-dddd-eeee-ffff00001111"
REFUSED_PL = "nieprawidłowa nazwa użytkownika lub hasło (5 nieudanych prób z rzędu blokuje konto na 15 minut)"


@pytest.fixture
def polish(monkeypatch: pytest.MonkeyPatch) -> None:
    """The deployment's language is Polish, and a sentence missing from the catalogue is an error."""
    monkeypatch.setenv(LANGUAGE_ENV, "pl")
    monkeypatch.setenv(STRICT_ENV, "1")


@pytest.fixture
def no_preset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LANGUAGE_ENV, raising=False)
    monkeypatch.delenv(STRICT_ENV, raising=False)


@pytest.fixture
def with_users(app_env: str) -> Iterator[Engine]:
    """An admin (ada) and a viewer (vic), both with local passwords; nobody chose a language yet."""
    engine = make_engine(app_env)
    init(engine, today=TODAY, actor="test", demo=300, seed=3)
    users.add_user(engine, username="ada", role=Role.ADMIN, actor="test", today=TODAY, password=PASSWORD)
    users.add_user(engine, username="vic", role=Role.VIEWER, actor="ada", today=TODAY, password=PASSWORD)
    yield engine
    engine.dispose()


@pytest.fixture
def local(app_env: str) -> Iterator[Engine]:
    """Local mode (no users), the database opened by the test too."""
    engine = make_engine(app_env)
    init(engine, today=TODAY, actor="test", demo=300, seed=3)
    yield engine
    engine.dispose()


def _labelled(elements: Any, label: str) -> Any:
    found = [e for e in elements if e.label == label]
    assert found, f"no element labelled {label!r} among {[e.label for e in elements]}"
    return found[0]


def sign_in(at: AppTest, username: str, password: str, language: str) -> AppTest:
    user_label, password_label, button = SIGN_IN[language]
    _labelled(at.text_input, user_label).input(username)
    _labelled(at.text_input, password_label).input(password)
    _labelled(at.button, button).click()
    at.run()
    assert not at.exception, at.exception
    return at


def sidebar(at: AppTest) -> list[str]:
    texts = [str(e.value) for e in [*at.sidebar.caption, *at.sidebar.markdown]]
    return texts + [str(e.label) for e in [*at.sidebar.button, *at.sidebar.toggle, *at.sidebar.selectbox]]


def strictly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(STRICT_ENV, "1")


def test_the_sign_in_page_is_in_polish(open_app: Callable[..., AppTest], with_users: Engine, polish: None) -> None:
    at = open_app()
    assert at.title[0].value == "Zaloguj się do Marketable"
    assert [t.label for t in at.text_input] == ["Nazwa użytkownika", "Hasło"]
    assert [b.label for b in at.button if b.label == "Zaloguj się"], "the sign-in button"
    assert "Sesja kończy się po wylogowaniu lub po 30 minutach bez aktywności." in [c.value for c in at.caption]
    assert "Dzisiaj: 26 lis 2026" in sidebar(at), "the sidebar's date, in Polish"
    assert _labelled(at.sidebar.selectbox, "Język").value == "pl"
    assert english_left(at) == []


def test_a_wrong_password_is_refused_in_polish(
    open_app: Callable[..., AppTest], with_users: Engine, polish: None
) -> None:
    at = sign_in(open_app(), "ada", "not the password", "pl")
    assert [e.value for e in at.error] == [REFUSED_PL]
    assert at.title[0].value == "Zaloguj się do Marketable"
    assert english_left(at) == []


def test_the_sidebar_and_the_admin_pages_in_polish(
    open_app: Callable[..., AppTest], with_users: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(LANGUAGE_ENV, "pl")
    at = sign_in(open_app(), "ada", PASSWORD, "pl")  # the Usage page opens: another area's, not strict here
    strictly(monkeypatch)
    at.switch_page("pages/admin/audit.py").run()
    assert not at.exception, at.exception
    texts = sidebar(at)
    assert "Dzisiaj: 26 lis 2026" in texts
    assert "Zalogowano jako **ada** (administrator)" in texts
    assert {"Wyloguj się", "Symuluj na dzień", "Język"} <= set(texts)
    assert at.title[0].value == "Dziennik zmian"
    assert [c for c in at.dataframe[0].value.columns] == [
        "Kiedy",
        "Dotyczy dnia",
        "Rodzaj",
        "Wykonawca",
        "Źródło",
        "Identyfikator źródła",
        "Szczegóły",
    ]
    kinds = set(at.dataframe[0].value["Rodzaj"])
    assert {"Logowanie", "Dodano użytkownika", "Dane demonstracyjne"} <= kinds
    details = list(at.dataframe[0].value["Szczegóły"])
    assert "kontakty: 300 · ziarno: 3" in details, "the details' keys in Polish"
    assert any("rola: przeglądający" in d and "dostęp do kontaktów marketingowych: nie" in d for d in details)
    assert "4 wpisy · strona 1 z 1" in [m.value for m in at.markdown], "Polish plural: 4 wpisy"
    assert english_left(at) == []

    at.toggle(key="simulate_on").set_value(True).run()
    assert not at.exception, at.exception
    assert (
        "Pokazano dzień 1 gru 2026, jeśli nic innego się nie zmieni. Podczas symulacji nic nie jest zapisywane."
        in sidebar(at)
    )

    at.switch_page("pages/admin/users.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Użytkownicy"
    table = at.dataframe[0].value
    assert list(table["Rola"]) == ["administrator", "przeglądający"]
    assert _labelled(at.button, "Dodaj użytkownika").disabled, "nothing is written while simulating"
    assert english_left(at, allowed=("ada", "vic")) == []

    at.toggle(key="simulate_on").set_value(False).run()
    at.switch_page("pages/admin/settings.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Ustawienia konta"
    assert at.caption[0].value.startswith("Obecnie rozliczane: ")
    assert english_left(at) == []
    _labelled(at.number_input, "Rozliczany poziom kontaktów (opłacone kontakty)").set_value(2_001)
    _labelled(at.button, "Zapisz ustawienia").click().run()
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("Nie zapisano ustawień:\n- Rozliczany poziom kontaktów musi wynosić ")
    assert "a nie 2\u00a0001." in at.error[0].value, "numbers written the Polish way"

    at.switch_page("pages/admin/connections.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Połączenia"
    assert "Nie było jeszcze synchronizacji." in [m.value for m in at.markdown]
    assert english_left(at) == []


def test_the_users_page_says_its_changes_in_polish(
    open_app: Callable[..., AppTest], with_users: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(LANGUAGE_ENV, "pl")
    at = sign_in(open_app(), "ada", PASSWORD, "pl")
    strictly(monkeypatch)
    at.switch_page("pages/admin/users.py").run()
    at.selectbox(key="change_user").select("vic").run()
    _labelled(at.button, "Wyłącz").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Użytkownik vic jest wyłączony."]
    at.selectbox(key="change_user").select("ada").run()
    _labelled(at.button, "Wyłącz").click().run()
    assert [e.value for e in at.error] == [
        "ada jest ostatnim włączonym administratorem: najpierw dodaj lub włącz innego administratora"
    ], "a refusal from core, in Polish"


def test_local_mode_in_polish(open_app: Callable[..., AppTest], local: Engine, polish: None) -> None:
    at = open_app("pages/admin/users.py")
    texts = sidebar(at)
    assert any(t.startswith(":orange-background[**Tryb lokalny**] każdy") for t in texts)
    assert "Dzisiaj: 26 lis 2026" in texts
    assert english_left(at) == []


def test_a_choice_in_local_mode_is_kept_for_the_next_session(
    open_app: Callable[..., AppTest], local: Engine, no_preset: None
) -> None:
    at = open_app()
    assert "Today: 26 Nov 2026" in sidebar(at), "English: nothing presets Polish"
    at.sidebar.selectbox(key="language_choice").select("pl").run()
    assert not at.exception, at.exception
    assert "Dzisiaj: 26 lis 2026" in sidebar(at), "the session speaks Polish at once"
    assert language_of(local, default_actor()) == "pl", "and the choice is stored"

    again = open_app()  # a new session of the same (local-mode) person
    assert "Dzisiaj: 26 lis 2026" in sidebar(again)
    assert again.sidebar.selectbox(key="language_choice").value == "pl"


def test_a_signed_in_users_choice_is_kept_for_their_next_session(
    open_app: Callable[..., AppTest], with_users: Engine, no_preset: None
) -> None:
    at = sign_in(open_app(), "ada", PASSWORD, "en")
    assert "Signed in as **ada** (admin)" in sidebar(at)
    at.sidebar.selectbox(key="language_choice").select("pl").run()
    assert not at.exception, at.exception
    assert "Zalogowano jako **ada** (administrator)" in sidebar(at)
    assert language_of(with_users, "ada") == "pl"

    again = open_app()  # a new session: the sign-in page, in the deployment's language (English)
    assert again.title[0].value == "Sign in to Marketable"
    again = sign_in(again, "ada", PASSWORD, "en")
    assert "Zalogowano jako **ada** (administrator)" in sidebar(again), "signed in, ada's own language"
    assert "Dzisiaj: 26 lis 2026" in sidebar(again)

    other = sign_in(open_app(), "vic", PASSWORD, "en")
    assert "Signed in as **vic** (viewer)" in sidebar(other), "one person's choice is theirs only"


def test_a_choice_made_on_the_sign_in_page_becomes_the_choice_of_who_signs_in(
    open_app: Callable[..., AppTest], with_users: Engine, no_preset: None
) -> None:
    at = open_app()
    at.sidebar.selectbox(key="language_choice").select("pl").run()
    assert at.title[0].value == "Zaloguj się do Marketable"
    assert language_of(with_users, "ada") is None, "nobody is signed in yet: nothing stored"
    at = sign_in(at, "ada", PASSWORD, "pl")
    assert "Zalogowano jako **ada** (administrator)" in sidebar(at)
    assert language_of(with_users, "ada") == "pl", "kept for ada's next sessions"


def test_the_deployment_language_presets_polish_for_someone_who_never_chose(
    open_app: Callable[..., AppTest], with_users: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(LANGUAGE_ENV, "pl")
    at = sign_in(open_app(), "vic", PASSWORD, "pl")
    assert language_of(with_users, "vic") is None
    assert "Zalogowano jako **vic** (przeglądający)" in sidebar(at)
    assert "Dzisiaj: 26 lis 2026" in sidebar(at)


def test_a_users_choice_wins_over_the_deployment_language(
    open_app: Callable[..., AppTest], with_users: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    choose_language(with_users, "ada", "en")
    monkeypatch.setenv(LANGUAGE_ENV, "pl")
    at = open_app()
    assert at.title[0].value == "Zaloguj się do Marketable", "before signing in: the deployment's language"
    at = sign_in(at, "ada", PASSWORD, "pl")
    assert "Signed in as **ada** (admin)" in sidebar(at), "ada chose English"
    assert "Today: 26 Nov 2026" in sidebar(at)
    assert visible_texts(at)


@pytest.fixture
def hubspot(monkeypatch: pytest.MonkeyPatch) -> Iterator[HubSpotState]:
    """A local HubSpot with 130 contacts, half of them marketing (tests/hubspot_fake.py)."""
    keep_running_app_py(monkeypatch)
    with running(TOKEN) as (url, state):
        monkeypatch.setenv(HUBSPOT_TOKEN_ENV, TOKEN)
        monkeypatch.setenv(HUBSPOT_URL_ENV, url)
        for i in range(1, 131):
            state.add_contact(i, email=f"hub{i}@example.com", hs_marketable_status=i % 2 == 0, firstname=f"H{i}")
        yield state


def test_a_hubspot_sync_in_polish(
    open_app: Callable[..., AppTest], app_env: str, hubspot: HubSpotState, polish: None
) -> None:
    at = open_app("pages/admin/connections.py")
    assert "Nie było jeszcze synchronizacji." in [m.value for m in at.markdown]
    assert english_left(at) == []
    at.button(key="hubspot_sync").click().run()
    assert not at.exception, at.exception
    assert next(i.value for i in at.info).startswith("Synchronizacja z HubSpot działa w tle")
    said = sidebar(at) + [str(s.value) for s in at.sidebar.success]
    engine = make_engine(app_env)
    (job,) = jobs.recent_jobs(engine, kind="hubspot_sync", limit=5)
    assert jobs.wait_for(engine, job.id, timeout=60).state == "done"
    engine.dispose()
    at.run()
    assert not at.exception, at.exception
    said += [str(s.value) for s in at.sidebar.success]
    assert any(
        s.startswith("Synchronizacja z HubSpot zakończona: pobrane: 130, utworzone: 130, zaktualizowane: 0")
        for s in said
    ), said
    written = [m.value for m in at.markdown if str(m.value).startswith("Ostatnia synchronizacja (pełna)")]
    assert written and "zakończona, odczytano 130 z 130 kontaktów; stron: 2" in written[0]
    assert {m.label: m.value for m in at.metric}["Utworzone"] == "130"
    assert english_left(at) == []
