"""The honest clock (docs/domain.md §10), through the command line, on SQLite and PostgreSQL: a change acts on the
deployment's day, never a later one nor one before the last day acted on; only an admin acts on another day; the
audit keeps the real time of each action beside the day it acted on."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select, update

from core.cli import run
from core.errors import DayRefused, PermissionDenied
from core.services.workflows import definitions as wf
from core.services.workflows import engine as workflow_engine
from core.store.schema import account
from tests.conftest import TODAY, Cli, pin_today
from tests.factories import add_contacts, snapshot, write_csv

PASSWORD = "correct horse battery"
DUE = date(2026, 12, 1)  # the fixture account's next update date
NOV_28 = "2026-11-28"  # a later deployment's day
LEADS = '[{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}]'


@pytest.fixture
def team(cli: Cli, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Users: ada (admin), ed (editor), vi (viewer); two contacts pending until 1 Dec and three marketing leads."""
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    cli("users", "add", "--username", "ada", "--role", "admin", "--password-stdin")
    cli("--actor", "ada", "users", "add", "--username", "ed", "--role", "editor")
    cli("--actor", "ada", "users", "add", "--username", "vi", "--role", "viewer")
    add_contacts(engine, 2, state="pending", prefix="p", effective_on=DUE)
    add_contacts(engine, 3, state="marketing", prefix="m", lifecycle_stage="lead")
    return cli


def _real_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)  # the fixture account's time zone is UTC


def test_a_viewer_moving_apply_updates_into_the_future_is_refused_and_nothing_is_written(
    team: Cli, engine: Engine
) -> None:
    before = snapshot(engine)  # update_runs, account, contacts, operations: every table
    team("--actor", "vi", "--today", "2028-06-15", "apply-updates", expect=2)
    assert "2028-06-15 is in the future" in team.message and "use simulate to look ahead" in team.message
    assert snapshot(engine) == before
    applied = team("--actor", "ada", "apply-updates", today=DUE)["applied"]  # the real update date still comes
    assert [a["update_date"] for a in applied] == ["2026-12-01"]


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["apply-updates"], id="apply-updates"),
        pytest.param(["set-status", "--to", "non-marketing", "--emails", "m0@example.com"], id="set-status"),
        pytest.param(["create-contact", "--source", "manual", "--email", "n@example.com"], id="create-contact"),
        pytest.param(["delete-contacts", "--emails", "m0@example.com"], id="delete-contacts"),
        pytest.param(["import", "{tmp}/in.csv"], id="import"),
        pytest.param(["lists", "create", "--name", "L"], id="lists create"),
        pytest.param(["views", "save", "--name", "V"], id="views save"),
        pytest.param(["sources", "set", "--source", "form", "--source-id", "f", "--marketing", "true"], id="sources"),
        pytest.param(["users", "add", "--username", "new", "--role", "viewer"], id="users add"),
        pytest.param(["init", "--edition", "enterprise"], id="init settings"),
        pytest.param(["workflows", "run"], id="workflows run"),
        pytest.param(
            ["workflows", "create", "--name", "W", "--filter", LEADS, "--action", "add_to_list:L"],
            id="workflows create",
        ),
    ],
)
def test_a_future_day_is_refused_even_for_an_admin_and_nothing_is_written(
    team: Cli, engine: Engine, tmp_path: Path, args: list[str]
) -> None:
    write_csv(tmp_path / "in.csv", "Email\nnew@example.com\n")
    before = snapshot(engine)
    team("--actor", "ada", "--today", "2026-11-27", *[a.replace("{tmp}", str(tmp_path)) for a in args], expect=2)
    assert "2026-11-27 is in the future; changes act on today (2026-11-26)" in team.message
    assert snapshot(engine) == before


def test_a_future_day_is_refused_in_local_mode_too(cli: Cli, engine: Engine) -> None:
    add_contacts(engine, 2, state="pending", effective_on=DUE)
    before = snapshot(engine)
    cli("--today", "2027-01-02", "apply-updates", expect=2)
    assert "is in the future" in cli.message
    assert snapshot(engine) == before


@pytest.mark.parametrize(
    ("day", "args"),
    [
        pytest.param("0001-01-01", ["set-status", "--to", "marketing", "--emails", "p0@example.com"], id="year 1"),
        pytest.param("2026-12-01", ["apply-updates"], id="the day before: apply-updates"),
        pytest.param("2026-12-01", ["set-status", "--to", "non-marketing", "--ids", "1"], id="the day before"),
        pytest.param("2026-11-26", ["users", "set-role", "--username", "ed", "--role", "viewer"], id="users"),
        pytest.param("2026-11-27", ["lists", "create", "--name", "L"], id="lists"),
    ],
)
def test_a_day_before_the_last_one_acted_on_is_refused_and_nothing_is_written(
    team: Cli, engine: Engine, day: str, args: list[str]
) -> None:
    team("--actor", "ada", "apply-updates", today="2026-12-02")  # the update date of 1 Dec is applied
    before = snapshot(engine)
    team("--actor", "ada", "--today", day, *args, today="2026-12-02", expect=2)
    assert f"{day} is before 2026-12-02, the last day a change acted on" in team.message
    assert snapshot(engine) == before


def test_a_change_that_applies_no_update_date_still_counts_as_acted_on(team: Cli, engine: Engine) -> None:
    team("--actor", "ada", "users", "set-role", "--username", "vi", "--role", "editor", today="2026-11-29")
    before = snapshot(engine)
    team(
        "--actor",
        "ada",
        "--today",
        "2026-11-28",
        "set-status",
        "--to",
        "marketing",
        "--ids",
        "1",
        today="2026-11-29",
        expect=2,
    )
    assert "2026-11-28 is before 2026-11-29" in team.message
    assert snapshot(engine) == before


def test_an_admin_may_act_on_a_past_day_not_before_the_last_one_and_the_audit_shows_the_real_time_and_the_day(
    team: Cli, engine: Engine, tmp_path: Path
) -> None:
    asked = _real_now()  # the deployment's day has moved on to 28 Nov; nothing acted on 27 or 28 Nov yet
    done = team(
        "--actor", "ada", "--today", "2026-11-27", "set-status", "--to", "non-marketing", "--ids", "3", today=NOV_28
    )
    recorded = _real_now()
    assert (done["scheduled"], done["effective_on"]) == (1, "2026-12-01")
    entry = team("--actor", "ada", "audit", "--kind", "set_status", today=NOV_28)["entries"][0]
    assert entry["acted_on"] == "2026-11-27"
    assert asked <= datetime.fromisoformat(entry["requested_at"]) <= recorded, "the real time, not a pretended one"
    assert team("--actor", "ada", "audit", "--since", "2026-11-27", "--until", "2026-11-27", today=NOV_28)["total"] == 1
    team("--actor", "ada", "audit", "--csv", str(tmp_path / "audit.csv"), today=NOV_28)
    header, row = (tmp_path / "audit.csv").read_text(encoding="utf-8").splitlines()[:2]
    assert header.endswith(",Acted on") and row.endswith(",2026-11-27") and entry["requested_at"] in row
    team(
        "--actor",
        "ada",
        "--today",
        "2026-11-26",
        "set-status",
        "--to",
        "marketing",
        "--ids",
        "3",
        today=NOV_28,
        expect=2,
    )
    assert "before 2026-11-27, the last day a change acted on" in team.message
    with engine.connect() as conn:
        assert conn.execute(select(account.c.last_acted_on)).scalar_one() == date(2026, 11, 27)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["set-status", "--to", "non-marketing", "--ids", "3"], id="set-status"),
        pytest.param(["apply-updates"], id="apply-updates"),
        pytest.param(["lists", "create", "--name", "L"], id="lists create"),
        pytest.param(["workflows", "run"], id="workflows run"),
    ],
)
def test_an_editor_may_not_act_on_a_day_other_than_today(team: Cli, engine: Engine, args: list[str]) -> None:
    before = snapshot(engine)
    team("--actor", "ed", "--today", "2026-11-27", *args, today=NOV_28, expect=2)
    assert "ed (editor) may not act on 2026-11-27: only an admin may act on a day other than today" in team.message
    assert snapshot(engine) == before
    team("--actor", "ed", *args, today=NOV_28)  # on today, the same command goes through


def test_a_workflow_run_for_another_day_is_refused_at_the_engines_entry_for_a_non_admin(
    team: Cli, engine: Engine
) -> None:
    pin_today("2026-11-28")
    before = snapshot(engine)
    with pytest.raises(PermissionDenied, match="only an admin may act on a day other than today"):
        workflow_engine.run(engine, date(2026, 11, 27), actor="ed")
    assert snapshot(engine) == before
    assert workflow_engine.run(engine, date(2026, 11, 27), actor="ada").enrolled == 0  # an admin may


def test_the_command_line_acts_on_the_pinned_day_without_today(team: Cli) -> None:
    assert team("--actor", "ada", "usage", today="2026-12-03")["today"] == "2026-12-03"
    applied = team("--actor", "ada", "apply-updates", today="2026-12-03")["applied"]
    assert [a["update_date"] for a in applied] == ["2026-12-01"]


def _zone_not_on_utcs_date() -> str:
    """A time zone whose date differs from UTC's right now (UTC+14 from 10:00 UTC, UTC-12 before 12:00 UTC)."""
    return "Pacific/Kiritimati" if datetime.now(UTC).hour >= 10 else "Etc/GMT+12"


def test_unpinned_the_command_line_takes_today_in_the_accounts_time_zone(
    cli: Cli, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    zone = _zone_not_on_utcs_date()
    with engine.begin() as conn:
        conn.execute(update(account).values(timezone=zone))
    monkeypatch.delenv("MARKETABLE_TODAY")
    code, payload, message = run(["--db", cli.url, "usage"])
    assert code == 0, message
    assert payload is not None and str(payload["today"]) == datetime.now(ZoneInfo(zone)).date().isoformat()
    assert str(payload["today"]) != datetime.now(UTC).date().isoformat()


def test_a_new_account_never_starts_in_the_future(db_url: str) -> None:
    cli = Cli(db_url)
    cli("--today", (TODAY + timedelta(days=1)).isoformat(), "init", expect=2)
    assert "is in the future" in cli.message
    cli("usage", expect=2)
    assert "never initialised" in cli.message


def test_a_workflow_run_stops_when_another_change_acts_on_a_later_day_and_leaves_the_rest_for_the_next_run(
    cli: Cli, engine: Engine
) -> None:
    add_contacts(engine, 3, state="marketing", lifecycle_stage="lead")
    definition = {
        "name": "W",
        "criteria": [{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}],
        "actions": [{"type": "set_marketing_status", "to": "non_marketing"}],
    }
    flow = wf.create_workflow(engine, definition=definition, today=TODAY, actor="ana")
    wf.enable_workflow(engine, flow.id, today=TODAY, actor="ana")
    midnight: list[object] = []

    def between_batches(_: float) -> None:  # after the first batch, the next day begins and someone acts on it
        if not midnight:
            midnight.append(cli("create-contact", "--source", "manual", "--email", "n@example.com", today=NOV_28))

    with pytest.raises(DayRefused, match="2026-11-26 is before 2026-11-28, the last day a change acted on"):
        workflow_engine.run(engine, TODAY, actor="ana", batch_size=1, pause=0.001, sleep=between_batches)
    counts = cli("workflows", "list", today=NOV_28)["workflows"][0]["counts"]
    assert (counts["completed"], counts["active"], counts["failed"]) == (1, 2, 0), "nothing failed: left for later"
    later = workflow_engine.run(engine, date(2026, 11, 28), actor="ana", batch_size=1)
    assert (later.completed, later.outcomes) == (2, {"scheduled": 2})
