"""set-status through the command line, on SQLite and PostgreSQL: selections, counts, tier guard, events."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import Engine, update

from core.rules.selection import Selection
from core.rules.status import MarketingStatus
from core.services.status import set_status
from core.store.schema import contacts
from tests.conftest import TODAY, Cli
from tests.factories import add_contacts, add_list, contact, count, events_of, snapshot, state_of

SPEC_KEYS = {
    "selected",
    "changed",
    "scheduled",
    "undone",
    "unchanged",
    "effective_on",
    "tier_limit_before",
    "tier_limit_after",
}


def _selected_pair(engine: Engine, kind: str, state: str) -> list[str]:
    """Two contacts the selection picks (x0, x1) and one it leaves out (y0); returns the selection arguments."""
    ids = add_contacts(engine, 2, state=state, prefix="x", lifecycle_stage="lead", hard_bounced=kind == "unengaged")
    add_contacts(engine, 1, state=state, prefix="y", lifecycle_stage="customer")
    if kind == "unengaged":  # one bounced, one unsubscribed: both are unengaged
        with engine.begin() as conn:
            conn.execute(
                update(contacts).where(contacts.c.id == ids[1]).values(hard_bounced=False, unsubscribed_all=True)
            )
    add_list(engine, "Picked", ids)
    return {
        "ids": ["--ids", ",".join(map(str, ids))],
        "emails": ["--emails", "X0@Example.com, x1@example.com"],
        "filter": ["--filter", json.dumps([{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}])],
        "list": ["--list", "Picked"],
        "unengaged": ["--unengaged"],
    }[kind]


KINDS = ["ids", "emails", "filter", "list", "unengaged"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_selection_kind_schedules_its_marketing_contacts_for_the_next_update_date(
    engine: Engine, cli: Cli, kind: str
) -> None:
    args = _selected_pair(engine, kind, "marketing")
    result = cli("set-status", "--to", "non-marketing", *args)
    assert {k: result[k] for k in SPEC_KEYS} == {
        "selected": 2,
        "changed": 0,
        "scheduled": 2,
        "undone": 0,
        "unchanged": 0,
        "effective_on": "2026-12-01",
        "tier_limit_before": 2000,
        "tier_limit_after": 2000,
    }
    assert [state_of(engine, e) for e in ("x0@example.com", "x1@example.com", "y0@example.com")] == [
        "pending",
        "pending",
        "marketing",
    ]
    assert contact(engine, "x0@example.com")["effective_on"] == date(2026, 12, 1)


@pytest.mark.parametrize("kind", KINDS)
def test_every_selection_kind_makes_its_non_marketing_contacts_marketing_at_once(
    engine: Engine, cli: Cli, kind: str
) -> None:
    args = _selected_pair(engine, kind, "non_marketing")
    result = cli("set-status", "--to", "marketing", *args)
    assert {k: result[k] for k in SPEC_KEYS} == {
        "selected": 2,
        "changed": 2,
        "scheduled": 0,
        "undone": 0,
        "unchanged": 0,
        "effective_on": None,
        "tier_limit_before": 2000,
        "tier_limit_after": 2000,
    }
    assert [state_of(engine, e) for e in ("x0@example.com", "x1@example.com", "y0@example.com")] == [
        "marketing",
        "marketing",
        "non_marketing",
    ]
    assert cli("usage")["marketing"] == 2


def _one_of_each(engine: Engine) -> list[str]:
    add_contacts(engine, 1, state="marketing", prefix="m")
    add_contacts(engine, 1, state="pending", prefix="p")
    add_contacts(engine, 1, state="non_marketing", prefix="n")
    return ["--emails", "m0@example.com,p0@example.com,n0@example.com"]


def test_setting_a_mixed_selection_non_marketing_counts_each_outcome(engine: Engine, cli: Cli) -> None:
    result = cli("set-status", "--to", "non-marketing", *_one_of_each(engine))
    assert set(result) >= SPEC_KEYS
    assert [result[k] for k in ("selected", "changed", "scheduled", "undone", "unchanged")] == [3, 0, 1, 0, 2]
    assert result["effective_on"] == "2026-12-01"
    assert [state_of(engine, f"{p}0@example.com") for p in "mpn"] == ["pending", "pending", "non_marketing"]


def test_setting_a_mixed_selection_marketing_counts_each_outcome(engine: Engine, cli: Cli) -> None:
    result = cli("set-status", "--to", "marketing", *_one_of_each(engine))
    assert [result[k] for k in ("selected", "changed", "scheduled", "undone", "unchanged")] == [3, 1, 0, 1, 1]
    assert result["effective_on"] is None
    assert [state_of(engine, f"{p}0@example.com") for p in "mpn"] == ["marketing"] * 3
    assert contact(engine, "p0@example.com")["effective_on"] is None


@pytest.mark.parametrize(
    ("state", "to"),
    [
        pytest.param("non_marketing", "non-marketing", id="non-marketing on a non-marketing contact"),
        pytest.param("pending", "non-marketing", id="non-marketing on a pending contact"),
        pytest.param("marketing", "marketing", id="marketing on a marketing contact"),
    ],
)
def test_effective_on_is_null_when_nothing_is_scheduled(engine: Engine, cli: Cli, state: str, to: str) -> None:
    add_contacts(engine, 1, state=state)
    before = snapshot(engine)
    result = cli("set-status", "--to", to, "--emails", "c0@example.com")
    assert result["effective_on"] is None
    assert (result["selected"], result["unchanged"]) == (1, 1)
    assert snapshot(engine)["status_events"] == before["status_events"]


def test_a_dry_run_writes_nothing_and_shows_the_counts_of_the_real_change(engine: Engine, cli: Cli) -> None:
    args = _one_of_each(engine)
    before = snapshot(engine)
    preview = cli("set-status", "--to", "marketing", *args, "--dry-run")
    assert snapshot(engine) == before
    real = cli("set-status", "--to", "marketing", *args)
    assert {k: preview[k] for k in SPEC_KEYS} == {k: real[k] for k in SPEC_KEYS}


def _near_the_tier(engine: Engine) -> list[str]:
    """1,999 marketing contacts on the 2,000 tier, and two non-marketing ones whose change goes over it."""
    add_contacts(engine, 1_999, state="marketing", prefix="m")
    add_contacts(engine, 2, state="non_marketing", prefix="n")
    return ["--emails", "n0@example.com,n1@example.com"]


def test_a_dry_run_exits_0_even_when_the_tier_would_go_up_and_shows_the_needed_tier(engine: Engine, cli: Cli) -> None:
    args = _near_the_tier(engine)
    before = snapshot(engine)
    preview = cli("set-status", "--to", "marketing", *args, "--dry-run", expect=0)
    assert (preview["tier_limit_before"], preview["tier_limit_after"]) == (2000, 7000)
    assert preview["changed"] == 2
    assert snapshot(engine) == before


def test_a_change_that_raises_the_tier_is_refused_with_exit_3_the_same_json_and_nothing_written(
    engine: Engine, cli: Cli
) -> None:
    args = _near_the_tier(engine)
    preview = cli("set-status", "--to", "marketing", *args, "--dry-run")
    before = snapshot(engine)
    refused = cli("set-status", "--to", "marketing", *args, expect=3)
    assert refused is not None and {k: refused[k] for k in SPEC_KEYS} == {k: preview[k] for k in SPEC_KEYS}
    assert "7,000" in cli.message
    assert snapshot(engine) == before


def test_a_tier_upgrade_goes_ahead_when_allowed_and_is_recorded(engine: Engine, cli: Cli) -> None:
    args = _near_the_tier(engine)
    result = cli("set-status", "--to", "marketing", *args, "--allow-tier-upgrade")
    assert (result["changed"], result["tier_limit_after"]) == (2, 7000)
    usage = cli("usage")
    assert (usage["marketing"], usage["tier_limit"]) == (2001, 7000)
    assert count(engine, "tier_changes") == 1


def test_a_change_that_stays_within_the_tier_needs_no_consent(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 1_998, state="marketing", prefix="m")
    add_contacts(engine, 2, state="non_marketing", prefix="n")
    result = cli("set-status", "--to", "marketing", "--emails", "n0@example.com,n1@example.com")
    assert (result["tier_limit_before"], result["tier_limit_after"]) == (2000, 2000)
    assert cli("usage")["marketing"] == 2000


@pytest.mark.parametrize(
    ("args", "named"),
    [
        pytest.param(["--ids", "{id},999999,888888"], ["999999", "888888"], id="unknown ids"),
        pytest.param(["--emails", "c0@example.com,ghost@example.com"], ["ghost@example.com"], id="an unknown email"),
    ],
)
@pytest.mark.parametrize("to", ["marketing", "non-marketing"])
@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]], ids=["for real", "dry run"])
def test_unknown_ids_or_emails_exit_2_naming_them_and_change_nothing(
    engine: Engine, cli: Cli, args: list[str], named: list[str], to: str, dry_run: list[str]
) -> None:
    (known,) = add_contacts(engine, 1, state="non_marketing" if to == "marketing" else "marketing")
    before = snapshot(engine)
    assert cli("set-status", "--to", to, *[a.format(id=known) for a in args], *dry_run, expect=2) is None
    assert all(name in cli.message for name in named)
    assert snapshot(engine) == before


@pytest.mark.parametrize(
    "filter_json",
    [
        pytest.param("not json", id="not JSON"),
        pytest.param('{"property": "email"', id="truncated JSON"),
        pytest.param('[{"property": "phone", "operator": "eq", "value": "1"}]', id="an unknown property"),
        pytest.param('[{"property": "email", "operator": "like", "value": "x"}]', id="an unknown operator"),
        pytest.param('[{"property": "created_at", "operator": "contains", "value": "x"}]', id="an unfitting operator"),
        pytest.param('[{"property": "hard_bounced", "operator": "eq", "value": "yes"}]', id="an ill-typed value"),
        pytest.param('[{"property": "created_at", "operator": "before", "value": "soon"}]', id="an unreadable date"),
        pytest.param('[{"property": "list", "operator": "eq", "value": "Nope"}]', id="an unknown list"),
    ],
)
def test_a_bad_filter_exits_2_with_a_message_and_changes_nothing(engine: Engine, cli: Cli, filter_json: str) -> None:
    add_contacts(engine, 2, state="marketing")
    before = snapshot(engine)
    cli("set-status", "--to", "non-marketing", "--filter", filter_json, expect=2)
    assert cli.message and "\n" not in cli.message
    cli("set-status", "--to", "non-marketing", "--filter", filter_json, "--dry-run", expect=2)
    assert snapshot(engine) == before


def test_an_unknown_list_exits_2(engine: Engine, cli: Cli) -> None:
    cli("set-status", "--to", "marketing", "--list", "Nobody", expect=2)
    assert "Nobody" in cli.message


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--to", "marketing"], id="no selection"),
        pytest.param(["--to", "marketing", "--ids", "1", "--unengaged"], id="two selections"),
        pytest.param(["--to", "pending", "--unengaged"], id="an unknown target"),
        pytest.param(["--to", "marketing", "--ids", "1,x"], id="an id that is not a number"),
    ],
)
def test_a_malformed_set_status_command_exits_2(engine: Engine, cli: Cli, args: list[str]) -> None:
    cli("set-status", *args, expect=2)


def test_the_filter_selects_on_every_property_combined(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 3, state="marketing", prefix="lead", lifecycle_stage="lead", unsubscribed_all=True)
    add_contacts(engine, 2, state="marketing", prefix="cust", lifecycle_stage="customer", unsubscribed_all=True)
    add_contacts(engine, 2, state="marketing", prefix="kept", lifecycle_stage="lead")
    conditions = [
        {"property": "lifecycle_stage", "operator": "eq", "value": "lead"},
        {"property": "unsubscribed_all", "operator": "eq", "value": True},
    ]
    result = cli("set-status", "--to", "non-marketing", "--filter", json.dumps(conditions))
    assert (result["selected"], result["scheduled"]) == (3, 3)


def test_a_contact_made_marketing_and_set_non_marketing_in_one_period_counts_until_the_update_date(
    engine: Engine, cli: Cli
) -> None:
    add_contacts(engine, 1, state="non_marketing")
    assert cli("set-status", "--to", "marketing", "--emails", "c0@example.com")["changed"] == 1
    later = cli("set-status", "--to", "non-marketing", "--emails", "c0@example.com", today="2026-11-27")
    assert (later["scheduled"], later["effective_on"]) == (1, "2026-12-01")
    on_the_last_day = cli("usage", today="2026-11-30")
    assert (on_the_last_day["marketing"], on_the_last_day["pending"]) == (1, 1)
    assert cli("usage", today="2026-12-01")["marketing"] == 0
    assert cli("apply-updates", today="2026-12-01")["marketing"] == 0
    assert state_of(engine, "c0@example.com") == "non_marketing"


def test_a_change_requested_on_an_update_date_waits_for_the_following_one(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 1, state="pending", prefix="due")  # due on 2026-12-01
    add_contacts(engine, 1, state="marketing", prefix="new")
    result = cli("set-status", "--to", "non-marketing", "--emails", "new0@example.com", today="2026-12-01")
    assert result["effective_on"] == "2027-01-01"
    assert state_of(engine, "due0@example.com") == "non_marketing"  # that day's update ran first
    usage = cli("usage", today="2026-12-01")
    assert (usage["marketing"], usage["pending"], usage["next_update_date"]) == (1, 1, "2027-01-01")


def test_set_status_first_catches_up_on_missed_update_dates(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 1, state="pending", prefix="due")
    result = cli("set-status", "--to", "marketing", "--emails", "due0@example.com", today="2027-01-10")
    assert (result["changed"], result["undone"]) == (1, 0)  # it had left on 2026-12-01: made marketing again
    (contact_id,) = [contact(engine, "due0@example.com")["id"]]
    assert [(e["old_state"], e["new_state"], e["effective_on"]) for e in events_of(engine, contact_id)] == [
        ("pending", "non_marketing", date(2026, 12, 1)),
        ("non_marketing", "marketing", date(2027, 1, 10)),
    ]


def test_every_change_is_recorded_with_states_dates_source_and_actor(engine: Engine, db_url: str) -> None:
    (m,) = add_contacts(engine, 1, state="marketing", prefix="m")
    (n,) = add_contacts(engine, 1, state="non_marketing", prefix="n")
    (p,) = add_contacts(engine, 1, state="pending", prefix="p")
    by_email = Selection(emails=("m0@example.com",))
    set_status(
        engine,
        selection=by_email,
        to=MarketingStatus.NON_MARKETING,
        today=TODAY,
        actor="ada",
        source_type="usage_wizard",
    )
    Cli(db_url)("--actor", "grace", "set-status", "--to", "marketing", "--emails", "n0@example.com,p0@example.com")
    (scheduled,) = events_of(engine, m)
    assert scheduled["old_state"] == "marketing" and scheduled["new_state"] == "pending"
    assert scheduled["effective_on"] == date(2026, 12, 1)
    assert scheduled["requested_at"].date() == TODAY
    assert (scheduled["source_type"], scheduled["actor"]) == ("usage_wizard", "ada")
    (made,) = events_of(engine, n)
    assert (made["old_state"], made["new_state"], made["effective_on"]) == ("non_marketing", "marketing", TODAY)
    assert (made["source_type"], made["actor"]) == ("bulk_action", "grace")
    (undone,) = events_of(engine, p)
    assert (undone["old_state"], undone["new_state"]) == ("pending", "marketing")
    assert contact(engine, "p0@example.com")["status_source_type"] == "bulk_action"


def test_why_a_contact_is_marketing_is_answered_by_its_latest_event(engine: Engine, cli: Cli) -> None:
    (c,) = add_contacts(engine, 1, state="non_marketing")
    cli("set-status", "--to", "marketing", "--ids", str(c))
    cli("set-status", "--to", "non-marketing", "--ids", str(c), today="2026-11-27")
    cli("--actor", "lin", "set-status", "--to", "marketing", "--ids", str(c), today="2026-11-28")
    history = events_of(engine, c)
    assert [(e["old_state"], e["new_state"]) for e in history] == [
        ("non_marketing", "marketing"),
        ("marketing", "pending"),
        ("pending", "marketing"),
    ]
    why = history[-1]
    assert (why["actor"], why["source_type"], why["requested_at"].date()) == ("lin", "bulk_action", date(2026, 11, 28))
    stored = contact(engine, "c0@example.com")
    assert (stored["status_source_type"], stored["pending_non_marketing"]) == ("bulk_action", False)


def test_a_large_selection_by_ids_previews_and_goes_through_with_exact_counts(engine: Engine, cli: Cli) -> None:
    ids = add_contacts(engine, 1_200, state="marketing")
    before = snapshot(engine)
    preview = cli("set-status", "--to", "non-marketing", "--ids", ",".join(map(str, ids)), "--dry-run")
    assert (preview["selected"], preview["scheduled"]) == (1_200, 1_200)
    assert snapshot(engine) == before
    emails = ",".join(f"c{i}@example.com" for i in range(600))
    assert cli("set-status", "--to", "non-marketing", "--emails", emails, "--dry-run")["scheduled"] == 600
    result = cli("set-status", "--to", "non-marketing", "--ids", ",".join(map(str, ids)))
    assert (result["selected"], result["scheduled"]) == (1_200, 1_200)
    assert count(engine, "status_events") == 1_200
    assert cli("usage")["pending"] == 1_200


def test_a_large_selection_with_one_unknown_email_changes_nothing(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 800, state="marketing")
    emails = [f"c{i}@example.com" for i in range(800)] + ["ghost@example.com"]
    before = snapshot(engine)
    cli("set-status", "--to", "non-marketing", "--emails", ",".join(emails), expect=2)
    assert "ghost@example.com" in cli.message
    assert snapshot(engine) == before
