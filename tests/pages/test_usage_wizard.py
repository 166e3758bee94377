"""The Manage marketing contacts wizard: its Review counts are `set-status --dry-run`'s, and after Update
contacts the `usage` command agrees with the page. Nothing is written before Update contacts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from core.store.engine import make_engine
from core.store.schema import status_events
from tests.conftest import Cli
from tests.pages.usage_app import add_condition, click, keep_running_app_py, metrics, number, open_tab
from tests.services.usage_data import count, make_list

LEADS = '[{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}]'
HEADLINE = {
    "Marketing contacts": "marketing",
    "Marketing contacts until next update": "pending",
    "Non-marketing contacts": "non_marketing",
    "Total contacts": "total",
    "Billed tier": "tier_limit",
}


@pytest.fixture(autouse=True)
def _every_run_starts_from_app_py(monkeypatch: pytest.MonkeyPatch) -> None:
    keep_running_app_py(monkeypatch)


def _wizard(open_app: Callable[..., AppTest]) -> AppTest:
    at = open_tab(open_app(), "Manage marketing contacts")
    return click(at, "wiz_start")


def _events(url: str) -> int:
    engine = make_engine(url)
    try:
        return count(engine, status_events)
    finally:
        engine.dispose()


def _assert_review_matches(at: AppTest, dry_run: dict) -> None:
    shown = metrics(at)
    assert number(shown["Marketing contacts now"]) == dry_run["marketing_before"]
    assert number(shown["Become non-marketing"]) == dry_run["scheduled"]
    assert number(shown["Not included"]) == dry_run["unchanged"]


def _update_and_compare(at: AppTest, cli: Cli, dry_run: dict) -> None:
    click(at, "wiz_update")
    assert at.success[0].value.startswith(f"Contacts updated: {dry_run['scheduled']:,} become non-marketing")
    usage = cli("usage")
    shown = metrics(at)
    assert {label: number(shown[label]) for label in HEADLINE} == {label: usage[key] for label, key in HEADLINE.items()}
    assert usage["pending"] >= dry_run["scheduled"]


def test_next_at_the_unengaged_step_reviews_and_updates_the_unengaged_contacts(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    at = _wizard(open_app)
    cli = Cli(app_env)
    dry_run = cli("set-status", "--to", "non-marketing", "--unengaged", "--dry-run")
    assert number(metrics(at)["Unengaged marketing contacts"]) == dry_run["scheduled"]
    click(at, "wiz_next")  # include the unengaged contacts
    click(at, "wiz_next")  # no filter, no list
    _assert_review_matches(at, dry_run)
    _update_and_compare(at, cli, dry_run)


def test_skip_at_the_unengaged_step_then_a_filter_reviews_only_the_filter(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    at = click(_wizard(open_app), "wiz_skip")
    cli = Cli(app_env)
    dry_run = cli("set-status", "--to", "non-marketing", "--filter", LEADS, "--dry-run")
    add_condition(at, "wiz_filter", "lead")
    assert number(metrics(at)["Matching marketing contacts"]) == dry_run["scheduled"], "the live count"
    click(at, "wiz_next")
    _assert_review_matches(at, dry_run)
    _update_and_compare(at, cli, dry_run)


def test_skip_at_the_unengaged_step_then_a_static_list_reviews_only_the_list(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    at = open_app()
    engine = make_engine(app_env)
    with engine.connect() as conn:
        members = [row[0] for row in conn.exec_driver_sql("SELECT email_lower FROM contacts ORDER BY id LIMIT 40")]
    make_list(engine, "Trade show 2025", members)
    engine.dispose()
    at = click(click(open_tab(at, "Manage marketing contacts"), "wiz_start"), "wiz_skip")
    at.multiselect(key="wiz_lists_pick").select("Trade show 2025").run()
    cli = Cli(app_env)
    dry_run = cli("set-status", "--to", "non-marketing", "--list", "Trade show 2025", "--dry-run")
    assert dry_run["selected"] == 40
    assert number(metrics(at)["Matching marketing contacts"]) == dry_run["scheduled"]
    click(at, "wiz_next")
    _assert_review_matches(at, dry_run)
    _update_and_compare(at, cli, dry_run)


def test_back_keeps_the_choices_and_cancel_leaves_without_writing_anything(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    at = click(_wizard(open_app), "wiz_skip")
    before = _events(app_env)
    add_condition(at, "wiz_filter", "lead")
    click(at, "wiz_next")
    assert "Become non-marketing" in metrics(at)
    click(at, "wiz_back")
    assert at.selectbox(key="wiz_filter_1_value_lifecycle_stage_eq").value == "lead", "Back keeps the filter"
    click(at, "wiz_back")
    assert "Unengaged marketing contacts" in metrics(at)
    click(at, "wiz_cancel")
    assert at.button(key="wiz_start"), "Cancel returns to the start"
    assert _events(app_env) == before, "nothing is written before Update contacts"
    click(click(at, "wiz_start"), "wiz_skip")
    assert not at.text_input, "Cancel forgot the filter"


@pytest.mark.parametrize("step", ["unengaged", "filters", "review"])
def test_cancel_works_at_every_step(open_app: Callable[..., AppTest], step: str) -> None:
    at = _wizard(open_app)
    if step != "unengaged":
        click(at, "wiz_next")
    if step == "review":
        click(at, "wiz_next")
    click(at, "wiz_cancel")
    assert at.button(key="wiz_start")


def test_update_contacts_is_refused_while_simulating_a_future_date(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    at = _wizard(open_app)
    at.toggle(key="simulate_on").set_value(True).run()
    click(click(at, "wiz_next"), "wiz_next")
    assert at.button(key="wiz_update").disabled
    assert any("Disabled while simulating" in i.value for i in at.info)
    assert metrics(at)["Next update date"] == "01 Jan 2027", "the page shows the simulated day's figures"
