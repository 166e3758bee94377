"""Two tabs of one browser race a confirmation (docs/domain.md §10): tab A's dialog promises a change, tab B
changes those contacts first; A's confirmation is refused with nothing written, its dialog shows the new figures,
and confirming them goes through."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import Cli
from tests.e2e.conftest import Server, screenshot, settle
from tests.e2e.test_contacts_browser import _known, _more, _open_contacts, _select_rows, _wait_metric

pytestmark = pytest.mark.e2e


def _confirm_marketing(tab: Any, typed: int, *, every_match: bool = False) -> Any:
    """In the open Set as marketing dialog: tick "apply to all" if asked, type the count, press the button."""
    dialog = tab.get_by_role("dialog", name="Set as marketing")
    if every_match:
        dialog.get_by_text(f"Apply to all {typed:,} contacts matching this filter").click()
        settle(tab)
    dialog.get_by_role("textbox").fill(str(typed))
    dialog.get_by_role("textbox").press("Enter")
    settle(tab)
    confirm = dialog.get_by_role("button", name="Set as marketing")
    expect(confirm).to_be_enabled()
    confirm.click()
    settle(tab)
    return dialog


def test_a_confirmation_raced_by_another_tab_is_refused_shows_the_new_figures_and_then_applies(
    context: Any, start_server: Callable[..., Server]
) -> None:
    server = start_server(setup=_known)  # 6 marketing, 2 pending, 4 non-marketing
    tab_a, tab_b = context.new_page(), context.new_page()
    _open_contacts(tab_a, server)
    _open_contacts(tab_b, server)

    tab_a.bring_to_front()
    tab_a.get_by_test_id("stRadio").get_by_text("Non-marketing contacts", exact=True).click()
    settle(tab_a)
    _wait_metric(tab_a, "Matching contacts", "4")
    tab_a.get_by_test_id("stRadio").get_by_text("All matching contacts", exact=True).click()
    settle(tab_a)
    _more(tab_a, "Set as marketing")
    dialog = tab_a.get_by_role("dialog", name="Set as marketing")
    expect(dialog).to_contain_text("Type 4 to confirm")

    tab_b.bring_to_front()  # tab B makes one of those four contacts marketing first
    _select_rows(tab_b, [0])
    _more(tab_b, "Set as marketing")
    _confirm_marketing(tab_b, 1)
    expect(tab_b.get_by_test_id("stAlertContentSuccess")).to_contain_text("1 contact became marketing")
    before = Cli(server.db_url)("usage")
    assert before["marketing"] == 9

    tab_a.bring_to_front()
    dialog.get_by_text("Apply to all 4 contacts matching this filter").click()
    settle(tab_a)
    _confirm_marketing(tab_a, 4)
    expect(dialog).to_contain_text("Someone changed these contacts meanwhile", timeout=20_000)
    expect(dialog).to_contain_text("4 contacts were confirmed, 3 would now change. Nothing was changed.")
    expect(dialog).to_contain_text("Type 3 to confirm")
    expect(dialog.get_by_role("button", name="Set as marketing")).to_be_disabled()
    expect(dialog.get_by_role("textbox")).to_have_value("")  # the browser forgets what was typed and ticked
    expect(dialog.get_by_role("checkbox")).not_to_be_checked()
    screenshot(tab_a, "binding_confirmation_refused")
    assert Cli(server.db_url)("usage") == before, "nothing written"

    _confirm_marketing(tab_a, 3, every_match=True)
    expect(tab_a.get_by_test_id("stAlertContentSuccess")).to_contain_text("3 contacts became marketing")
    _wait_metric(tab_a, "Marketing", "0")  # the Non-marketing quick filter now matches nobody who is marketing
    assert Cli(server.db_url)("usage")["marketing"] == 12
