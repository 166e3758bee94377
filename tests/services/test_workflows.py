"""Workflow definitions on SQLite and PostgreSQL: editions, validation, dry run and the tier-consent guardrail."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from core.errors import DomainError, TierUpgradeRequired
from core.rules.tiers import Edition
from core.rules.workflows import WorkflowError
from core.services.setup import init
from core.services.workflows import definitions as wf
from tests.conftest import TODAY, Cli
from tests.factories import add_contacts, add_list

LEADS = [{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}]
TO_NON_MARKETING = [{"type": "set_marketing_status", "to": "non_marketing"}]
TO_MARKETING = [{"type": "set_marketing_status", "to": "marketing"}]


def definition(name: str = "Clean up leads", actions: list[dict[str, str]] = TO_NON_MARKETING, **more: object) -> dict:  # type: ignore[type-arg]
    return {"name": name, "criteria": LEADS, "actions": actions, **more}


def test_a_new_workflow_is_saved_disabled_with_re_enrollment_off(engine: Engine) -> None:
    w = wf.create_workflow(engine, definition=definition(), today=TODAY, actor="ana")
    assert w.enabled is False
    assert w.definition.reenroll is False
    assert w.counts == {"active": 0, "retrying": 0, "completed": 0, "failed": 0, "enrolled": 0}
    assert [x.name for x in wf.list_workflows(engine)] == ["Clean up leads"]


def test_a_starter_account_may_not_create_or_enable_workflows(engine: Engine) -> None:
    w = wf.create_workflow(engine, definition=definition(), today=TODAY, actor="ana")
    init(engine, today=TODAY, actor="test", edition=Edition.STARTER)
    with pytest.raises(DomainError, match="Professional or Enterprise edition; this account is on Starter"):
        wf.create_workflow(engine, definition=definition("Another"), today=TODAY, actor="ana")
    with pytest.raises(DomainError, match="Professional or Enterprise"):
        wf.enable_workflow(engine, w.id, today=TODAY, actor="ana")
    assert wf.get_workflow(engine, w.id).enabled is False


def test_the_command_line_refuses_a_starter_account_too(engine: Engine, cli: Cli) -> None:
    init(engine, today=TODAY, actor="test", edition=Edition.STARTER)
    cli("workflows", "create", "--name", "X", "--filter", '[{"property": "email", "operator": "is_known"}]',
        "--action", "set_marketing_status:non-marketing", expect=2)  # fmt: skip
    assert "Professional or Enterprise" in cli.message
    cli("workflows", "run", expect=2)
    assert "Professional or Enterprise" in cli.message


def test_lists_named_by_criteria_or_actions_must_exist(engine: Engine) -> None:
    in_list = [{"property": "list", "operator": "eq", "value": "Webinar"}]
    with pytest.raises(WorkflowError, match="no static list named 'Webinar'"):
        wf.create_workflow(engine, definition={**definition(), "criteria": in_list}, today=TODAY, actor="ana")
    with pytest.raises(WorkflowError, match="no static list named 'VIP'"):
        wf.create_workflow(
            engine, definition=definition(actions=[{"type": "add_to_list", "list": "VIP"}]), today=TODAY, actor="ana"
        )
    add_list(engine, "Webinar", [])
    assert wf.create_workflow(engine, definition={**definition(), "criteria": in_list}, today=TODAY, actor="ana")


def test_two_workflows_may_not_share_a_name(engine: Engine) -> None:
    wf.create_workflow(engine, definition=definition(), today=TODAY, actor="ana")
    with pytest.raises(WorkflowError, match="already exists"):
        wf.create_workflow(engine, definition=definition("clean up LEADS"), today=TODAY, actor="ana")


def test_the_dry_run_counts_who_would_enroll_and_what_it_does_to_counts(engine: Engine) -> None:
    add_contacts(engine, 30, state="marketing", prefix="m", lifecycle_stage="lead")
    add_contacts(engine, 5, state="pending", prefix="p", lifecycle_stage="lead")
    add_contacts(engine, 10, state="non_marketing", prefix="n", lifecycle_stage="lead")
    add_contacts(engine, 7, state="marketing", prefix="c", lifecycle_stage="customer")
    w = wf.create_workflow(engine, definition=definition(), today=TODAY, actor="ana")
    dry = wf.dry_run(engine, today=TODAY, workflow_id=w.id)
    assert dry.would_enroll == 45
    assert dry.enrolling_states == {"marketing": 30, "pending": 5, "non_marketing": 10}
    assert (dry.scheduled, dry.billed_now, dry.undone) == (30, 0, 0)
    assert (dry.marketing_before, dry.marketing_after) == (42, 42), "non-marketing waits for the update date"
    assert dry.next_update_date == date(2026, 12, 1)
    assert (dry.marketing_next_update_before, dry.marketing_next_update_after) == (37, 7)
    assert dry.tier_goes_up is False


def test_enabling_a_workflow_that_would_raise_the_tier_needs_consent(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 2_500, state="non_marketing", lifecycle_stage="lead")
    w = wf.create_workflow(engine, definition=definition("Leads in", TO_MARKETING), today=TODAY, actor="ana")
    dry = wf.dry_run(engine, today=TODAY, workflow_id=w.id)
    assert (dry.billed_now, dry.marketing_after) == (2_500, 2_500)
    assert (dry.tier_limit_before, dry.tier_limit_after) == (2_000, 7_000)
    assert dry.monthly_price_after > dry.monthly_price_before
    with pytest.raises(TierUpgradeRequired, match="from 2,000 to 7,000"):
        wf.enable_workflow(engine, w.id, today=TODAY, actor="ana")
    payload = cli("workflows", "enable", str(w.id), expect=3)
    assert payload["would_enroll"] == 2_500 and payload["workflow_id"] == w.id
    assert wf.get_workflow(engine, w.id).enabled is False
    enabled = cli("workflows", "enable", str(w.id), "--allow-tier-upgrade")
    assert enabled["enabled"] is True
    assert wf.get_workflow(engine, w.id).max_tier == 7_000


def test_widening_an_enabled_workflow_beyond_the_consented_tier_needs_consent_again(engine: Engine) -> None:
    add_contacts(engine, 1_000, state="non_marketing", lifecycle_stage="lead")
    add_contacts(engine, 4_000, state="non_marketing", prefix="s", lifecycle_stage="subscriber")
    w = wf.create_workflow(engine, definition=definition("Leads in", TO_MARKETING), today=TODAY, actor="ana")
    wf.enable_workflow(engine, w.id, today=TODAY, actor="ana")
    wider = {**definition("Leads in", TO_MARKETING), "criteria": [{"property": "email", "operator": "is_known"}]}
    with pytest.raises(TierUpgradeRequired, match="from 2,000 to 7,000"):
        wf.update_workflow(engine, w.id, definition=wider, today=TODAY, actor="ana")
    assert wf.get_workflow(engine, w.id).definition.criteria[0].property == "lifecycle_stage"
    edited = wf.update_workflow(engine, w.id, definition=wider, today=TODAY, actor="ana", allow_tier_upgrade=True)
    assert (edited.revision, edited.max_tier) == (2, 7_000)


def test_disabling_and_deleting_a_workflow(engine: Engine, cli: Cli) -> None:
    w = wf.create_workflow(engine, definition=definition(), today=TODAY, actor="ana")
    wf.enable_workflow(engine, w.id, today=TODAY, actor="ana")
    assert cli("workflows", "disable", str(w.id))["enabled"] is False
    assert cli("workflows", "delete", str(w.id)) == {"id": w.id, "deleted": 1}
    assert cli("workflows", "list") == {"workflows": []}
    cli("workflows", "show", str(w.id), expect=2)
    assert cli.message == f"no workflow with id {w.id}"


def test_the_command_line_creates_from_arguments_or_a_file(engine: Engine, cli: Cli, tmp_path: object) -> None:
    add_list(engine, "VIP", [])
    created = cli(
        "workflows", "create", "--name", "Leads", "--filter", '[{"property": "lifecycle_stage", "operator": "eq", '
        '"value": "lead"}]', "--action", "set_marketing_status:non-marketing", "--action", "add_to_list:VIP",
    )  # fmt: skip
    assert created["actions"] == [
        {"type": "set_marketing_status", "to": "non_marketing"},
        {"type": "add_to_list", "list": "VIP"},
    ]
    path = f"{tmp_path}/w.json"
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"name": "From file", "criteria": [{"property": "hard_bounced", "operator": "eq", "value": true}], '
                '"actions": [{"type": "set_marketing_status", "to": "non-marketing"}], "reenroll": true}')  # fmt: skip
    assert cli("workflows", "create", "--file", path)["reenroll"] is True
    edited = cli("workflows", "edit", str(created["id"]), "--name", "Leads (renamed)", "--reenroll")
    assert (edited["name"], edited["reenroll"], edited["revision"]) == ("Leads (renamed)", True, 2)
    cli("workflows", "create", "--name", "Bad", "--filter", "[]", "--action", "set_marketing_status:x", expect=2)
    assert "enrollment condition" in cli.message


def test_a_new_workflow_never_takes_a_deleted_workflows_id(engine: Engine) -> None:
    first = wf.create_workflow(engine, definition=definition("First"), today=TODAY, actor="ana")
    newest = wf.create_workflow(engine, definition=definition("Newest"), today=TODAY, actor="ana")
    assert wf.delete_workflow(engine, newest.id, today=TODAY, actor="ana") == 1
    again = wf.create_workflow(engine, definition=definition("Again"), today=TODAY, actor="ana")
    assert again.id not in (first.id, newest.id)  # events name workflows by id: an id must keep its meaning
