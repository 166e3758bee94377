"""A real browser selects rows in the contacts grid, runs bulk actions through their dialogs, and opens a contact."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from core.store.engine import make_engine
from tests.conftest import Cli
from tests.e2e.conftest import Server, screenshot, settle
from tests.factories import add_contacts

pytestmark = pytest.mark.e2e


def _known(db_url: str) -> None:
    Cli(db_url)("init", "--start-date", "2026-01-15")
    engine = make_engine(db_url)
    add_contacts(engine, 6, state="marketing", prefix="m", lifecycle_stage="lead", first_name="Mia", last_name="Park")
    add_contacts(engine, 2, state="pending", prefix="p", lifecycle_stage="lead", first_name="Pia", last_name="Lund")
    add_contacts(engine, 4, state="non_marketing", prefix="n", lifecycle_stage="customer", first_name="Noa")
    engine.dispose()


def _metric(page: Any, label: str) -> str:
    found = page.get_by_test_id("stMetric").filter(has_text=label).first
    lines = [line for line in found.inner_text().splitlines() if line.strip()]
    return lines[1]


def _wait_metric(page: Any, label: str, value: str, timeout: float = 20.0) -> None:
    """Streamlit reruns after a click: wait until the metric shows ``value``."""
    deadline = time.monotonic() + timeout
    while _metric(page, label) != value:
        assert time.monotonic() < deadline, f"{label} stayed {_metric(page, label)}, expected {value}"
        page.wait_for_timeout(200)


def _open_contacts(page: Any, server: Server) -> None:
    page.goto(server.url)
    settle(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Contacts", exact=True).click()
    settle(page)


def _select_rows(page: Any, rows: list[int]) -> None:
    """Click the rows' checkboxes and wait for the page to report them selected.

    After a rerun the grid is re-mounted; under load a click can land before it takes input. Then nothing is
    selected and the clicks are tried again (never on top of a partial selection, which they would undo)."""
    grid = page.get_by_test_id("stDataFrame").first
    for _ in range(3):
        box = None
        for _ in range(50):
            grid.wait_for(state="visible")
            if (box := grid.bounding_box()) is not None:
                break
            page.wait_for_timeout(200)
        assert box is not None, "the contacts grid never settled on the page"
        for row in rows:
            page.mouse.click(box["x"] + 15, box["y"] + 35 * (row + 1) + 17)
            page.wait_for_timeout(400)  # the grid sends its selection a moment after the click
            settle(page)
        try:
            expect(page.get_by_text(f"{len(rows):,} selected on this page.")).to_be_visible(timeout=5_000)
            return
        except AssertionError:
            if page.get_by_text("selected on this page.").count() > 0:
                raise
    raise AssertionError(f"the grid never took the selection of rows {rows}")


def _more(page: Any, action: str) -> None:
    page.get_by_role("button", name="More").click()
    page.get_by_role("menuitem", name=action, exact=True).click()
    settle(page)


def test_selecting_rows_and_setting_them_non_marketing_through_the_dialog(
    page: Any, start_server: Callable[..., Server]
) -> None:
    server = start_server(setup=_known)
    _open_contacts(page, server)
    _wait_metric(page, "Marketing contacts until next update", "2")
    screenshot(page, "contacts_index")
    # Same create date for all: newest first is by id, 12 → 1. Rows 0-2: non-marketing, 4-5: pending, 6: marketing.
    _select_rows(page, [0, 1, 2, 4, 5, 6])
    expect(page.get_by_text("6 selected on this page")).to_be_visible()
    _more(page, "Set as non-marketing")
    dialog = page.get_by_role("dialog", name="Set as non-marketing")
    expect(dialog).to_contain_text("Next update date")
    assert _metric(dialog, "Will be scheduled") == "1" and _metric(dialog, "Not included") == "5"
    assert "01 Dec 2026" in dialog.inner_text()
    screenshot(page, "contacts_dialog_non_marketing")
    dialog.get_by_role("button", name="Set as non-marketing").click()
    settle(page)
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text(
        "Scheduled 1 contact as non-marketing; 5 not included"
    )
    _wait_metric(page, "Marketing contacts until next update", "3")
    assert Cli(server.db_url)("usage")["pending"] == 3


def test_set_as_marketing_unlocks_after_typing_the_count_and_a_contact_opens(
    page: Any, start_server: Callable[..., Server]
) -> None:
    server = start_server(setup=_known)
    _open_contacts(page, server)
    _select_rows(page, [0, 1])  # two non-marketing contacts
    _more(page, "Set as marketing")
    dialog = page.get_by_role("dialog", name="Set as marketing")
    expect(dialog).to_contain_text("Become marketing now")
    confirm = dialog.get_by_role("button", name="Set as marketing")
    expect(confirm).to_be_disabled()
    assert "Type 2 to confirm" in dialog.inner_text()
    dialog.get_by_role("textbox").fill("2")
    dialog.get_by_role("textbox").press("Enter")
    settle(page)
    expect(confirm).to_be_enabled()
    screenshot(page, "contacts_dialog_marketing")
    confirm.click()
    settle(page)
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("2 contacts became marketing", timeout=20_000)
    _wait_metric(page, "Marketing", "10")
    _select_rows(page, [0])
    page.get_by_role("button", name="Open contact").click()
    settle(page)
    expect(page.get_by_test_id("stMain")).to_contain_text("Made marketing by bulk action", timeout=20_000)
    settle(page)
    screenshot(page, "contact_detail")
