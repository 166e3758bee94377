"""The Workflows page: build a workflow with the filter builder, dry-run it, enable it, run it, read the counts.
What the page shows is what the command line says."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from streamlit.testing.v1 import AppTest

from core.rules.tiers import Edition
from core.services.setup import init
from core.store.engine import make_engine
from tests.conftest import TODAY, Cli

PAGE = "pages/workflows/workflows.py"


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def table_with(at: AppTest, column: str) -> Any:
    """The first dataframe that has ``column`` (dataframes without selection carry no key in AppTest)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def number(text: str) -> int:
    return int(text.replace(",", "").split()[0])


def create_leads_workflow(at: AppTest) -> AppTest:
    """Name it, add "lifecycle stage is lead" with the filter builder, keep the default action, save."""
    at.text_input(key="wf_name").input("Leads become non-marketing").run()
    click(at, "wf_filter_add")
    at.selectbox(key="wf_filter_1_value_lifecycle_stage_eq").set_value("lead").run()
    assert at.selectbox(key="wf_action_1_set_marketing_status").value == "non_marketing"
    return click(at, "wf_save")


def test_create_dry_run_enable_and_run_a_workflow_and_the_usage_command_agrees(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    at = open_app(PAGE)
    cli = Cli(app_env)
    before = cli("usage")
    create_leads_workflow(at)
    assert at.success[0].value.startswith("Workflow 'Leads become non-marketing' saved")
    (saved,) = cli("workflows", "list")["workflows"]
    assert saved["criteria"] == [{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}]
    assert saved["enabled"] is False

    dry = cli("workflows", "dry-run", str(saved["id"]))
    click(at, "wf_dry_run")
    shown = metrics(at)
    assert number(shown["Would enroll now"]) == dry["would_enroll"] > 0
    assert number(shown["Marketing contacts now"]) == dry["marketing_after"] == before["marketing"]
    assert number(shown["Marketing from 01 Dec"]) == dry["marketing_next_update_after"]
    assert number(shown["Billed tier"]) == dry["tier_limit_after"]
    money = next(m.value for m in at.markdown if m.value.startswith("Money: now"))
    assert f"from renewal {dry['money']['renewal']['on'][8:10]}" in money, "the dry run states its money effect"

    click(at, "wf_enable")
    assert "enabled" in at.success[0].value
    click(at, "wf_run_now")
    message = at.success[0].value
    assert message.startswith("Run finished in")
    already = dry["would_enroll"] - dry["scheduled"]
    assert already > 0, "the demo has leads already pending or non-marketing"
    assert (
        f"{dry['would_enroll']:,} enrolled; {dry['scheduled']:,} changed, {already:,} already in that state; "
        f"{dry['would_enroll']:,} completed, 0 retrying, 0 failed"
    ) in message
    runs = table_with(at, "Already in that state")
    assert (runs["Changed"].iloc[0], runs["Already in that state"].iloc[0]) == (dry["scheduled"], already)

    table = table_with(at, "Waiting")
    row = table.iloc[0]
    assert (row["On"], row["Enrolled"], row["Completed"], row["Retrying"], row["Failed"]) == (
        True,
        dry["would_enroll"],
        dry["would_enroll"],
        0,
        0,
    )
    after = cli("usage")
    assert after["marketing"] == before["marketing"], "non-marketing waits for the update date"
    assert after["pending"] == before["pending"] + dry["scheduled"]
    assert cli("workflows", "show", str(saved["id"]))["counts"]["completed"] == dry["would_enroll"]


def test_the_run_log_lists_each_attempt_and_the_chart_counts_the_actions(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    at = create_leads_workflow(open_app(PAGE))
    click(at, "wf_dry_run")
    click(at, "wf_enable")
    click(at, "wf_run_now")
    attempts = table_with(at, "Attempt")
    assert list(attempts["Action"]) == ["1. Set marketing contact status: non-marketing", "Enroll matching contacts"]
    assert set(attempts["Outcome"]) == {"ok"}
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    (bar,) = figure["data"]
    assert bar["name"] == "1. Set marketing contact status: non-marketing"
    assert sum(bar["y"]) == int(attempts["Done"].iloc[0]) == int(attempts["Done"].iloc[1]) > 0


def test_a_workflow_that_would_raise_the_tier_is_enabled_only_after_consent(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    at = open_app(PAGE)
    at.text_input(key="wf_name").input("Everyone marketing").run()
    click(at, "wf_filter_add")
    at.selectbox(key="wf_filter_1_property").select("marketing_status").run()
    at.selectbox(key="wf_filter_1_value_marketing_status_eq").select("non_marketing").run()
    at.selectbox(key="wf_action_1_set_marketing_status").select("marketing").run()
    click(at, "wf_save")
    click(at, "wf_dry_run")
    assert at.button(key="wf_enable").disabled
    assert "raises the billed tier" in at.warning[0].value
    at.checkbox(key="wf_consent").check().run()
    click(at, "wf_enable")
    (saved,) = Cli(app_env)("workflows", "list")["workflows"]
    assert saved["enabled"] is True and saved["max_tier"] > 2_000


def test_a_starter_account_sees_why_it_cannot_use_workflows(open_app: Callable[..., AppTest], app_env: str) -> None:
    engine = make_engine(app_env)
    init(engine, today=TODAY, actor="test", edition=Edition.STARTER)
    engine.dispose()
    at = open_app(PAGE)
    assert "Professional or Enterprise" in at.warning[0].value
    assert at.button(key="wf_save").disabled


def test_widening_an_enabled_workflow_in_the_editor_asks_for_consent_to_the_higher_tier(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    at = open_app(PAGE)
    cli = Cli(app_env)
    criteria = '[{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}, ' + (
        '{"property": "marketing_status", "operator": "eq", "value": "non_marketing"}]'
    )
    created = cli(
        "workflows", "create", "--name", "Leads in", "--filter", criteria, "--action", "set_marketing_status:marketing"
    )
    cli("workflows", "enable", str(created["id"]))
    at.run()
    at.selectbox(key="wf_pick").select(created["id"]).run()
    assert at.text_input(key="wf_name").value == "Leads in"
    click(at, "wf_filter_1_remove")  # every non-marketing contact now, not only leads
    click(at, "wf_save")
    assert "raise the billed tier from 2,000" in at.warning[0].value
    assert cli("workflows", "show", str(created["id"]))["revision"] == 1, "nothing saved without consent"
    at.checkbox(key="wf_edit_consent").check().run()
    click(at, "wf_save")
    assert at.success[0].value == "Workflow 'Leads in' saved."
    saved = cli("workflows", "show", str(created["id"]))
    assert (saved["revision"], len(saved["criteria"])) == (2, 1) and saved["max_tier"] > 2_000
