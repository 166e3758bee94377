"""Helpers for the Contacts pages' AppTests: a known database, row selection, dialog figures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from core.store.engine import make_engine
from tests.conftest import Cli
from tests.factories import add_contacts

PAGE = "pages/contacts/contacts.py"


def known_database(url: str) -> Engine:
    """An initialised Professional / annual account with 6 marketing, 2 pending and 4 non-marketing contacts."""
    Cli(url)("init", "--start-date", "2026-01-15", "--edition", "professional", "--commitment", "annual")
    engine = make_engine(url)
    add_contacts(engine, 6, state="marketing", prefix="m", lifecycle_stage="lead")
    add_contacts(engine, 2, state="pending", prefix="p", lifecycle_stage="lead")
    add_contacts(engine, 4, state="non_marketing", prefix="n", lifecycle_stage="customer", unsubscribed_all=True)
    return engine


def open_contacts(open_app: Callable[..., AppTest]) -> AppTest:
    return open_app(PAGE)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.main.metric} if hasattr(at.main, "metric") else {}


def table(at: AppTest) -> Any:
    return at.dataframe(key=at.session_state["ct_table_key"]).value


def select_rows(at: AppTest, rows: list[int]) -> list[int]:
    """Select rows of the table as a click would; returns their contact ids."""
    key = at.session_state["ct_table_key"]
    ids = [int(table(at).iloc[i]["ID"]) for i in rows]
    at.session_state[key] = {"selection": {"rows": rows, "columns": []}}
    at.run()
    assert not at.exception, at.exception
    return ids


def dialog(at: AppTest) -> Any | None:
    found = [node for node in at if node.type == "dialog"]
    return found[0] if found else None


def _walk(node: Any) -> list[Any]:
    found = [node]
    for child in getattr(node, "children", {}).values():
        found += _walk(child)
    return found


def dialog_metrics(at: AppTest) -> dict[str, str]:
    box = dialog(at)
    assert box is not None, "the dialog is open"
    return {n.label: n.value for n in _walk(box) if n.type == "metric"}


def dialog_text(at: AppTest) -> str:
    box = dialog(at)
    assert box is not None
    return "\n".join(
        str(getattr(n, "value", ""))
        for n in _walk(box)
        if n.type in ("markdown", "caption", "warning", "info", "error")
    )


def use_filter(at: AppTest, text: str) -> None:
    """Type a filter as the command line's JSON and apply it (it fills the filter builder)."""
    at.text_area(key="ct_json").set_value(text)
    at.button(key="ct_json_apply").click().run()
    assert not at.exception, at.exception
