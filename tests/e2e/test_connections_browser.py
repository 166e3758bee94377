"""Chromium syncs contacts from a local HubSpot (tests/hubspot_fake.py) on the Connections page and watches the
progress bar move (docs/domain.md §12)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from core.settings import HUBSPOT_TOKEN_ENV, HUBSPOT_URL_ENV
from tests.conftest import Cli
from tests.e2e.conftest import Server, screenshot, settle
from tests.hubspot_fake import fill, running

pytestmark = pytest.mark.e2e
TOKEN = "pat-e2e-0000-1111-2222-3333"


def test_the_connections_page_syncs_from_hubspot_with_a_progress_bar(
    page: Any, start_server: Callable[..., Server]
) -> None:
    with running(TOKEN) as (hubspot_url, hubspot):
        fill(hubspot, 2_000)
        hubspot.delay = 0.15  # 20 pages: long enough to see the bar move
        server = start_server(env={HUBSPOT_TOKEN_ENV: TOKEN, HUBSPOT_URL_ENV: hubspot_url})
        page.goto(server.url)
        settle(page)
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Connections", exact=True).click()
        settle(page)
        page.get_by_text("No sync yet.").wait_for(timeout=30_000)  # the page, not the one before it
        page.get_by_role("button", name="Sync now").click()
        bar = page.get_by_test_id("stProgress")
        bar.wait_for(state="visible", timeout=30_000)
        page.wait_for_function(
            "() => /[1-9][0-9,]* of 2,000 contacts/.test(document.querySelector('[data-testid=stProgress]')"
            "?.innerText || '')",
            timeout=30_000,
        )
        midway = bar.inner_text()
        screenshot(page, "connections-sync-progress")
        page.get_by_test_id("stAlertContentSuccess").wait_for(timeout=60_000)
        settle(page)
        done = page.get_by_test_id("stAlertContentSuccess").inner_text()
        screenshot(page, "connections-synced")
    shown = int(re.search(r"([0-9,]+) of 2,000", midway).group(1).replace(",", ""))  # type: ignore[union-attr]
    assert 0 < shown <= 2_000
    assert "HubSpot sync finished: 2,000 fetched, 2,000 created" in done
    assert TOKEN not in page.content()
    usage = Cli(server.db_url)("usage")
    assert usage["total"] >= 2_000  # the demo account's contacts and HubSpot's
