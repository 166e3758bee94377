"""A real browser opens the Usage & limits page and sees the same numbers as the command line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import Cli
from tests.e2e.conftest import Server, screenshot, settle

pytestmark = pytest.mark.e2e


def test_usage_page_in_chromium_shows_the_usage_command_figures(page: Any, start_server: Callable[..., Server]) -> None:
    server = start_server()
    page.goto(server.url)
    settle(page)
    usage = Cli(server.db_url)("usage")
    metrics = page.get_by_test_id("stMetric")
    shown = {}
    for i in range(metrics.count()):
        label, value = [line for line in metrics.nth(i).inner_text().splitlines() if line.strip()][:2]
        shown[label] = value
    assert shown["Marketing contacts"] == f"{usage['marketing']:,}"
    assert shown["Marketing contacts until next update"] == f"{usage['pending']:,}"
    assert shown["Total contacts"] == f"{usage['total']:,}"
    assert shown["Billed tier"] == f"{usage['tier_limit']:,}"
    screenshot(page, "usage")


def test_the_usage_page_visible_text_shows_the_cost_now_and_at_renewal(
    page: Any, start_server: Callable[..., Server]
) -> None:
    """Issue 13: the monthly cost was only in the tooltip of "Billed tier"; it must be readable without hovering."""
    server = start_server()
    page.goto(server.url)
    settle(page)
    usage = Cli(server.db_url)("usage")
    text = page.get_by_test_id("stMain").inner_text()  # what is on the screen, tooltips excluded
    renewal = usage["money"]["renewal"]["on"]
    assert "Monthly cost now" in text and f"{usage['monthly_price']:,} USD" in text
    day = f"{int(renewal[8:10]):02d}"
    assert f"At renewal {day} " in text and f"{usage['monthly_price_at_renewal']:,} USD" in text
    assert "Pending changes save" in text
    screenshot(page, "usage_money")
