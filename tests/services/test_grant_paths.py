"""The Marketing contact access grant on every path to a status change (docs/domain.md §6), on both engines.

Issue 11, finding 4: an editor without the grant made contacts marketing with ``create-contact --source form``,
and by adding 100 contacts to a static list that an enabled status workflow reads, then ``workflows run``.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from core.errors import PermissionDenied
from core.rules.roles import Role
from core.rules.selection import Selection
from core.services import contacts, lists, users
from core.services.workflows import definitions as workflows
from core.services.workflows import engine as workflow_engine
from core.store.counts import counts_on
from core.store.engine import read as reading
from tests.conftest import TODAY, Cli
from tests.factories import add_contacts, add_list, contact, count, snapshot, state_of, write_csv
from tests.helpers import csv_text

T = {"today": TODAY}
NO_GRANT = "Marketing contact access permission is not granted"
MARKETING = [{"type": "set_marketing_status", "to": "marketing"}]


@pytest.fixture
def people(engine: Engine) -> Engine:
    """ada (admin), ed (editor with the grant), eve (editor without it)."""
    users.add_user(engine, username="ada", role=Role.ADMIN, actor="setup", **T)
    for name in ("ed", "eve"):
        users.add_user(engine, username=name, role=Role.EDITOR, actor="ada", **T)
    users.set_marketing_access(engine, username="eve", granted=False, actor="ada", **T)
    return engine


def _workflow(engine: Engine, name: str, criteria: list[dict[str, Any]], actions: Any = None, **extra: Any) -> int:
    definition = {"name": name, "criteria": criteria, "actions": actions or MARKETING, **extra}
    made = workflows.create_workflow(engine, definition=definition, actor="ada", **T)
    workflows.enable_workflow(engine, made.id, actor="ada", allow_tier_upgrade=True, **T)
    return made.id


def _in(name: str, operator: str = "eq") -> dict[str, Any]:
    return {"property": "list", "operator": operator, "value": name}


def _marketing(engine: Engine) -> int:
    with reading(engine) as conn:
        return counts_on(conn, TODAY).marketing


def _ids(ids: list[int]) -> str:
    return ",".join(map(str, ids))


def test_an_editor_without_marketing_access_cannot_make_or_keep_a_contact_marketing_through_a_form_or_a_chatflow(
    people: Engine, cli: Cli
) -> None:
    add_contacts(people, 1, state="non_marketing", prefix="old")
    add_contacts(people, 1, state="pending", prefix="leaving")
    cli("--actor", "ada", "sources", "set", "--source", "chatflow", "--source-id", "bot", "--marketing", "true")
    before = snapshot(people)
    for source, source_id, email in (
        ("form", "contact-us", "new@example.com"),  # a new contact
        ("form", "contact-us", "old0@example.com"),  # an existing non-marketing one
        ("form", "contact-us", "leaving0@example.com"),  # a pending change undone
        ("chatflow", "bot", "chat@example.com"),  # a chatflow switched on
    ):
        cli(
            "--actor", "eve", "create-contact", "--source", source, "--source-id", source_id, "--email", email, expect=2
        )
        assert NO_GRANT in cli.message
    assert snapshot(people) == before, "nothing written"
    for email in ("new@example.com", "old0@example.com", "leaving0@example.com"):  # with the grant, the same works
        out = cli("--actor", "ed", "create-contact", "--source", "form", "--source-id", "contact-us", "--email", email)
        assert out["status"] == "marketing"


def test_without_marketing_access_a_tool_may_still_create_non_marketing_contacts_and_leave_statuses_as_they_are(
    people: Engine, cli: Cli
) -> None:
    add_contacts(people, 1, state="marketing", prefix="fan")
    add_contacts(people, 1, state="non_marketing", prefix="old")
    cli("--actor", "ada", "sources", "set", "--source", "form", "--source-id", "quiet", "--marketing", "false")
    made = cli("--actor", "eve", "create-contact", "--source", "form", "--source-id", "quiet", "--email", "q@x.com")
    assert made["status"] == "non_marketing"
    again = cli(
        "--actor",
        "eve",
        "create-contact",
        "--source",
        "form",
        "--source-id",
        "contact-us",
        "--email",
        "fan0@example.com",
    )
    assert (again["changed"], again["status"]) == (False, "marketing"), "already marketing: nothing changes"
    kept = cli(
        "--actor",
        "eve",
        "create-contact",
        "--source",
        "integration",
        "--source-id",
        "crm",
        "--email",
        "old0@example.com",
    )
    assert kept["status"] == "non_marketing"
    assert (
        cli("--actor", "eve", "create-contact", "--source", "manual", "--email", "m@x.com")["status"] == "non_marketing"
    )


def test_adding_contacts_to_a_list_an_enabled_status_workflow_reads_needs_marketing_access(
    people: Engine, cli: Cli
) -> None:
    ids = add_contacts(people, 100, state="non_marketing", prefix="n")
    cli("--actor", "ada", "lists", "create", "--name", "Campaign")
    _workflow(people, "Market the campaign", [_in("Campaign")])
    cli("--actor", "eve", "lists", "add", "--name", "Campaign", "--ids", _ids(ids), expect=2)
    assert NO_GRANT in cli.message and "'Market the campaign' (100 contacts)" in cli.message
    cli("--actor", "eve", "workflows", "run")
    assert _marketing(people) == 0, "the editor without the grant made nobody marketing"
    assert cli("--actor", "eve", "lists", "list")["lists"][0]["size"] == 0
    assert cli("--actor", "ed", "lists", "add", "--name", "Campaign", "--ids", _ids(ids))["added"] == 100
    cli("--actor", "ed", "workflows", "run")
    assert _marketing(people) == 100


def test_taking_contacts_out_of_a_list_needs_the_grant_when_a_status_workflow_enrolls_those_not_in_it(
    people: Engine,
) -> None:
    leads = add_contacts(people, 3, state="non_marketing", prefix="lead", lifecycle_stage="lead")
    add_list(people, "Keep out", leads)
    add_list(people, "Watched", leads)
    lead = {"property": "lifecycle_stage", "operator": "eq", "value": "lead"}
    _workflow(people, "Market leads not kept out", [_in("Keep out", "neq"), lead])
    _workflow(people, "Market the watched", [_in("Watched")])
    with pytest.raises(PermissionDenied, match="Market leads not kept out"):
        lists.remove_from_list(people, name="Keep out", selection=Selection(ids=(leads[0],)), actor="eve", **T)
    # Leaving a list that a workflow enrolls the members of enrolls nobody.
    assert lists.remove_from_list(people, name="Watched", selection=Selection(ids=(leads[0],)), actor="eve", **T) == 1
    workflow_engine.run(people, TODAY, actor="eve")
    assert _marketing(people) == 2, "only the two still watched, by the workflow: nothing through the editor"


def test_list_changes_no_enabled_status_workflow_reads_need_no_grant_until_one_does(people: Engine) -> None:
    ids = add_contacts(people, 3, state="non_marketing")
    for name in ("Campaign", "Tagged", "Other"):
        lists.create_list(people, name=name, actor="ada", **T)
    disabled = {"name": "Not yet", "criteria": [_in("Campaign")], "actions": MARKETING}
    workflows.create_workflow(people, definition=disabled, actor="ada", **T)
    _workflow(people, "Tag", [_in("Tagged")], [{"type": "add_to_list", "list": "Other"}])
    for name in ("Campaign", "Tagged", "Other"):  # a disabled status workflow; a list workflow feeding no status one
        assert lists.add_to_list(people, name=name, selection=Selection(ids=(ids[0],)), actor="eve", **T) == 1
    _workflow(people, "Market others", [_in("Other")])
    with pytest.raises(PermissionDenied, match="'Tag'"):  # Tag now feeds a status workflow: a path too
        lists.add_to_list(people, name="Tagged", selection=Selection(ids=(ids[1],)), actor="eve", **T)
    with pytest.raises(PermissionDenied, match="'Market others'"):
        lists.add_to_list(people, name="Other", selection=Selection(ids=(ids[2],)), actor="eve", **T)


def test_contacts_an_enabled_status_workflow_already_enrolled_feed_it_nothing(people: Engine) -> None:
    ids = add_contacts(people, 2, state="non_marketing")
    add_list(people, "Campaign", ids)
    _workflow(people, "Market the campaign", [_in("Campaign")])
    workflow_engine.run(people, TODAY, actor="ada")
    assert _marketing(people) == 2
    chosen = Selection(ids=(ids[0],))
    assert lists.remove_from_list(people, name="Campaign", selection=chosen, actor="eve", **T) == 1
    assert lists.add_to_list(people, name="Campaign", selection=chosen, actor="eve", **T) == 1, "enrolled once already"


def test_editing_a_field_an_enabled_status_workflow_reads_needs_marketing_access(people: Engine) -> None:
    [cid] = add_contacts(people, 1, state="non_marketing", lifecycle_stage="lead")
    _workflow(people, "Market partners", [{"property": "lifecycle_stage", "operator": "eq", "value": "partner"}])
    _workflow(people, "Market the bounced", [{"property": "hard_bounced", "operator": "eq", "value": True}])
    before = snapshot(people)
    for change in ({"lifecycle_stage": "Partner"}, {"hard_bounced": True}):
        with pytest.raises(PermissionDenied, match=NO_GRANT):
            contacts.update_contact(people, contact_id=cid, changes=change, actor="eve", **T)
    assert snapshot(people) == before
    assert contacts.update_contact(people, contact_id=cid, changes={"first_name": "Al"}, actor="eve", **T) == 1
    assert contacts.update_contact(people, contact_id=cid, changes={"lifecycle_stage": "customer"}, actor="eve", **T)
    assert contacts.update_contact(people, contact_id=cid, changes={"lifecycle_stage": "partner"}, actor="ed", **T)
    workflow_engine.run(people, TODAY, actor="eve")
    assert state_of(people, "c0@example.com") == "marketing"


def test_an_import_that_an_enabled_status_workflow_would_enroll_needs_marketing_access(
    people: Engine, cli: Cli, tmp_path: Any
) -> None:
    _workflow(people, "Market partners", [{"property": "lifecycle_stage", "operator": "eq", "value": "partner"}])
    partner = write_csv(tmp_path / "p.csv", csv_text([("p@example.com", "P", "Art", "partner", "", "", "", "")]))
    lead = write_csv(tmp_path / "l.csv", csv_text([("l@example.com", "L", "Ead", "lead", "", "", "", "")]))
    before = count(people, "contacts")
    cli("--actor", "eve", "import", partner, expect=2)
    assert NO_GRANT in cli.message and "Market partners" in cli.message
    assert count(people, "contacts") == before
    assert cli("--actor", "eve", "import", lead)["created"] == 1
    many = [(f"p{i}@example.com", "", "", "lead" if i else "partner", "", "", "", "") for i in range(600)]
    cli("--actor", "eve", "import", write_csv(tmp_path / "many.csv", csv_text(many)), expect=2)  # past 500 emails
    assert "(1 contact)" in cli.message and count(people, "contacts") == before + 1
    assert cli("--actor", "ed", "import", partner)["created"] == 1


def test_enabling_a_list_workflow_that_feeds_an_enabled_status_workflow_needs_marketing_access(
    people: Engine,
) -> None:
    add_contacts(people, 2, state="non_marketing", hard_bounced=True)
    lists.create_list(people, name="Campaign", actor="ada", **T)
    _workflow(people, "Market the campaign", [_in("Campaign")])
    feeder = {
        "name": "Fill the campaign",
        "criteria": [{"property": "hard_bounced", "operator": "eq", "value": True}],
        "actions": [{"type": "add_to_list", "list": "Campaign"}],
    }
    made = workflows.create_workflow(people, definition=feeder, actor="eve", **T)  # disabled: it does nothing yet
    with pytest.raises(PermissionDenied, match=NO_GRANT):
        workflows.enable_workflow(people, made.id, actor="eve", **T)
    workflows.enable_workflow(people, made.id, actor="ed", **T)
    with pytest.raises(PermissionDenied, match=NO_GRANT):
        workflows.update_workflow(people, made.id, definition={**feeder, "reenroll": True}, actor="eve", **T)
    [cid] = add_contacts(people, 1, state="non_marketing", prefix="later")
    with pytest.raises(PermissionDenied, match="'Fill the campaign'"):  # what the feeder reads is a path too
        contacts.update_contact(people, contact_id=cid, changes={"hard_bounced": True}, actor="eve", **T)
    assert contact(people, "later0@example.com")["hard_bounced"] is False


def test_recreating_a_deleted_list_an_enabled_status_workflow_reads_as_not_in_needs_marketing_access(
    people: Engine,
) -> None:
    add_contacts(people, 2, state="non_marketing", lifecycle_stage="lead")
    lists.create_list(people, name="Opted out", actor="ada", **T)
    lead = {"property": "lifecycle_stage", "operator": "eq", "value": "lead"}
    _workflow(people, "Market leads not opted out", [_in("Opted out", "neq"), lead])
    lists.delete_list(people, name="Opted out", actor="eve", **T)  # the workflow now enrolls nobody
    with pytest.raises(PermissionDenied, match="Market leads not opted out"):
        lists.create_list(people, name="Opted out", actor="eve", **T)  # every lead would match again
    lists.create_list(people, name="Something else", actor="eve", **T)


def test_local_mode_and_the_workflow_engine_itself_are_not_asked_for_the_grant(engine: Engine) -> None:
    ids = add_contacts(engine, 2, state="non_marketing")
    lists.create_list(engine, name="Campaign", actor="cli", **T)
    definition = {"name": "Market the campaign", "criteria": [_in("Campaign")], "actions": MARKETING}
    made = workflows.create_workflow(engine, definition=definition, actor="cli", **T)
    workflows.enable_workflow(engine, made.id, actor="cli", allow_tier_upgrade=True, **T)
    assert lists.add_to_list(engine, name="Campaign", selection=Selection(ids=tuple(ids)), actor="cli", **T) == 2
    workflow_engine.run(engine, TODAY, actor="cli")
    assert _marketing(engine) == 2
