"""The sidebar's "Simulate as of": every figure as of a future day, and nothing written meanwhile."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from core.store.engine import make_engine
from core.store.schema import operations
from tests.conftest import Cli
from tests.pages.usage_app import keep_running_app_py, metrics, number, open_tab
from tests.services.usage_data import count

MARCH = date(2027, 3, 15)


@pytest.fixture(autouse=True)
def _every_run_starts_from_app_py(monkeypatch: pytest.MonkeyPatch) -> None:
    keep_running_app_py(monkeypatch)


def _operations(url: str) -> int:
    engine = make_engine(url)
    try:
        return count(engine, operations)
    finally:
        engine.dispose()


def _simulate(at: AppTest, day: date) -> AppTest:
    at.toggle(key="simulate_on").set_value(True).run()
    at.date_input(key="simulate_day").set_value(day).run()
    assert not at.exception, at.exception
    return at


def test_the_usage_page_shows_the_simulated_day_as_simulate_on_reports_it(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    at = _simulate(open_app(), MARCH)
    expected = Cli(app_env)("simulate", "--on", MARCH.isoformat())
    shown = metrics(at)
    assert number(shown["Marketing contacts"]) == expected["marketing"]
    assert number(shown["Marketing contacts until next update"]) == expected["pending"]
    assert number(shown["Non-marketing contacts"]) == expected["non_marketing"]
    assert number(shown["Billed tier"]) == expected["tier_limit"]
    assert shown["Next update date"] == "01 Apr 2027"
    assert any("Simulating 15 Mar 2027" in i.value for i in at.info)


def test_switching_the_simulation_off_returns_to_today(open_app: Callable[..., AppTest], app_env: str) -> None:
    at = _simulate(open_app(), MARCH)
    at.toggle(key="simulate_on").set_value(False).run()
    usage = Cli(app_env)("usage")
    assert number(metrics(at)["Marketing contacts until next update"]) == usage["pending"]
    assert metrics(at)["Next update date"] == "01 Dec 2026"


def test_simulating_writes_nothing_and_refuses_saving_settings(open_app: Callable[..., AppTest], app_env: str) -> None:
    at = open_app()
    before = _operations(app_env)
    _simulate(at, MARCH)
    for tab in ("History", "Why this number", "Manage marketing contacts", "Simulator", "Forecast"):
        at.session_state["usage_tab"] = tab
        at.run()
        assert not at.exception, at.exception
    at.switch_page("pages/admin/settings.py").run()
    assert next(b for b in at.button if b.label == "Save settings").disabled, "refused while simulating"
    assert any("Disabled while simulating" in i.value for i in at.info)
    assert _operations(app_env) == before


def test_simulating_refuses_managing_users_too(open_app: Callable[..., AppTest], app_env: str) -> None:
    at = open_app()
    before = _operations(app_env)
    _simulate(at, MARCH)
    at.switch_page("pages/admin/users.py").run()
    assert not at.exception, at.exception
    assert next(b for b in at.button if b.label == "Add user").disabled, "refused while simulating"
    assert any("Disabled while simulating" in i.value for i in at.info)
    at.toggle(key="simulate_on").set_value(False).run()
    assert not next(b for b in at.button if b.label == "Add user").disabled
    assert _operations(app_env) == before


def test_the_forecast_starts_from_today_also_while_simulating_a_later_day(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    """Issue 13: under "Simulate as of" the forecast gave other figures for the same month, with nothing saying why."""
    at = open_tab(open_app(), "Forecast")
    live = at.table[0].value
    at = open_tab(_simulate(open_app(), MARCH), "Forecast")
    assert at.table[0].value.equals(live)
    assert list(live["Contacts"]) == [f"{m['total']:,}" for m in Cli(app_env)("forecast")["months"]]
