"""The Workflows page in Polish (issue 15): the editor, the dry run and the enable dialog with Polish numbers, money
and plurals, Run now and the run log with Polish dates. Strict mode: a sentence missing from the catalogue raises;
and no English is left on the page (the workflow's own name is data)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import ENGLISH, LANGUAGE_ENV, STRICT_ENV, translator
from core.rules.roles import Action, Role, refusal
from core.rules.status import MarketingStatus
from core.rules.tiers import Edition
from core.rules.workflows import ActionType, WorkflowAction, WorkflowError, action_label, parse_definition
from core.services.setup import init
from core.services.workflows.engine import BLOCKED, BLOCKED_WITHOUT_CONSENT, STOPPED, said
from core.services.workflows.feeds import Fed, FeedsStatusWorkflows
from core.store.engine import make_engine
from tests.conftest import TODAY, Cli
from tests.pages.i18n_app import english_left
from tests.pages.test_workflows_page import PAGE, click, create_leads_workflow, metrics, table_with

NBSP = "\u00a0"
LEADS = "Leads become non-marketing"  # the name create_leads_workflow gives: data, not English to translate


@pytest.fixture
def polish(monkeypatch: pytest.MonkeyPatch, open_app: Callable[..., AppTest]) -> Callable[[], AppTest]:
    def _open() -> AppTest:
        monkeypatch.setenv(LANGUAGE_ENV, "pl")
        monkeypatch.setenv(STRICT_ENV, "1")  # a sentence missing from the catalogue is an error, not English
        return open_app(PAGE)

    return _open


def polish_number(n: int) -> str:
    return f"{n:,}".replace(",", NBSP)


def test_the_editor_speaks_polish_and_says_why_a_workflow_cannot_be_saved(polish: Callable[[], AppTest]) -> None:
    at = polish()
    assert [s.value for s in at.subheader][:2] == ["Wszystkie przepływy pracy", "Nowy przepływ pracy"]
    assert at.button(key="wf_save").label == "Zapisz przepływ pracy"
    assert at.button(key="wf_run_now").label == "Uruchom teraz"
    assert at.selectbox(key="wf_pick").options == ["+ Nowy przepływ pracy"]
    action = at.selectbox(key="wf_action_1_type")
    assert action.options == [
        "Ustaw status kontaktu marketingowego",
        "Dodaj do listy statycznej",
        "Usuń z listy statycznej",
    ]
    assert at.selectbox(key="wf_action_1_set_marketing_status").options == ["Niemarketingowy", "Marketingowy"]
    assert english_left(at) == []

    click(at, "wf_save")  # no name, no condition: the rules refuse it, in Polish
    assert [e.value for e in at.error] == ["przepływ pracy musi mieć nazwę"]

    create_leads_workflow(at)
    assert at.success[0].value == f"Przepływ pracy '{LEADS}' został zapisany: uruchom go próbnie, a potem włącz."
    assert at.subheader[1].value == f"Edytuj '{LEADS}'"
    table = table_with(at, "Kryteria rejestracji")
    assert list(table.columns)[:3] == ["Przepływ pracy", "Włączony", "Zarejestrowane"]
    assert table["Akcje"].iloc[0] == "Ustaw status kontaktu marketingowego: niemarketingowy"
    assert table["Kryteria rejestracji"].iloc[0] == "etap cyklu życia jest lead"  # the filter rules' words
    assert english_left(at, allowed=(LEADS,)) == []


def test_the_dry_run_and_the_enable_dialog_show_polish_numbers_money_and_plurals(
    polish: Callable[[], AppTest], app_env: str
) -> None:
    at = polish()
    at.text_input(key="wf_name").input("Everyone marketing").run()
    click(at, "wf_filter_add")
    at.selectbox(key="wf_filter_1_property").select("marketing_status").run()
    at.selectbox(key="wf_filter_1_value_marketing_status_eq").select("non_marketing").run()
    at.selectbox(key="wf_action_1_set_marketing_status").select("marketing").run()
    click(at, "wf_save")
    click(at, "wf_dry_run")
    (saved,) = Cli(app_env)("workflows", "list")["workflows"]
    dry = Cli(app_env)("workflows", "dry-run", str(saved["id"]))
    assert dry["tier_goes_up"] and dry["would_enroll"] >= 1_000, "the demo has many non-marketing contacts"

    shown = metrics(at)
    assert shown["Zostałyby zarejestrowane teraz"] == polish_number(dry["would_enroll"])
    assert NBSP in shown["Zostałyby zarejestrowane teraz"], "1 583, not 1,583"
    assert shown["Marketingowe od 1 gru"] == polish_number(dry["marketing_next_update_after"])
    assert shown["Rozliczany poziom kontaktów"] == polish_number(dry["tier_limit_after"])
    assert shown["Cena miesięczna"] == f"{polish_number(dry['monthly_price_after'])},00{NBSP}USD"
    assert english_left(at, allowed=("Everyone marketing",)) == []

    warning = at.warning[0].value
    assert warning == (
        f"Włączenie od razu podniesie rozliczany poziom kontaktów z **{polish_number(dry['tier_limit_before'])}** do "
        f"**{polish_number(dry['tier_limit_after'])}**: {polish_number(dry['monthly_price_before'])},00 → "
        f"{polish_number(dry['monthly_price_after'])},00{NBSP}USD miesięcznie."
    )
    consent = at.checkbox(key="wf_consent")
    assert consent.label == f"Zgadzam się na poziom {polish_number(dry['tier_limit_after'])} kontaktów"
    assert at.button(key="wf_enable").disabled
    consent.check().run()
    click(at, "wf_enable")
    assert at.success[0].value == (
        "Przepływ pracy 'Everyone marketing' został włączony: kontakty zostaną zarejestrowane przy następnym "
        "uruchomieniu (albo po kliknięciu Uruchom teraz)."
    )
    assert at.success[1].value.startswith("Włączony od 26 lis 2026 ")


def test_run_now_and_the_run_log_in_polish(polish: Callable[[], AppTest], app_env: str) -> None:
    at = create_leads_workflow(polish())
    click(at, "wf_dry_run")
    (saved,) = Cli(app_env)("workflows", "list")["workflows"]
    dry = Cli(app_env)("workflows", "dry-run", str(saved["id"]))
    scheduled = dry["scheduled"]
    caption = next(c.value for c in at.caption if " dnia " in c.value)
    form = translator("pl").ngettext(
        "{n} marketing contacts would become non-marketing on {day}.",
        "{n} marketing contacts would become non-marketing on {day}.",
        scheduled,
        day=date.fromisoformat(dry["next_update_date"]),
    )
    assert caption == form and caption.endswith("dnia 1 gru 2026.")
    click(at, "wf_enable")
    click(at, "wf_run_now")

    message = at.success[0].value
    enrolled = polish_number(dry["would_enroll"])
    assert message.startswith("Uruchomienie zakończone w ") and " s: zarejestrowane: " in message
    assert f"zarejestrowane: {enrolled}; zmienione: {polish_number(scheduled)}, " in message
    assert message.endswith(f"ukończone: {enrolled}, ponawiane: 0, nieudane: 0.")

    attempts = table_with(at, "Próba")
    assert list(attempts.columns)[:4] == ["Rozpoczęte", "Akcja", "Próba", "Wynik"]
    assert list(attempts["Akcja"]) == [
        "1. Ustaw status kontaktu marketingowego: niemarketingowy",
        "Rejestracja pasujących kontaktów",
    ]
    assert set(attempts["Wynik"]) == {"ok"}
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    (bar,) = figure["data"]
    assert bar["name"] == "1. Ustaw status kontaktu marketingowego: niemarketingowy"
    assert all(x.startswith("26 lis<br>") for x in bar["x"]), "the run's start with a Polish month"
    assert figure["layout"]["xaxis"]["title"]["text"] == "Uruchomienie (początek)"
    assert figure["layout"]["separators"] == f",{NBSP}"
    runs = table_with(at, "Już w tym stanie")
    assert list(runs.columns)[:3] == ["Rozpoczęte", "Zakończone", "Przez"]
    assert english_left(at, allowed=(LEADS,)) == []


def test_the_polish_plurals_of_the_workflow_sentences() -> None:
    pl = translator("pl")
    sentence = ("{n} marketing contacts would become non-marketing on {day}.",) * 2
    day = date.fromisoformat("2026-12-01")
    assert [pl.ngettext(*sentence, n, day=day) for n in (1, 3, 5, 22, 1585)] == [
        "1 kontakt marketingowy stałby się niemarketingowy dnia 1 gru 2026.",
        "3 kontakty marketingowe stałyby się niemarketingowe dnia 1 gru 2026.",
        "5 kontaktów marketingowych stałoby się niemarketingowymi dnia 1 gru 2026.",
        "22 kontakty marketingowe stałyby się niemarketingowe dnia 1 gru 2026.",
        f"1{NBSP}585 kontaktów marketingowych stałoby się niemarketingowymi dnia 1 gru 2026.",
    ]


def test_what_the_run_log_keeps_in_english_is_said_again_in_polish() -> None:
    pl = translator("pl")
    blocked = ENGLISH(BLOCKED, after=12_500, consented=10_000)
    assert blocked.startswith("Stopped before raising the billed tier to 12,500 contacts (10,000 consented")
    assert said(blocked) == blocked, "English stays as stored"
    assert said(blocked, pl) == (
        f"Zatrzymano przed podniesieniem rozliczanego poziomu kontaktów do 12{NBSP}500 (przy włączaniu przepływu "
        f"pracy wyrażono zgodę na 10{NBSP}000). Przejrzyj próbne uruchomienie i włącz przepływ pracy ponownie, aby "
        "wyrazić zgodę."
    )
    assert said(ENGLISH(BLOCKED_WITHOUT_CONSENT, after=2_500), pl).startswith(
        f"Zatrzymano przed podniesieniem rozliczanego poziomu kontaktów do 2{NBSP}500 (przy włączaniu przepływu pracy "
        "nie wyrażono zgody"
    )
    stopped = ENGLISH(STOPPED, error="OperationalError: database is locked")
    assert said(stopped, pl) == "przekroczono czas przeznaczony na ponawianie: OperationalError: database is locked"
    assert said("something else entirely", pl) == "something else entirely"

    add = WorkflowAction(ActionType.ADD_TO_LIST, list="VIP")
    assert add.describe() == "Add to list 'VIP'"
    assert add.describe(pl) == "Dodaj do listy 'VIP'"
    assert action_label(f"3. {add.describe()}", pl) == "3. Dodaj do listy 'VIP'"
    assert action_label("Enroll matching contacts", pl) == "Rejestracja pasujących kontaktów"
    status = WorkflowAction(ActionType.SET_MARKETING_STATUS, to=MarketingStatus.MARKETING)
    assert action_label(f"1. {status.describe()}", pl) == "1. Ustaw status kontaktu marketingowego: marketingowy"


def test_a_workflow_error_keeps_its_english_and_speaks_polish_on_the_page() -> None:
    with pytest.raises(WorkflowError) as refused:
        parse_definition({"name": "x", "criteria": [], "actions": []})
    assert str(refused.value) == (
        "a workflow needs at least one enrollment condition (an empty one would enroll everyone)"
    )
    assert refused.value.text(translator("pl")) == (
        "przepływ pracy musi mieć co najmniej jeden warunek rejestracji (bez warunków zarejestrowałby wszystkich)"
    )
    with pytest.raises(WorkflowError) as refused:
        parse_definition(
            {
                "name": "x",
                "criteria": [{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}],
                "actions": [{"type": "jump"}],
            }
        )
    assert str(refused.value) == (
        "action 1: unknown type 'jump'; use one of set_marketing_status, add_to_list, remove_from_list"
    )
    assert refused.value.text(translator("pl")) == (
        "akcja 1: nieznany typ 'jump'; użyj jednego z: set_marketing_status, add_to_list, remove_from_list"
    )


def test_widening_an_enabled_workflow_asks_in_polish_for_consent_to_the_higher_tier(
    polish: Callable[[], AppTest], app_env: str
) -> None:
    at = polish()
    cli = Cli(app_env)
    criteria = '[{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}, ' + (
        '{"property": "marketing_status", "operator": "eq", "value": "non_marketing"}]'
    )
    created = cli(
        "workflows", "create", "--name", "Leads in", "--filter", criteria, "--action", "set_marketing_status:marketing"
    )
    cli("workflows", "enable", str(created["id"]))
    at.run()
    at.selectbox(key="wf_pick").select(created["id"]).run()
    assert at.success[0].value.startswith("Włączony od 26 lis 2026 ")
    click(at, "wf_filter_1_remove")  # every non-marketing contact now, not only leads
    click(at, "wf_save")
    before = cli("workflows", "show", str(created["id"]))["max_tier"]
    wider = cli(
        "workflows",
        "dry-run",
        "--name",
        "Wider",
        "--filter",
        '[{"property": "marketing_status", "operator": "eq", "value": "non_marketing"}]',
        "--action",
        "set_marketing_status:marketing",
    )
    assert at.warning[0].value == (
        f"Ten przepływ pracy jest włączony: zmiana podniosłaby rozliczany poziom kontaktów z {polish_number(before)} "
        f"do {polish_number(wider['tier_limit_after'])} ({polish_number(wider['monthly_price_after'])},00{NBSP}USD "
        "miesięcznie)."
    )
    at.checkbox(key="wf_edit_consent").check().run()
    assert at.checkbox(key="wf_edit_consent").label == "Zgadzam się na wyższy poziom kontaktów"
    click(at, "wf_save")
    assert at.success[0].value == "Przepływ pracy 'Leads in' został zapisany."
    assert english_left(at, allowed=("Leads in",)) == []


def test_a_starter_account_is_told_in_polish_why_it_cannot_use_workflows(
    polish: Callable[[], AppTest], app_env: str
) -> None:
    engine = make_engine(app_env)
    init(engine, today=TODAY, actor="test", edition=Edition.STARTER)
    engine.dispose()
    at = polish()
    assert at.warning[0].value == (
        "Przepływy pracy wymagają wersji Professional lub Enterprise; to konto ma wersję Starter."
    )
    assert english_left(at) == []


def test_a_change_that_feeds_a_status_workflow_is_refused_with_polish_plurals() -> None:
    fed = [Fed(1, "VIP", 1), Fed(2, "Leads", 3), Fed(3, "All", 1_585)]
    reason = refusal("ann", Role.EDITOR, False, Action.CHANGE_STATUS)
    assert reason is not None
    refused = FeedsStatusWorkflows(reason, fed)
    assert str(refused) == (
        f"{reason}. This change would enroll contacts in enabled workflows that change "
        "marketing contact status: 'VIP' (1 contact), 'Leads' (3 contacts), 'All' (1,585 contacts)"
    )
    polish_text = refused.text(translator("pl"))
    assert polish_text.startswith(reason.text(translator("pl")) + ". ") and not polish_text.startswith(reason)
    assert polish_text.endswith(
        "Ta zmiana zarejestrowałaby kontakty we włączonych przepływach pracy, które zmieniają status kontaktu "
        f"marketingowego: 'VIP' (1 kontakt), 'Leads' (3 kontakty), 'All' (1{NBSP}585 kontaktów)"
    )
