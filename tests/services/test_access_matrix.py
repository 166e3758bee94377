"""Every changing service refuses whoever may not act (docs/domain.md §6), and leaves no trace when it does.

The list of services is read from the source (tests/services/service_scan.py): a new service that
checks access, or that writes without checking, fails these tests until it is added to CASES (or,
with a reason, to NOT_CHECKED). The same scan checks that every service that can move a status names
Action.CHANGE_STATUS, and that every service that writes records an operation for the audit (or is in
NOT_RECORDED with its reason). tests/services/test_paths_to_marketing.py runs every case again as an
editor without Marketing contact access, in front of workflows that read what the case changes."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, select

from core.errors import PermissionDenied
from core.rules.roles import Action, Role, refusal
from core.rules.selection import Selection
from core.rules.status import MarketingStatus
from core.services import (
    account_settings,
    background,
    contacts,
    jobs,
    lists,
    setup,
    sources,
    status,
    users,
    views,
    wizard,
)
from core.services.hubspot import push as hubspot_push
from core.services.hubspot import sync as hubspot_sync
from core.services.hubspot.client import HubSpotApi
from core.services.imports import service as imports
from core.services.permissions import permissions
from core.services.workflows import definitions as workflows
from core.services.workflows import engine as workflow_engine
from core.settings import HUBSPOT_TOKEN_ENV, HUBSPOT_URL_ENV
from core.store.engine import make_engine
from core.store.schema import metadata
from tests.conftest import TODAY
from tests.helpers import csv_text
from tests.hubspot_fake import running
from tests.services.service_scan import (
    asking_for_the_grant,
    checking_access,
    recording_operations,
    scan,
    writing,
    writing_status,
)

A = Action
Call = Callable[[Engine, str], Any]
STATUS_WORKFLOW = {
    "name": "Clean bounced",
    "criteria": [{"property": "hard_bounced", "operator": "eq", "value": True}],
    "actions": [{"type": "set_marketing_status", "to": "non_marketing"}],
}
LIST_WORKFLOW = {**STATUS_WORKFLOW, "name": "Tag leads", "actions": [{"type": "add_to_list", "list": "VIP"}]}
MARKETING = [{"type": "set_marketing_status", "to": "marketing"}]
ENABLED_STATUS_WORKFLOWS = [  # what they read: a static list, a lifecycle stage
    {"name": "Market campaign", "criteria": [{"property": "list", "operator": "eq", "value": "Campaign"}]},
    {"name": "Market partners", "criteria": [{"property": "lifecycle_stage", "operator": "eq", "value": "partner"}]},
]
FEEDER = {**STATUS_WORKFLOW, "name": "Fill campaign", "actions": [{"type": "add_to_list", "list": "Campaign"}]}


@dataclass(frozen=True)
class Case:
    needs: frozenset[Action]
    call: Call


def case(*needs: Action) -> Callable[[Call], Case]:
    return lambda call: Case(frozenset(needs), call)


def _csv(status: str, stage: str = "lead") -> bytes:
    return csv_text([("new.person@example.com", "New", "Person", stage, status, "", "", "")]).encode()


def _form(email: str, form: str = "contact-us") -> Call:
    return lambda e, a: sources.create_contact(e, source="form", source_id=form, email=email, actor=a, **T)


def _settings(engine: Engine, actor: str) -> Any:
    wanted = account_settings.current_settings(engine).as_input()
    return account_settings.update_settings(
        engine, replace(wanted, increment_price=wanted.increment_price + 1), today=TODAY, actor=actor
    )


def _workflow_id(engine: Engine, name: str) -> int:
    return next(w.id for w in workflows.list_workflows(engine) if w.name == name)


def _with_hubspot(call: Callable[[Engine, str, HubSpotApi], Any]) -> Call:
    """Run ``call`` against a local HubSpot holding two contacts (tests/hubspot_fake.py)."""

    def against_hubspot(engine: Engine, actor: str) -> Any:
        with running() as (url, hubspot):
            hubspot.add_contact(1, email="from.hubspot@example.com", hs_marketable_status=True)
            hubspot.add_contact(2, email="kept@example.com", hs_marketable_status=True)
            return call(engine, actor, HubSpotApi(hubspot.token, host=url))

    return against_hubspot


def _with_hubspot_configured(call: Call) -> Call:
    """Run ``call`` with the deployment's HubSpot settings naming a local HubSpot (what a background sync reads)."""

    def configured(engine: Engine, actor: str) -> Any:
        with running() as (url, hubspot):
            hubspot.add_contact(1, email="from.hubspot@example.com", hs_marketable_status=True)
            saved = {k: os.environ.get(k) for k in (HUBSPOT_TOKEN_ENV, HUBSPOT_URL_ENV)}
            os.environ.update({HUBSPOT_TOKEN_ENV: hubspot.token, HUBSPOT_URL_ENV: url})
            try:
                return call(engine, actor)
            finally:
                for key, value in saved.items():
                    os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)

    return configured


T = {"today": TODAY}
UNENGAGED = Selection(unengaged=True)
CASES: dict[str, Case] = {
    "status.set_status": case(A.CHANGE_STATUS)(
        lambda e, a: status.set_status(e, selection=UNENGAGED, to=MarketingStatus.NON_MARKETING, actor=a, **T)
    ),
    "wizard.update_contacts": case(A.CHANGE_STATUS)(
        lambda e, a: wizard.update_contacts(e, selection=UNENGAGED, actor=a, **T)
    ),
    "imports.service.import_csv (a status column)": case(A.EDIT_CONTACTS, A.CHANGE_STATUS)(
        lambda e, a: imports.import_csv(e, _csv("Marketing contact"), actor=a, **T)
    ),
    "imports.service.import_csv (set all as marketing)": case(A.EDIT_CONTACTS, A.CHANGE_STATUS)(
        lambda e, a: imports.import_csv(e, _csv(""), actor=a, as_marketing=True, **T)
    ),
    "imports.service.import_csv (no status)": case(A.EDIT_CONTACTS)(
        lambda e, a: imports.import_csv(e, _csv(""), actor=a, **T)
    ),
    "imports.service.import_csv (a contact an enabled status workflow enrolls)": case(A.EDIT_CONTACTS, A.CHANGE_STATUS)(
        lambda e, a: imports.import_csv(e, _csv("", stage="partner"), actor=a, **T)
    ),
    "contacts.create_contact_by_hand (marketing)": case(A.EDIT_CONTACTS, A.CHANGE_STATUS)(
        lambda e, a: contacts.create_contact_by_hand(e, email="hand@example.com", marketing=True, actor=a, **T)
    ),
    "contacts.create_contact_by_hand (non-marketing)": case(A.EDIT_CONTACTS)(
        lambda e, a: contacts.create_contact_by_hand(e, email="hand@example.com", actor=a, **T)
    ),
    "sources.create_contact": case(A.EDIT_CONTACTS)(
        lambda e, a: sources.create_contact(e, source="manual", source_id=None, email="m@example.com", actor=a, **T)
    ),
    "sources.create_contact (a form set to marketing)": case(A.EDIT_CONTACTS, A.CHANGE_STATUS)(_form("f@example.com")),
    "sources.create_contact (a form, an existing non-marketing contact)": case(A.EDIT_CONTACTS, A.CHANGE_STATUS)(
        _form("kept@example.com")
    ),
    "sources.create_contact (a form, a pending contact)": case(A.EDIT_CONTACTS, A.CHANGE_STATUS)(
        _form("leaving@example.com")
    ),
    "sources.create_contact (a form set to non-marketing)": case(A.EDIT_CONTACTS)(_form("q@example.com", "quiet")),
    "sources.create_contact (a chatflow switched on)": case(A.EDIT_CONTACTS, A.CHANGE_STATUS)(
        lambda e, a: sources.create_contact(e, source="chatflow", source_id="bot", email="c@example.com", actor=a, **T)
    ),
    "contacts.update_contact": case(A.EDIT_CONTACTS)(
        lambda e, a: contacts.update_contact(e, contact_id=1, changes={"first_name": "Changed"}, actor=a, **T)
    ),
    "contacts.update_contact (what an enabled status workflow reads)": case(A.EDIT_CONTACTS, A.CHANGE_STATUS)(
        lambda e, a: contacts.update_contact(e, contact_id=1, changes={"lifecycle_stage": "Partner"}, actor=a, **T)
    ),
    "contacts.delete_contacts": case(A.EDIT_CONTACTS)(
        lambda e, a: contacts.delete_contacts(e, selection=Selection(ids=(2,)), actor=a, **T)
    ),
    "lists.create_list": case(A.EDIT_CONTACTS)(lambda e, a: lists.create_list(e, name="New list", actor=a, **T)),
    "lists.add_to_list": case(A.EDIT_CONTACTS)(
        lambda e, a: lists.add_to_list(e, name="VIP", selection=Selection(ids=(3,)), actor=a, **T)
    ),
    "lists.add_to_list (a list an enabled status workflow reads)": case(A.EDIT_CONTACTS, A.CHANGE_STATUS)(
        lambda e, a: lists.add_to_list(e, name="Campaign", selection=Selection(ids=(3,)), actor=a, **T)
    ),
    "lists.remove_from_list": case(A.EDIT_CONTACTS)(
        lambda e, a: lists.remove_from_list(e, name="VIP", selection=Selection(ids=(1,)), actor=a, **T)
    ),
    "lists.delete_list": case(A.EDIT_CONTACTS)(lambda e, a: lists.delete_list(e, name="VIP", actor=a, **T)),
    "views.save_view": case(A.EDIT_CONTACTS)(
        lambda e, a: views.save_view(e, name="Another", query=contacts.ContactQuery(), actor=a, **T)
    ),
    "views.delete_view": case(A.EDIT_CONTACTS)(lambda e, a: views.delete_view(e, name="Mine", actor=a, **T)),
    "sources.set_source_default": case(A.MANAGE_SETTINGS)(
        lambda e, a: sources.set_source_default(e, source="form", source_id="contact-us", marketing=False, actor=a, **T)
    ),
    "account_settings.update_settings": case(A.MANAGE_SETTINGS)(_settings),
    "setup.init (settings)": case(A.MANAGE_SETTINGS)(
        lambda e, a: setup.init(e, edition=setup.Edition.ENTERPRISE, actor=a, **T)
    ),
    "setup.init (demo contacts)": case(A.EDIT_CONTACTS, A.CHANGE_STATUS)(
        lambda e, a: setup.init(e, demo=5, seed=99, actor=a, **T)
    ),
    "users.add_user": case(A.MANAGE_USERS)(
        lambda e, a: users.add_user(e, username="new", role=Role.VIEWER, actor=a, **T)
    ),
    "users.set_role": case(A.MANAGE_USERS)(
        lambda e, a: users.set_role(e, username="ed", role=Role.ADMIN, actor=a, **T)
    ),
    "users.set_marketing_access": case(A.MANAGE_USERS)(
        lambda e, a: users.set_marketing_access(e, username="eve", granted=True, actor=a, **T)
    ),
    "users.set_disabled": case(A.MANAGE_USERS)(
        lambda e, a: users.set_disabled(e, username="ed", disabled=True, actor=a, **T)
    ),
    "users.set_password": case(A.MANAGE_USERS)(
        lambda e, a: users.set_password(e, username="ed", password="a new password", actor=a, **T)
    ),
    "workflows.definitions.create_workflow": case(A.MANAGE_WORKFLOWS)(
        lambda e, a: workflows.create_workflow(e, definition={**LIST_WORKFLOW, "name": "Third"}, actor=a, **T)
    ),
    "workflows.definitions.update_workflow": case(A.MANAGE_WORKFLOWS)(
        lambda e, a: workflows.update_workflow(e, _workflow_id(e, "Tag leads"), definition=LIST_WORKFLOW, actor=a, **T)
    ),
    "workflows.definitions.enable_workflow": case(A.MANAGE_WORKFLOWS, A.CHANGE_STATUS)(
        lambda e, a: workflows.enable_workflow(e, _workflow_id(e, "Clean bounced"), actor=a, **T)
    ),
    "workflows.definitions.enable_workflow (a list workflow feeding an enabled status workflow)": case(
        A.MANAGE_WORKFLOWS, A.CHANGE_STATUS
    )(lambda e, a: workflows.enable_workflow(e, _workflow_id(e, "Fill campaign"), actor=a, **T)),
    "workflows.definitions.disable_workflow": case(A.MANAGE_WORKFLOWS)(
        lambda e, a: workflows.disable_workflow(e, _workflow_id(e, "Tag leads"), actor=a, **T)
    ),
    "workflows.definitions.delete_workflow": case(A.MANAGE_WORKFLOWS)(
        lambda e, a: workflows.delete_workflow(e, _workflow_id(e, "Tag leads"), actor=a, **T)
    ),
    "workflows.engine.run": case(A.MANAGE_WORKFLOWS)(lambda e, a: workflow_engine.run(e, TODAY, actor=a)),
    "background.set_status_job": case(A.CHANGE_STATUS)(
        lambda e, a: _waited(
            e, background.set_status_job(e, selection=UNENGAGED, to=MarketingStatus.NON_MARKETING, actor=a, **T)
        )
    ),
    "background.import_job (no status)": case(A.EDIT_CONTACTS)(
        lambda e, a: _waited(e, background.import_job(e, _csv(""), actor=a, **T))
    ),
    "background.sync_job": case(A.EDIT_CONTACTS, A.CHANGE_STATUS)(
        _with_hubspot_configured(lambda e, a: _waited(e, background.sync_job(e, actor=a, **T)))
    ),
    "hubspot.sync.sync": case(A.EDIT_CONTACTS, A.CHANGE_STATUS)(
        _with_hubspot(lambda e, a, api: hubspot_sync.sync(e, actor=a, api=api, **T))
    ),
    "hubspot.push.push_list": case(A.CHANGE_STATUS)(
        _with_hubspot(
            lambda e, a, api: hubspot_push.push_list(e, name="Plan", selection=UNENGAGED, actor=a, api=api, **T)
        )
    ),
}
NOT_CHECKED = {  # services that write without checking who acts, and why that is right
    "signin.sign_in": "signing in is how one becomes an actor; every attempt is audited",
    "signin.sign_in_oidc": "the identity provider signed the person in; unknown emails are refused and audited",
    "signin.sign_out": "ends one's own session",
    "signin.resume": "only records a session's last activity or its end",
    "updates.apply_updates": "applies update dates that are due (docs/domain.md §3): no one decides anything",
    "setup.open_database": "the app's first start, acting as the application itself ('system')",
    "setup.open_engine": "opens the database for the dashboard: its first start, acting as the application itself",
    "workflows.attempts.short_write": "the workflow engine's unit of work; the engine checks access",
    "background.updates_job": "updates.apply_updates as a job: update dates that are due, no one decides anything",
    "background.updates_work": "updates.apply_updates for a job (the worker's schedule, the sidebar's catch-up)",
    "background.workflows_work": "workflows.engine.run for the worker's job: the engine checks access as it starts",
}
NOT_RECORDED = {  # services that write without an operation in the audit trail, and why that is right
    "signin.resume": "keeps a session's last activity, or ends an idle (or disabled user's) session, on the "
    "session's own row (ended_at, ended_reason): nobody decided anything; sign-ins and sign-outs are operations",
    "workflows.attempts.short_write": "the workflow engine's attempt log (workflow_attempts) is its own record; "
    "every status change a workflow makes is an operation",
}
# (role, Marketing contact access); "ghost" is no user at all, "dis" a disabled editor.
PEOPLE = {"vic": (Role.VIEWER, False), "eve": (Role.EDITOR, False), "abe": (Role.ADMIN, False)}


def _waited(engine: Engine, job_id: int) -> jobs.Job:
    """A job started by an allowed person, once it has ended (what it checks inside is the service's own case)."""
    return jobs.wait_for(engine, job_id, timeout=120)


def _service(name: str) -> str:
    return name.split(" (")[0]


def test_every_service_that_checks_access_is_in_the_matrix() -> None:
    found = checking_access(scan()) - set(NOT_CHECKED)
    missing = sorted(found - {_service(n) for n in CASES})
    assert not missing, f"add these services to CASES in {__file__} (what each needs, and how to call it): {missing}"


def test_every_service_that_writes_checks_access_or_says_why_not() -> None:
    functions = scan()
    unchecked = sorted(writing(functions) - checking_access(functions) - set(NOT_CHECKED))
    assert not unchecked, f"these services change data without core.store.access.authorize: {unchecked}"


def build_world(engine: Engine) -> None:
    """Contacts (one non-marketing, one pending), lists, a view, tools switched on and off, and workflows (two
    status workflows enabled, reading a list and a lifecycle stage) made in local mode; then users of every kind."""
    setup.init(engine, start_date=date(2026, 1, 15), demo=200, seed=2, actor="setup", **T)
    contacts.create_contact_by_hand(engine, email="kept@example.com", actor="setup", **T)
    contacts.create_contact_by_hand(engine, email="leaving@example.com", marketing=True, actor="setup", **T)
    leaving = Selection(emails=("leaving@example.com",))
    status.set_status(engine, selection=leaving, to=MarketingStatus.NON_MARKETING, actor="setup", **T)
    sources.set_source_default(engine, source="chatflow", source_id="bot", marketing=True, actor="setup", **T)
    sources.set_source_default(engine, source="form", source_id="quiet", marketing=False, actor="setup", **T)
    for name in ("VIP", "Campaign"):
        lists.create_list(engine, name=name, actor="setup", **T)
    lists.add_to_list(engine, name="VIP", selection=Selection(ids=(1, 2)), actor="setup", **T)
    views.save_view(engine, name="Mine", query=contacts.ContactQuery(), actor="setup", **T)
    workflows.create_workflow(engine, definition=STATUS_WORKFLOW, actor="setup", **T)
    workflows.create_workflow(engine, definition=FEEDER, actor="setup", **T)
    for definition in (LIST_WORKFLOW, *({**w, "actions": MARKETING} for w in ENABLED_STATUS_WORKFLOWS)):
        made = workflows.create_workflow(engine, definition=definition, actor="setup", **T)
        workflows.enable_workflow(engine, made.id, actor="setup", allow_tier_upgrade=True, **T)
    users.add_user(engine, username="ada", role=Role.ADMIN, actor="setup", **T)
    for name, (role, granted) in PEOPLE.items():
        users.add_user(engine, username=name, role=role, actor="ada", **T)
        if not granted and role != Role.VIEWER:
            users.set_marketing_access(engine, username=name, granted=False, actor="ada", **T)
    users.add_user(engine, username="ed", role=Role.EDITOR, actor="ada", **T)
    users.add_user(engine, username="dis", role=Role.EDITOR, actor="ada", **T)
    users.set_disabled(engine, username="dis", disabled=True, actor="ada", **T)


def test_every_service_that_can_move_a_status_asks_for_marketing_contact_access() -> None:
    functions = scan()
    moving = writing_status(functions)
    assert {"status.set_status", "sources.create_contact", "imports.service.import_csv"} <= moving, "the scan works"
    unasked = sorted(moving - asking_for_the_grant(functions))
    assert not unasked, f"these services can move a contact's status without Action.CHANGE_STATUS: {unasked}"


def test_every_service_that_writes_records_an_operation_or_says_why_not() -> None:
    functions = scan()
    unrecorded = sorted(writing(functions) - recording_operations(functions) - set(NOT_RECORDED))
    assert not unrecorded, f"these services change data without an operation in the audit trail: {unrecorded}"
    assert set(NOT_RECORDED) <= writing(functions), "an exception that no longer writes: remove it"


@pytest.fixture
def world(sqlite_url: str) -> Iterator[Engine]:
    engine = make_engine(sqlite_url)
    build_world(engine)
    yield engine
    engine.dispose()


def _everything(engine: Engine) -> dict[str, list[Any]]:
    """Every row of every table: a refused call must leave all of it as it was."""
    with engine.connect() as conn:
        return {t.name: sorted(map(repr, conn.execute(select(t)).all())) for t in metadata.sorted_tables}


@pytest.mark.parametrize("name", sorted(CASES))
def test_whoever_may_not_act_is_refused_and_nothing_changes_while_an_admin_may(world: Engine, name: str) -> None:
    chosen = CASES[name]
    before = _everything(world)
    refused_people = ["ghost", "dis"] + [
        person
        for person, (role, granted) in PEOPLE.items()
        if any(refusal(person, role, granted, action) for action in chosen.needs)
    ]
    assert "vic" in refused_people, "a viewer is refused every change"
    if A.CHANGE_STATUS in chosen.needs:
        assert {"eve", "abe"} <= set(refused_people), "no status change without Marketing contact access"
    for person in refused_people:
        with pytest.raises(PermissionDenied) as refused:
            chosen.call(world, person)
        assert _everything(world) == before, f"{person}'s refused {name} left a trace"
        asked = permissions(world, actor=person)  # what the pages show beside the disabled control
        reasons = [why for action in chosen.needs if (why := asked.why_not(action))]
        assert any(str(refused.value).startswith(why) for why in reasons), "the pages show the service's reason"
    assert all(permissions(world, actor="ada").may(action) for action in chosen.needs)
    chosen.call(world, "ada")  # the admin with every grant may: the call itself is right


def test_an_admin_revokes_and_grants_marketing_access_again(world: Engine) -> None:
    set_unengaged = CASES["status.set_status"].call
    users.set_marketing_access(world, username="ed", granted=False, actor="ada", **T)
    with pytest.raises(PermissionDenied, match="Marketing contact access permission is not granted"):
        set_unengaged(world, "ed")
    CASES["lists.create_list"].call(world, "ed")  # an editor without the grant still edits contacts and lists
    users.set_marketing_access(world, username="ed", granted=True, actor="ada", **T)
    assert set_unengaged(world, "ed").scheduled > 0
    with pytest.raises(PermissionDenied, match="ed"):
        users.set_marketing_access(world, username="eve", granted=True, actor="ed", **T)
