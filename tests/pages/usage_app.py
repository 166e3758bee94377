"""Helpers for the Usage & limits page tests: open a tab, read metrics, walk the wizard."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

FILTER_VALUE = "wiz_filter_1_value_lifecycle_stage_eq"


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def number(text: str) -> int:
    return int(text.replace(",", "").split()[0])


def open_tab(at: AppTest, tab: str) -> AppTest:
    at.session_state["usage_tab"] = tab
    at.run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def add_condition(at: AppTest, builder: str, value: str) -> AppTest:
    """Add a "lifecycle stage is <value>" row to the filter builder ``builder``."""
    click(at, f"{builder}_add")
    at.selectbox(key=f"{builder}_1_value_lifecycle_stage_eq").set_value(value).run()
    assert not at.exception, at.exception
    return at


def keep_running_app_py(monkeypatch: Any) -> None:
    """Make every AppTest run start from app.py, as a running server does.

    AppTest resets ``PagesManager.uses_pages_directory`` before each run; because a ``pages/`` folder sits
    next to app.py, Streamlit then takes its legacy multipage path and reruns the *page* script alone,
    skipping app.py (no sidebar, no "Simulate as of", no sign-in gate). A server clears the flag for good
    the first time app.py calls ``st.navigation``; this does the same for every AppTest run.
    """
    import streamlit.testing.v1.app_test as app_test
    from streamlit.runtime.pages_manager import PagesManager

    class NavigationPages(PagesManager):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    monkeypatch.setattr(app_test, "PagesManager", NavigationPages)
