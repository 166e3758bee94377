"""In Chromium: create a workflow with the filter builder, dry-run it, enable it, run it; the counts match the CLI."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import Cli
from tests.e2e.conftest import Server, screenshot, settle

pytestmark = pytest.mark.e2e


def _click(page: Any, name: str, then: str | None = None) -> str:
    """Click a button; with ``then``, wait for the success message containing it (shown after a rerun)."""
    page.get_by_role("button", name=name, exact=True).click()
    settle(page)
    if then is None:
        return ""
    message = page.get_by_test_id("stAlertContentSuccess").filter(has_text=then)
    message.wait_for(timeout=60_000)
    settle(page)
    return str(message.inner_text())


def test_create_and_run_a_workflow_in_chromium(page: Any, start_server: Callable[..., Server]) -> None:
    server = start_server()
    page.goto(server.url)
    settle(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Workflows").click()
    settle(page)
    cli = Cli(server.db_url)
    before = cli("usage")

    page.get_by_label("Name").fill("Leads become non-marketing")
    page.get_by_label("Name").press("Enter")
    settle(page)
    _click(page, "Add condition")
    page.locator(".st-key-wf_filter_1_value_lifecycle_stage_eq").get_by_role("combobox").click()  # by label
    page.get_by_role("option", name="Lead", exact=True).click()
    settle(page)
    screenshot(page, "workflows-editor")
    _click(page, "Save workflow", then="saved")

    (saved,) = cli("workflows", "list")["workflows"]
    dry = cli("workflows", "dry-run", str(saved["id"]))
    _click(page, "Dry run")
    shown = page.get_by_test_id("stMetric").filter(has_text="Would enroll now").inner_text()
    assert f"{dry['would_enroll']:,}" in shown
    screenshot(page, "workflows-dry-run")
    _click(page, "Enable", then="enabled")
    message = _click(page, "Run now", then="Run finished")
    n = f"{dry['would_enroll']:,}"
    assert re.search(rf"{n} enrolled; .*; {n} completed, 0 retrying", message), message  # issue 13 point 4's counts
    after = cli("usage")
    assert after["pending"] == before["pending"] + dry["scheduled"]
    assert cli("workflows", "show", str(saved["id"]))["counts"]["completed"] == dry["would_enroll"]
    screenshot(page, "workflows-list")
    page.set_viewport_size({"width": 1400, "height": 2600})  # the app scrolls inside: make room for the log
    settle(page)
    page.get_by_test_id("stPlotlyChart").first.wait_for()
    screenshot(page, "workflows-run-log")
