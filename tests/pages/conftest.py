"""AppTest fixtures: the real app.py on its own SQLite file (or PostgreSQL schema), with today pinned."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> str:
    """Point the app at a fresh database and pin today; returns the URL (use it with the ``cli`` fixture)."""
    monkeypatch.setenv("MARKETABLE_DB_URL", sqlite_url)
    monkeypatch.setenv("MARKETABLE_TODAY", TODAY.isoformat())
    monkeypatch.chdir(ROOT)
    return sqlite_url


@pytest.fixture
def open_app(app_env: str) -> Callable[..., AppTest]:
    """Run app.py, optionally switch to a page (path relative to app.py), and return the AppTest."""

    def _open(page: str | None = None, timeout: float = 60) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout).run()
        assert not at.exception, at.exception
        if page:
            at.switch_page(page).run()
            assert not at.exception, at.exception
        return at

    return _open
