"""Chromium completes the Manage marketing contacts wizard and sees the success message and the new counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import Cli
from tests.e2e.conftest import Server, screenshot, settle

pytestmark = pytest.mark.e2e


def _metrics(page: Any) -> dict[str, str]:
    shown = {}
    metrics = page.get_by_test_id("stMetric")
    for i in range(metrics.count()):
        label, value = [line for line in metrics.nth(i).inner_text().splitlines() if line.strip()][:2]
        shown[label] = value
    return shown


def _click(page: Any, key: str, then: str) -> None:
    """Click the button with ``key``, then wait for the element the next step shows (reruns start late)."""
    page.locator(f".st-key-{key} button").click()
    page.locator(then).first.wait_for(timeout=30_000)
    settle(page)


def test_the_wizard_in_chromium_updates_the_unengaged_contacts_and_shows_the_new_counts(
    page: Any, start_server: Callable[..., Server]
) -> None:
    server = start_server()
    page.goto(server.url)
    settle(page)
    screenshot(page, "usage_overview")
    cli = Cli(server.db_url)
    dry_run = cli("set-status", "--to", "non-marketing", "--unengaged", "--dry-run")
    page.set_viewport_size({"width": 1400, "height": 1800})  # Streamlit scrolls inside: show more in screenshots
    page.get_by_role("tab", name="Manage marketing contacts").click()
    page.locator(".st-key-wiz_start").wait_for()
    _click(page, "wiz_start", then=".st-key-wiz_skip")
    assert _metrics(page)["Unengaged marketing contacts"] == f"{dry_run['scheduled']:,}"
    screenshot(page, "usage_wizard_unengaged")
    _click(page, "wiz_next", then=".st-key-wiz_filter_add")
    _click(page, "wiz_next", then=".st-key-wiz_update")
    review = _metrics(page)
    assert review["Become non-marketing"] == f"{dry_run['scheduled']:,}"
    assert review["Not included"] == f"{dry_run['unchanged']:,}"
    screenshot(page, "usage_wizard_review")
    _click(page, "wiz_update", then="[data-testid='stAlertContentSuccess']")
    success = page.get_by_test_id("stAlertContentSuccess")
    assert f"Contacts updated: {dry_run['scheduled']:,} become non-marketing" in success.inner_text()
    usage = cli("usage")
    shown = _metrics(page)
    assert shown["Marketing contacts until next update"] == f"{usage['pending']:,}"
    assert shown["Marketing contacts"] == f"{usage['marketing']:,}"
    screenshot(page, "usage_wizard_done")


def test_the_other_tabs_render_in_chromium(page: Any, start_server: Callable[..., Server]) -> None:
    server = start_server()
    page.set_viewport_size({"width": 1400, "height": 1800})
    page.goto(server.url)
    settle(page)
    screenshot(page, "usage_history")
    for tab, shows in (
        ("Why this number", ".stPlotlyChart >> nth=2"),
        ("Simulator", ".st-key-whatif_filter_add"),
        ("Forecast", "table"),
    ):
        page.get_by_role("tab", name=tab).click()
        page.locator(shows).first.wait_for(timeout=30_000)
        settle(page)
        assert page.get_by_test_id("stException").count() == 0
        screenshot(page, "usage_" + tab.lower().replace(" ", "_"))
    page.locator(".st-key-simulate_on label").click()
    page.get_by_test_id("stAlertContentInfo").first.wait_for(timeout=30_000)
    settle(page)
    assert "Simulating" in page.get_by_test_id("stAlertContentInfo").first.inner_text()
    screenshot(page, "usage_simulating")
    page.get_by_role("link", name="Account settings").click()
    page.get_by_role("button", name="Save settings").wait_for(timeout=30_000)
    settle(page)
    assert page.get_by_role("button", name="Save settings").is_disabled(), "no saving while simulating"
    screenshot(page, "settings_simulating")
