"""The Usage & limits tabs: history, why this number, the simulator (= `simulate --on`), what-if and forecast."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from core.rules.selection import Selection
from core.services import wizard
from core.store.engine import make_engine
from tests.conftest import TODAY, Cli
from tests.pages.usage_app import add_condition, keep_running_app_py, metrics, number, open_tab

LEADS = '[{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}]'


@pytest.fixture(autouse=True)
def _every_run_starts_from_app_py(monkeypatch: pytest.MonkeyPatch) -> None:
    keep_running_app_py(monkeypatch)


def _simulated(at: AppTest) -> dict[str, int]:
    shown = metrics(at)
    return {
        "marketing": number(shown["Marketing on that day"]),
        "non_marketing": number(shown["Non-marketing on that day"]),
        "tier_limit": number(shown["Billed tier on that day"]),
        "monthly_price": number(shown["Monthly price on that day"]),
        "became_non_marketing": number(shown["Gone by then"]),
    }


def _cli_figures(cli: Cli, day: str) -> dict[str, int]:
    result = cli("simulate", "--on", day)
    return {k: result[k] for k in ("marketing", "non_marketing", "tier_limit", "monthly_price", "became_non_marketing")}


def test_the_simulator_shows_what_simulate_on_reports_for_the_next_update_date_and_any_date(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    at = open_tab(open_app(), "Simulator")
    cli = Cli(app_env)
    assert _simulated(at) == _cli_figures(cli, "2026-12-01"), "default: the next update date"
    at.date_input(key=f"simulate_on_{TODAY}").set_value(date(2027, 3, 15)).run()
    assert _simulated(at) == _cli_figures(cli, "2027-03-15")


def test_the_what_if_predicts_the_next_update_date_of_really_setting_the_filter_non_marketing(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    at = add_condition(open_tab(open_app(), "Simulator"), "whatif_filter", "lead")
    cli = Cli(app_env)
    before = cli("simulate", "--on", "2026-12-01")
    shown = metrics(at)
    predicted = number(shown["Marketing after the update"])
    assert predicted < before["marketing"]
    cli("set-status", "--to", "non-marketing", "--filter", LEADS)
    after = cli("simulate", "--on", "2026-12-01")
    assert after["marketing"] == predicted
    assert number(shown["Billed tier after the update"]) == after["tier_limit"]
    assert number(shown["Tier at renewal"]) == after["renewal_tier"]


def test_the_history_tab_ends_on_today_with_the_usage_command_counts(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    at = open_app()  # History is the tab open by default
    usage = Cli(app_env)("usage")
    figure = json.loads(at.get("plotly_chart")[1].proto.spec)
    traces = {t["name"]: t for t in figure["data"]}
    assert set(traces) == {"Marketing", "Non-marketing", "Billed tier", "Update dates"}
    assert traces["Marketing"]["y"][-1] == usage["marketing"]
    assert traces["Non-marketing"]["y"][-1] == usage["non_marketing"]
    assert traces["Billed tier"]["y"][-1] == usage["tier_limit"]
    assert len(traces["Marketing"]["x"]) == 366, "12 months by default"
    assert traces["Update dates"]["x"][-1].startswith("2026-11-01")


def test_the_history_is_kept_between_reruns_and_follows_a_change_made_elsewhere(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    at = open_app()
    cli = Cli(app_env)

    def last_marketing() -> int:
        figure = json.loads(at.get("plotly_chart")[1].proto.spec)
        return int(next(t for t in figure["data"] if t["name"] == "Marketing")["y"][-1])

    before = last_marketing()
    assert before == cli("usage")["marketing"]
    changed = cli("set-status", "--to", "marketing", "--unengaged")  # another process: the cache must notice
    assert changed["changed"] > 0
    at.run()
    assert last_marketing() == cli("usage")["marketing"] == before + changed["changed"]


def test_why_this_number_splits_the_marketing_contacts_by_source_and_by_stage(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    at = open_tab(open_app(), "Why this number")
    usage = Cli(app_env)("usage")
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")[1:]]
    assert len(charts) == 2
    for chart in charts:
        assert sum(chart["data"][0]["x"]) == usage["marketing"]
    assert "form" in charts[0]["data"][0]["y"]


def test_the_forecast_tab_shows_the_band_the_method_and_how_it_relates_to_the_simulator(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    at = open_tab(open_app(), "Forecast")
    cli = Cli(app_env)
    figure = json.loads(at.get("plotly_chart")[1].proto.spec)
    names = [t["name"] for t in figure["data"]]
    assert "Band (low to high)" in names and "If nothing else changes (simulator)" in names
    assert len(figure["data"][2]["x"]) == 12
    captions = " ".join(c.value for c in at.caption)
    assert "**Method.** Contacts arriving" in captions and "not growth" in captions
    assert "**The simulator.**" in captions and "nothing else changes" in captions
    table = at.table[0].value
    assert len(table) == 12
    months = cli("forecast")["months"]
    assert list(table["Contacts"]) == [f"{m['total']:,}" for m in months], "the page shows what forecast prints"
    assert list(table["If nothing else changes"]) == [f"{m['marketing_if_nothing_changes']:,}" for m in months]


def test_why_this_number_counts_what_made_contacts_marketing_not_the_wizard_that_scheduled_them(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    open_app()  # creates the demo database
    engine = make_engine(app_env)
    done = wizard.update_contacts(engine, selection=Selection(unengaged=True), today=TODAY, actor="ana")
    engine.dispose()
    assert done.scheduled > 0
    at = open_tab(open_app(), "Why this number")
    by_source = json.loads(at.get("plotly_chart")[1].proto.spec)["data"][0]
    assert sum(by_source["x"]) == Cli(app_env)("usage")["marketing"], "pending contacts count by what made them"
    assert "usage wizard" not in by_source["y"]
    assert any("never the tool that scheduled" in c.value for c in at.caption)


def test_the_history_of_demo_data_could_be_true_the_tier_follows_the_count_and_nothing_precedes_the_start(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    """Issue 13: `init --demo 300000` showed the tier at 2,000 while marketing climbed to 150,000, and update runs
    before the subscription started (here at 20,000 contacts, without --start-date)."""
    cli = Cli(app_env)
    cli("init", "--demo", "20000")
    at = open_app()
    figure = json.loads(at.get("plotly_chart")[1].proto.spec)
    traces = {t["name"]: t for t in figure["data"]}
    marketing, tier = traces["Marketing"]["y"], traces["Billed tier"]["y"]
    assert all(m <= t for m, t in zip(marketing, tier, strict=True)), "never more marketing contacts than the tier"
    assert tier[0] < tier[-1] == cli("usage")["tier_limit"], "the tier rose with the count, during the history"
    start = (TODAY - timedelta(days=365)).isoformat()
    assert min(traces["Update dates"]["x"]) >= start, "no update run before the subscription started"
