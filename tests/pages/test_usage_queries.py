"""Convention: the Usage & limits page only aggregates contacts and events in SQL, whatever the tab or step.

Every SELECT it sends that reads ``contacts`` or ``status_events`` must be an aggregate (or a bounded
look-up), so that nothing proportional to the contacts table ever reaches Python memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.usage_app import add_condition, click, keep_running_app_py, open_tab

AGGREGATE = re.compile(r"\b(count|sum|min|max)\s*\(", re.IGNORECASE)
READS_CONTACTS = re.compile(r"\bFROM\s+(contacts|status_events)\b", re.IGNORECASE)


@pytest.fixture(autouse=True)
def _every_run_starts_from_app_py(monkeypatch: pytest.MonkeyPatch) -> None:
    keep_running_app_py(monkeypatch)


def _row_reads(statements: list[str]) -> list[str]:
    """SELECTs over contacts or events that are neither aggregates nor bounded look-ups."""
    return [
        s
        for s in statements
        if s.lstrip().upper().startswith(("SELECT", "WITH"))
        and READS_CONTACTS.search(s)
        and not AGGREGATE.search(s)
        and "LIMIT" not in s.upper()
    ]


def test_every_tab_and_wizard_step_reads_contacts_only_through_aggregates(
    open_app: Callable[..., AppTest], statements: list[str]
) -> None:
    at = open_app()
    for tab in ("Why this number", "Simulator", "Forecast"):
        open_tab(at, tab)
    add_condition(open_tab(at, "Simulator"), "whatif_filter", "lead")
    at = click(open_tab(at, "Manage marketing contacts"), "wiz_start")
    add_condition(click(at, "wiz_next"), "wiz_filter", "lead")
    click(click(at, "wiz_next"), "wiz_update")
    assert at.success, "the wizard ran to the end"
    reads = [s for s in statements if READS_CONTACTS.search(s)]
    assert len(reads) > 20, "the listener sees the page's queries"
    assert _row_reads(statements) == []
