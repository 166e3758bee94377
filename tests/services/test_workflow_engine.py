"""The workflow engine on SQLite and PostgreSQL: enrollment, the deferred rule, exactly once, failures, retries."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from sqlalchemy import Engine, delete, func, select

from core.rules.filters import parse_filter
from core.rules.selection import Selection
from core.rules.status import MarketingStatus
from core.rules.workflows import Backoff, RateLimited
from core.services.status import set_status
from core.services.updates import apply_updates
from core.services.workflows import definitions as wf
from core.services.workflows import engine as workflow_engine
from core.services.workflows import log as workflow_log
from core.store.schema import (
    contacts,
    list_members,
    status_events,
    workflow_action_runs,
    workflow_attempts,
    workflow_enrollments,
)
from tests.conftest import TODAY, Cli, pin_today
from tests.factories import add_contacts, add_list, contact, count, events_of

LEADS = [{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}]
FAST = Backoff(base=0.001, cap=0.01)


def enabled(engine: Engine, actions: list[dict[str, str]], criteria: list[dict[str, Any]] = LEADS, **more: Any) -> int:
    w = wf.create_workflow(
        engine, definition={"name": "W", "criteria": criteria, "actions": actions, **more}, today=TODAY, actor="ana"
    )
    wf.enable_workflow(engine, w.id, today=TODAY, actor="ana", allow_tier_upgrade=True)
    return w.id


def run(engine: Engine, today: date = TODAY, **options: Any) -> workflow_engine.RunResult:
    options = {"rng": random.Random(3), "backoff": FAST, **options}
    return workflow_engine.run(engine, pin_today(today), actor="cron", **options)


def workflow_events(engine: Engine, workflow_id: int) -> list[tuple[int, str | None, str | None]]:
    query = (
        select(status_events.c.contact_id, status_events.c.old_state, status_events.c.new_state)
        .where(status_events.c.source_type == "workflow", status_events.c.source_id == str(workflow_id))
        .order_by(status_events.c.contact_id)
    )
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(query)]  # type: ignore[misc]


NON_MARKETING = [{"type": "set_marketing_status", "to": "non_marketing"}]
MARKETING = [{"type": "set_marketing_status", "to": "marketing"}]


def test_a_run_enrolls_matching_contacts_and_schedules_them_with_the_workflow_as_source(
    engine: Engine, cli: Cli
) -> None:
    leads = add_contacts(engine, 6, state="marketing", prefix="lead", lifecycle_stage="lead")
    add_contacts(engine, 4, state="marketing", prefix="cust", lifecycle_stage="customer")
    wid = enabled(engine, NON_MARKETING)
    result = run(engine, batch_size=4)
    assert (result.enrolled, result.completed, result.retrying, result.failed) == (6, 6, 0, 0)
    assert result.outcomes == {"scheduled": 6}
    customer = contact(engine, "cust0@example.com")
    assert (customer["pending_non_marketing"], customer["status_source_type"]) == (False, None), "no match"
    lead = contact(engine, "lead5@example.com")
    assert lead["pending_non_marketing"] is True
    assert (lead["status_source_type"], lead["status_source_id"]) == ("workflow", str(wid))
    event = events_of(engine, leads[0])[-1]
    assert (event["old_state"], event["new_state"], event["effective_on"]) == (
        "marketing",
        "pending",
        date(2026, 12, 1),
    )
    assert (event["source_type"], event["source_id"], event["actor"]) == ("workflow", str(wid), f"workflow:{wid}")
    usage = cli("usage")
    assert (usage["marketing"], usage["pending"]) == (10, 6)
    listed = cli("workflows", "list")["workflows"][0]["counts"]
    assert listed == {"active": 0, "retrying": 0, "completed": 6, "failed": 0, "enrolled": 6}


def test_a_run_reports_enrolled_changed_and_already_in_that_state_separately(engine: Engine, cli: Cli) -> None:
    """Issue 13: "271 enrolled, 271 completed, applied 271" where 125 changed and 146 were already pending."""
    add_contacts(engine, 3, state="marketing", prefix="m", lifecycle_stage="lead")
    add_contacts(engine, 2, state="pending", prefix="p", lifecycle_stage="lead")
    add_contacts(engine, 1, state="non_marketing", prefix="n", lifecycle_stage="lead")
    wid = enabled(engine, NON_MARKETING)
    data = cli("workflows", "run")
    assert (data["enrolled"], data["contacts_changed"], data["already_in_that_state"]) == (6, 3, 3)
    (summary,) = data["workflows"]
    assert (summary["id"], summary["contacts_changed"], summary["already_in_that_state"]) == (wid, 3, 3)
    (logged,) = workflow_log.runs(engine, limit=1)
    assert (logged["enrolled"], logged["contacts_changed"], logged["already_in_that_state"]) == (6, 3, 3)


def test_non_marketing_from_a_workflow_takes_effect_on_the_next_update_date(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 3, state="marketing", lifecycle_stage="lead")
    enabled(engine, NON_MARKETING)
    run(engine)
    assert cli("usage", today="2026-11-30")["marketing"] == 3, "still billed until the update date"
    apply_updates(engine, today=pin_today(date(2026, 12, 1)))
    assert cli("usage", today="2026-12-01")["marketing"] == 0
    assert contact(engine, "c0@example.com")["marketing_status"] == "non_marketing"


def test_a_second_run_applies_nothing_new(engine: Engine) -> None:
    add_contacts(engine, 5, state="marketing", lifecycle_stage="lead")
    wid = enabled(engine, NON_MARKETING)
    run(engine, batch_size=2)
    before = (count(engine, "status_events"), count(engine, "workflow_action_runs"))
    again = run(engine, batch_size=2)
    assert (again.enrolled, again.applied, again.completed) == (0, 0, 0)
    assert (count(engine, "status_events"), count(engine, "workflow_action_runs")) == before
    assert len(workflow_events(engine, wid)) == 5


def test_a_contact_goes_through_a_workflow_once_when_re_enrollment_is_off(engine: Engine) -> None:
    add_contacts(engine, 1, state="non_marketing", lifecycle_stage="lead")
    wid = enabled(
        engine, MARKETING, [*LEADS, {"property": "marketing_status", "operator": "eq", "value": "non_marketing"}]
    )
    assert run(engine).outcomes == {"changed": 1}
    _leave_and_come_back(engine)
    assert run(engine, date(2026, 12, 1)).enrolled == 0
    assert contact(engine, "c0@example.com")["marketing_status"] == "non_marketing"
    assert len(workflow_events(engine, wid)) == 1


def _leave_and_come_back(engine: Engine) -> None:
    """Someone sets the contact non-marketing again; it becomes non-marketing on the update date."""
    run(engine)  # it no longer matches (it is marketing): with re-enrollment on, it may come back
    set_status(
        engine,
        selection=Selection(conditions=parse_filter(LEADS)),
        to=MarketingStatus.NON_MARKETING,
        today=TODAY,
        actor="ana",
    )
    apply_updates(engine, today=pin_today(date(2026, 12, 1)))


def test_with_re_enrollment_on_a_contact_that_matches_again_goes_through_again(engine: Engine) -> None:
    add_contacts(engine, 1, state="non_marketing", lifecycle_stage="lead")
    not_marketing = [*LEADS, {"property": "marketing_status", "operator": "eq", "value": "non_marketing"}]
    wid = enabled(engine, MARKETING, not_marketing, reenroll=True)
    assert run(engine).enrolled == 1
    assert run(engine).enrolled == 0, "it still has to leave the criteria first"
    _leave_and_come_back(engine)
    again = run(engine, date(2026, 12, 1))
    assert (again.enrolled, again.outcomes) == (1, {"changed": 1})
    assert contact(engine, "c0@example.com")["marketing_status"] == "marketing"
    assert [e[1:] for e in workflow_events(engine, wid)] == [("non_marketing", "marketing")] * 2
    with engine.connect() as conn:
        seqs = conn.execute(select(workflow_enrollments.c.seq).order_by(workflow_enrollments.c.seq)).scalars().all()
    assert seqs == [1, 2]


def test_list_actions_run_in_order_after_the_status_action(engine: Engine) -> None:
    ids = add_contacts(engine, 4, state="marketing", lifecycle_stage="lead")
    add_list(engine, "VIP", [ids[0]])
    add_list(engine, "Newsletter", ids[:3])
    actions = [
        *NON_MARKETING,
        {"type": "add_to_list", "list": "VIP"},
        {"type": "remove_from_list", "list": "Newsletter"},
    ]
    enabled(engine, actions)
    result = run(engine, batch_size=3)
    assert result.outcomes == {"scheduled": 4, "added": 3, "unchanged": 2, "removed": 3}
    assert result.applied == 12 and result.completed == 4
    with engine.connect() as conn:
        members = conn.execute(select(list_members.c.list_id, func.count()).group_by(list_members.c.list_id)).all()
    assert sorted(n for _, n in members) == [4]


def test_a_deleted_contact_fails_its_enrollment_and_the_others_go_on(engine: Engine) -> None:
    ids = add_contacts(engine, 5, state="marketing", lifecycle_stage="lead")
    wid = enabled(engine, NON_MARKETING)

    def always_limited(_: workflow_engine.BatchInfo) -> None:
        raise RateLimited("audience sync: rate limited")

    stopped = run(engine, dependency=always_limited, deadline=0.0)
    assert (stopped.enrolled, stopped.completed, stopped.retrying) == (5, 0, 5)
    assert stopped.stopped and "rate limited" in stopped.stopped
    with engine.begin() as conn:
        conn.execute(delete(contacts).where(contacts.c.id == ids[2]))
    result = run(engine)
    assert (result.completed, result.failed, result.retrying) == (4, 1, 0)
    failed = workflow_log.failures(engine, wid)
    assert [(f["contact_id"], f["email"], f["error"]) for f in failed] == [(ids[2], None, "the contact was deleted")]
    assert wf.get_workflow(engine, wid).counts == {
        "active": 0,
        "retrying": 0,
        "completed": 4,
        "failed": 1,
        "enrolled": 5,
    }


class FlakyAudience:
    """A dependency that answers "rate limited" to its first ``failures`` calls (e.g. an ads audience sync)."""

    def __init__(self, failures: int) -> None:
        self.failures, self.calls = failures, 0

    def __call__(self, batch: workflow_engine.BatchInfo) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise RateLimited(f"429 rate limited (call {self.calls})")


def test_a_rate_limited_dependency_is_retried_until_it_succeeds_and_each_attempt_is_logged(engine: Engine) -> None:
    add_contacts(engine, 6, state="marketing", lifecycle_stage="lead")
    wid = enabled(engine, NON_MARKETING)
    audience = FlakyAudience(failures=3)
    result = run(engine, batch_size=3, dependency=audience)
    assert (result.completed, result.transient_errors, result.retrying) == (6, 3, 0)
    assert audience.calls == 5
    log = workflow_log.attempts(engine, workflow_id=wid)
    batches = [a for a in log if a.action != workflow_engine.ENROLL_LABEL]
    assert [(a.attempt, a.outcome) for a in reversed(batches)] == [
        (1, "transient"),
        (2, "transient"),
        (3, "transient"),
        (4, "ok"),
        (1, "ok"),
    ]
    assert batches[-1].error == "RateLimited: 429 rate limited (call 1)"
    assert len(workflow_events(engine, wid)) == 6
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(workflow_attempts)).scalar_one() == 6


def test_setting_marketing_stops_before_a_tier_beyond_the_consent_until_consent_is_given(engine: Engine) -> None:
    add_contacts(engine, 1_500, state="non_marketing", lifecycle_stage="lead")
    wid = enabled(engine, MARKETING)
    assert run(engine).outcomes == {"changed": 1_500}
    add_contacts(engine, 1_000, state="non_marketing", prefix="late", lifecycle_stage="lead")
    blocked = run(engine)
    assert blocked.blocked and "7,000" in blocked.blocked[0]["reason"]
    assert (blocked.enrolled, blocked.completed) == (1_000, 0)
    assert "Stopped before raising the billed tier" in str(wf.get_workflow(engine, wid).blocked)
    wf.enable_workflow(engine, wid, today=TODAY, actor="ana", allow_tier_upgrade=True)
    done = run(engine)
    assert (done.completed, done.blocked) == (1_000, [])
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(workflow_action_runs)).scalar_one() == 2_500


def test_the_command_line_runs_for_cron_and_shows_the_log(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 3, state="marketing", lifecycle_stage="lead")
    wid = enabled(engine, NON_MARKETING)
    result = cli("workflows", "run", "--batch-size", "2")
    assert {k: result[k] for k in ("enrolled", "completed", "retrying", "failed")} == {
        "enrolled": 3,
        "completed": 3,
        "retrying": 0,
        "failed": 0,
    }
    counted = {"enrolled": 3, "completed": 3, "failed": 0, "applied": 3}
    said = {"contacts_changed": 3, "already_in_that_state": 0}
    assert result["workflows"] == [{"id": wid, "name": "W", **counted, **said}]
    log = cli("workflows", "log", "--workflow", str(wid))["attempts"]
    assert [(a["action"], a["outcome"], a["applied"]) for a in reversed(log)] == [
        ("Enroll matching contacts", "ok", 3),
        ("1. Set marketing contact status: non-marketing", "ok", 2),
        ("1. Set marketing contact status: non-marketing", "ok", 1),
    ]
    assert cli("workflows", "run")["enrolled"] == 0


def test_a_disabled_workflow_enrolls_nobody_and_its_waiting_enrollments_pause(engine: Engine) -> None:
    add_contacts(engine, 4, state="marketing", lifecycle_stage="lead")
    wid = enabled(engine, NON_MARKETING)
    wf.disable_workflow(engine, wid, today=TODAY, actor="ana")
    assert (run(engine).enrolled, len(workflow_events(engine, wid))) == (0, 0)


def test_update_dates_that_came_are_applied_before_enrolling(engine: Engine) -> None:
    add_contacts(engine, 2, state="pending", lifecycle_stage="lead", effective_on=date(2026, 12, 1))
    not_marketing = [*LEADS, {"property": "marketing_status", "operator": "eq", "value": "non_marketing"}]
    enabled(engine, MARKETING, not_marketing)
    assert run(engine).enrolled == 0, "still marketing until the update date"
    later = run(engine, date(2026, 12, 2))
    assert (later.enrolled, later.outcomes) == (2, {"changed": 2}), "non-marketing since 1 Dec, then made marketing"
