"""``--expect-changes N`` and ``--expect-tier-limit N`` on the command line (docs/domain.md §10): a change that
would differ from the dry run it was planned on exits 3 with the new figures as JSON and writes nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine

from core.services.workflows import definitions as workflows
from tests.conftest import TODAY, Cli
from tests.factories import add_contacts, count, snapshot, state_of

LEADS = json.dumps([{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}])
TO_MARKETING = ["set-status", "--to", "marketing", "--filter", LEADS]


def test_a_dry_run_prints_the_figures_to_expect(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 1_999, state="marketing", prefix="m", lifecycle_stage="customer")
    add_contacts(engine, 3, state="non_marketing", prefix="n", lifecycle_stage="lead")
    dry = cli(*TO_MARKETING, "--dry-run")
    assert (dry["will_change"], dry["tier_limit_after"], dry["tier_goes_up"]) == (3, 7_000, True)
    assert (dry["monthly_price_before"], dry["monthly_price_after"]) == (890, 1_140)
    assert "differences" not in dry
    checked = cli(*TO_MARKETING, "--dry-run", "--expect-changes", "2", "--expect-tier-limit", "7000")
    assert checked["differences"] == ["2 contacts were confirmed, 3 would now change"], "a dry run still exits 0"


def test_expect_changes_refuses_a_change_that_grew_with_exit_3_the_new_figures_and_nothing_written(
    engine: Engine, cli: Cli
) -> None:
    add_contacts(engine, 3, state="non_marketing", prefix="n", lifecycle_stage="lead")
    planned = cli(*TO_MARKETING, "--dry-run")["will_change"]
    add_contacts(engine, 2, state="non_marketing", prefix="late", lifecycle_stage="lead")
    before = snapshot(engine)
    refused = cli(*TO_MARKETING, "--expect-changes", str(planned), expect=3)
    assert (refused["will_change"], refused["changed"]) == (5, 5)
    assert refused["differences"] == ["3 contacts were confirmed, 5 would now change"]
    assert refused["confirmed"] == {"changes": 3, "tier_limit": None, "monthly_price": None}
    assert "Nothing was changed" in cli.message
    assert snapshot(engine) == before
    done = cli(*TO_MARKETING, "--expect-changes", "5")
    assert done["changed"] == 5 and state_of(engine, "late1@example.com") == "marketing"


def test_expect_tier_limit_refuses_a_tier_beyond_it_and_consents_to_exactly_that_tier(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 1_999, state="marketing", prefix="m", lifecycle_stage="customer")
    add_contacts(engine, 2, state="non_marketing", prefix="n", lifecycle_stage="lead")
    add_contacts(engine, 5_000, state="marketing", prefix="x", lifecycle_stage="customer")  # after the dry run
    before = snapshot(engine)
    refused = cli(*TO_MARKETING, "--expect-changes", "2", "--expect-tier-limit", "7000", expect=3)
    assert refused["tier_limit_after"] == 12_000
    assert refused["differences"] == ["the billed tier would rise to 12,000, 7,000 was agreed to"]
    assert snapshot(engine) == before and count(engine, "tier_changes") == 0
    done = cli(*TO_MARKETING, "--expect-changes", "2", "--expect-tier-limit", "12,000")  # no --allow-tier-upgrade
    assert (done["changed"], done["tier_limit_after"]) == (2, 12_000)
    assert cli("usage")["tier_limit"] == 12_000


def test_the_plain_allow_tier_upgrade_keeps_working(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 2_000, state="marketing", prefix="m", lifecycle_stage="customer")
    add_contacts(engine, 1, state="non_marketing", prefix="n", lifecycle_stage="lead")
    cli(*TO_MARKETING, expect=3)
    assert cli(*TO_MARKETING, "--allow-tier-upgrade")["tier_limit_after"] == 7_000


def test_create_contact_refuses_a_tier_other_than_the_one_expected(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 7_000, state="marketing", prefix="m")  # full at 7,000 though 2,000 is billed
    args = ["create-contact", "--source", "manual", "--email", "new@example.com", "--marketing"]
    before = snapshot(engine)
    refused = cli(*args, "--expect-tier-limit", "7000", expect=3)
    assert (refused["tier_limit_after"], refused["will_change"]) == (12_000, 1)
    assert refused["differences"] == ["the billed tier would rise to 12,000, 7,000 was agreed to"]
    assert snapshot(engine) == before
    created = cli(*args, "--expect-tier-limit", "12000", "--expect-changes", "1")
    assert (created["status"], created["tier_limit_after"]) == ("marketing", 12_000)


def test_workflows_enable_and_edit_refuse_figures_other_than_expected(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 2_500, state="non_marketing", prefix="n", lifecycle_stage="lead")
    flow = {
        "name": "Leads in",
        "criteria": json.loads(LEADS),
        "actions": [{"type": "set_marketing_status", "to": "marketing"}],
    }
    made = workflows.create_workflow(engine, definition=flow, today=TODAY, actor="ana")
    dry = cli("workflows", "dry-run", str(made.id))
    assert (dry["would_enroll"], dry["tier_limit_after"]) == (2_500, 7_000)
    add_contacts(engine, 5_000, state="non_marketing", prefix="late", lifecycle_stage="lead")
    refused = cli(
        "workflows", "enable", str(made.id), "--expect-changes", "2500", "--expect-tier-limit", "7000", expect=3
    )
    assert refused["differences"][:2] == [
        "2,500 contacts were confirmed, 7,500 would now enroll",
        "the billed tier would rise to 12,000, 7,000 was agreed to",
    ]
    assert cli("workflows", "show", str(made.id))["enabled"] is False
    enabled = cli("workflows", "enable", str(made.id), "--expect-changes", "7500", "--expect-tier-limit", "12000")
    assert enabled["enabled"] is True and cli("workflows", "show", str(made.id))["max_tier"] == 12_000
    cli("workflows", "edit", str(made.id), "--name", "Leads come in", "--expect-tier-limit", "7000", expect=3)
    assert cli("workflows", "show", str(made.id))["name"] == "Leads in"
    assert (
        cli("workflows", "edit", str(made.id), "--name", "Leads come in", "--expect-tier-limit", "12000")["revision"]
        == 2
    )


def test_delete_contacts_deletes_the_expected_number_or_none(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 3, state="non_marketing", prefix="n", lifecycle_stage="lead")
    add_contacts(engine, 2, state="non_marketing", prefix="late", lifecycle_stage="lead")
    before = snapshot(engine)
    refused = cli("delete-contacts", "--filter", LEADS, "--expect-changes", "3", expect=3)
    assert refused == {
        "will_change": 5,
        "marketing_before": 0,
        "tier_limit": 2_000,
        "differences": ["3 contacts were confirmed, 5 would now be deleted"],
        "confirmed": {"changes": 3, "tier_limit": None, "monthly_price": None},
    }
    assert snapshot(engine) == before
    cli("delete-contacts", "--filter", LEADS, "--expect-tier-limit", "2000", expect=2)  # no tier moves on a delete
    assert cli("delete-contacts", "--filter", LEADS, "--expect-changes", "5")["deleted"] == 5


@pytest.mark.parametrize(
    "value", ["-1", "abc", "1.5", "١٢", ""], ids=["negative", "text", "a fraction", "arabic-indic digits", "empty"]
)
def test_an_expectation_that_is_not_a_whole_number_exits_2(engine: Engine, cli: Cli, value: str) -> None:
    add_contacts(engine, 1, state="non_marketing", prefix="n", lifecycle_stage="lead")
    cli(*TO_MARKETING, f"--expect-changes={value}", expect=2)
    assert "whole number" in cli.message
    assert state_of(engine, "n0@example.com") == "non_marketing"
