"""The Account settings page saves valid settings and explains every problem with invalid ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import Cli
from tests.pages.usage_app import keep_running_app_py


@pytest.fixture(autouse=True)
def _every_run_starts_from_app_py(monkeypatch: pytest.MonkeyPatch) -> None:
    keep_running_app_py(monkeypatch)


def _settings(open_app: Callable[..., AppTest]) -> AppTest:
    return open_app("pages/admin/settings.py")


def _field(at: AppTest, label: str) -> Any:
    return next(n for n in at.number_input if n.label == label)


def _save(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == "Save settings").click().run()
    assert not at.exception, at.exception
    return at


def test_saving_valid_settings_changes_what_the_usage_command_reports(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    at = _settings(open_app)
    at.selectbox[1].select("monthly")
    _field(at, "Billed tier (contacts paid for)").set_value(7_000)
    _field(at, "Price per increment (USD a month)").set_value(300)
    _save(at)
    assert (
        at.success[0].value == "Settings saved (commitment, billed tier, increment price). Billed tier: 7,000 contacts."
    )
    usage = Cli(app_env)("usage")
    assert (usage["commitment"], usage["tier_limit"], usage["monthly_price"]) == ("monthly", 7_000, 890 + 300)


def test_invalid_settings_are_refused_with_one_line_per_problem(open_app: Callable[..., AppTest], app_env: str) -> None:
    at = _settings(open_app)
    _field(at, "Billed tier (contacts paid for)").set_value(3_000)
    _save(at)
    message = at.error[0].value
    assert message.startswith("The settings were not saved:")
    assert "- The billed tier must be the 2,000 included contacts plus whole increments of 5,000" in message
    assert Cli(app_env)("usage")["tier_limit"] == 2_000


def test_choosing_another_edition_offers_its_usual_increment_and_prices(open_app: Callable[..., AppTest]) -> None:
    at = _settings(open_app)
    at.selectbox(key="settings_edition").select("enterprise").run()
    assert _field(at, "Contacts per increment").value == 10_000
    assert _field(at, "Billed tier (contacts paid for)").value == 10_000
    assert _field(at, "Base price (USD a month)").value == 3_600
    _save(at)
    assert "Billed tier: 10,000 contacts." in at.success[0].value
