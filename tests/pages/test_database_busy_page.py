"""A page whose change meets SQLite's write lock held by another change says so in one sentence, no traceback
(tests/services/test_database_busy.py checks the service and the command line)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.usage_app import keep_running_app_py
from tests.services.test_database_busy import BUSY


def test_a_page_says_the_database_is_busy_instead_of_a_traceback(
    monkeypatch: pytest.MonkeyPatch, open_app: Callable[..., AppTest], locked: Callable[[], None]
) -> None:
    keep_running_app_py(monkeypatch)
    at = open_app("pages/admin/settings.py")
    field: Any = next(n for n in at.number_input if n.label == "Price per increment (USD a month)")
    field.set_value(300)
    locked()
    next(b for b in at.button if b.label == "Save settings").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error if BUSY in e.value.lower()], [e.value for e in at.error]
