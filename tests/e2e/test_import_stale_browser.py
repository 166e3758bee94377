"""A stale file in the browser (docs/domain.md §10): the import preview shows the rows whose newer status it
keeps, and the import waits for consent before it undoes a scheduled change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import Cli
from tests.e2e.conftest import Server, screenshot, settle
from tests.e2e.test_contacts_browser import _known, _wait_metric
from tests.pages.test_import_hubspot_pages import stale_file

pytestmark = pytest.mark.e2e


def test_the_stale_preview_shows_what_it_keeps_and_asks_consent_before_undoing(
    page: Any, start_server: Callable[..., Server], tmp_path: Path
) -> None:
    prepared: dict[str, Path] = {}

    def setup(db_url: str) -> None:
        _known(db_url)  # 6 marketing (m0..m5), 2 pending (p0, p1), 4 non-marketing
        prepared["file"] = tmp_path / "before.csv"
        prepared["file"].write_bytes(stale_file(db_url, tmp_path))  # exported, then m0 and m1 cleaned up

    server = start_server(setup=setup)
    page.goto(server.url)
    settle(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Import contacts", exact=True).click()
    settle(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(prepared["file"]))
    settle(page)
    _wait_metric(page, "Stale rows: status kept", "2")
    _wait_metric(page, "Pending changes undone", "1")
    expect(page.get_by_text("2 rows are older than their contact's last status change")).to_be_visible()
    page.get_by_text("What the import keeps (2 stale rows)").click()
    settle(page)
    kept = page.get_by_test_id("stExpander").filter(has_text="What the import keeps")
    expect(kept.get_by_test_id("stDataFrame")).to_be_visible()
    warning = page.get_by_test_id("stAlertContentWarning").filter(has_text="undoes 1 scheduled non-marketing")
    expect(warning).to_be_visible()
    run = page.get_by_role("button", name="Import 12 rows")
    expect(run).to_be_disabled()
    screenshot(page, "import-stale-preview")
    page.get_by_text("I agree to undo 1 scheduled changes").click()
    settle(page)
    expect(run).to_be_enabled()
    run.click()
    settle(page)
    expect(page.get_by_text("Import finished.")).to_be_visible()
    usage = Cli(server.db_url)("usage")
    assert usage["pending"] == 3, "m0 and m1 kept their scheduled change; p0's was undone, p1's kept"
