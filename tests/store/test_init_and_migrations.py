"""init, first use and schema migrations, on SQLite and PostgreSQL: never lose data, never act uninitialised."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from core.rules.sources import ALWAYS_NON_MARKETING
from core.rules.status import State
from core.services.workflows import definitions as wf
from core.store import states
from core.store.engine import make_engine
from core.store.migrate import _config, current_revisions, downgrade, head_revisions, upgrade
from core.store.schema import account, contacts
from tests.conftest import Cli
from tests.factories import add_contacts, contact_rows, count, snapshot, write_csv

STATE_INDEXES = {  # contacts' indexes of the state columns, before 0008_contact_status moved them
    "ix_contacts_status",
    "ix_contacts_effective_on",
    "ix_contacts_status_source_type",
    "ix_contacts_effective_pending",
}


def test_init_without_settings_makes_a_professional_annual_account_starting_today(db_url: str) -> None:
    cli = Cli(db_url)
    assert cli("init", today="2026-11-26")["contacts"] == 0
    usage = cli("usage", today="2026-11-26")
    assert (usage["edition"], usage["commitment"], usage["tier_limit"]) == ("professional", "annual", 2_000)
    assert (usage["next_update_date"], usage["renewal_date"]) == ("2026-12-01", "2027-11-26")
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(select(account.c.start_date)).scalar_one() == date(2026, 11, 26)
    engine.dispose()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(["--edition", "starter"], ("starter", "annual", 1_000), id="starter"),
        pytest.param(
            ["--edition", "enterprise", "--commitment", "monthly"], ("enterprise", "monthly", 10_000), id="ent"
        ),
    ],
)
def test_init_sets_the_given_edition_and_commitment(db_url: str, args: list[str], expected: tuple) -> None:
    cli = Cli(db_url)
    cli("init", *args, "--start-date", "2026-01-31", today="2026-02-10")
    usage = cli("usage", today="2026-02-10")
    assert (usage["edition"], usage["commitment"], usage["tier_limit"]) == expected
    assert usage["next_update_date"] == ("2026-02-28" if "monthly" in args else "2026-03-01")


COMMANDS = [
    pytest.param(["usage"], id="usage"),
    pytest.param(["simulate"], id="simulate"),
    pytest.param(["apply-updates"], id="apply-updates"),
    pytest.param(["set-status", "--to", "marketing", "--unengaged"], id="set-status"),
    pytest.param(["set-status", "--to", "marketing", "--unengaged", "--dry-run"], id="set-status dry run"),
    pytest.param(["export", "{tmp}/out.csv"], id="export"),
    pytest.param(["import", "{tmp}/in.csv"], id="import"),
]


@pytest.mark.parametrize("args", COMMANDS)
def test_any_command_on_a_database_never_initialised_exits_2_and_says_to_run_init(
    db_url: str, tmp_path: Path, args: list[str]
) -> None:
    write_csv(tmp_path / "in.csv", "Email\na@example.com\n")
    cli = Cli(db_url)
    assert cli(*[a.format(tmp=tmp_path) for a in args], expect=2) is None
    assert "init" in cli.message
    assert not (tmp_path / "out.csv").exists()
    if db_url.startswith("sqlite"):
        assert not (tmp_path / "marketable.db").exists()  # the file is not created by a failed command
    else:
        engine = make_engine(db_url)
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == []
        engine.dispose()


def test_a_sqlite_file_that_exists_but_is_empty_is_not_initialised(tmp_path: Path) -> None:
    (tmp_path / "empty.db").write_bytes(b"")
    cli = Cli(f"sqlite:///{tmp_path}/empty.db")
    cli("usage", expect=2)
    assert "init" in cli.message


def test_init_on_an_existing_database_keeps_every_contact_event_and_setting_not_given(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    add_contacts(engine, 5, state="marketing")
    cli("set-status", "--to", "non-marketing", "--emails", "c0@example.com")
    cli("import", write_csv(tmp_path / "in.csv", "Email\nnew@example.com\n"))
    before = snapshot(engine)
    assert cli("init")["contacts"] == 6
    assert snapshot(engine) == before  # nothing given: nothing changes
    cli("init", "--edition", "enterprise", "--commitment", "monthly")
    after = snapshot(engine)
    for table in ("contacts", "status_events", "static_lists", "list_members", "update_runs"):
        assert after[table] == before[table], table
    added = [row for row in after["operations"] if row not in before["operations"]]  # the audit of the change
    assert set(before["operations"]) <= set(after["operations"]) and [row[1] for row in added] == ["settings"]
    usage = cli("usage")
    assert (usage["edition"], usage["commitment"], usage["tier_limit"], usage["total"]) == (
        "enterprise",
        "monthly",
        10_000,
        6,
    )
    with engine.connect() as conn:
        assert conn.execute(select(account.c.start_date)).scalar_one() == date(2026, 1, 15)


def test_init_with_demo_data_is_the_same_for_the_same_seed(db_url: str, tmp_path: Path) -> None:
    first = Cli(db_url)
    assert first("init", "--demo", "250", "--seed", "3", today="2026-11-26")["contacts"] == 250
    second_url = f"sqlite:///{tmp_path}/second.db"
    Cli(second_url)("init", "--demo", "250", "--seed", "3", today="2026-11-26")
    columns = [states.column(c) for c in ("email", "marketing_status", "pending_non_marketing", "hard_bounced")]
    engines = [make_engine(db_url), make_engine(second_url)]
    rows = []
    for eng in engines:
        with eng.connect() as conn:
            query = select(*columns).select_from(states.ROWS).order_by(contacts.c.email_lower)
            rows.append([tuple(r) for r in conn.execute(query)])
        eng.dispose()
    assert rows[0] == rows[1]
    usage = first("usage", today="2026-11-26")
    assert usage["total"] == 250 and 0 < usage["marketing"] < 250 and usage["pending"] > 0


def _database_at_0001(db_url: str) -> Engine:
    """A database as the first release left it: schema 0001 only, with an account and contacts in it."""
    engine = make_engine(db_url)
    cfg = _config()
    with engine.connect().execution_options(write=True) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.commit()
    now = datetime(2026, 1, 15, 9, 0)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO account (id, edition, commitment, start_date, timezone, billed_tier, included_contacts,"
                " increment_size, base_price, increment_price, currency, updates_applied_through, created_at,"
                " updated_at) VALUES (1, 'professional', 'annual', :start, 'UTC', 2000, 2000, 5000, 890, 250, 'USD',"
                " :start, :now, :now)"
            ),
            {"start": date(2026, 1, 15), "now": now},
        )
    add_contacts(engine, 3, state="marketing", prefix="m")
    add_contacts(engine, 2, state="pending", prefix="p")
    return engine


def test_an_older_schema_is_migrated_on_start_without_losing_data(db_url: str) -> None:
    engine = _database_at_0001(db_url)
    assert current_revisions(engine) == {"0001"}
    before, contacts_before = snapshot(engine), contact_rows(engine)
    usage = Cli(db_url)("usage", today="2026-11-26")
    assert (usage["marketing"], usage["pending"], usage["total"]) == (5, 2, 5)
    assert current_revisions(engine) == head_revisions()
    after = snapshot(engine)
    assert after["status_events"] == before["status_events"]
    assert contact_rows(engine) == contacts_before, "0008 moves the state to contact_status, every value kept"
    for table in ("account", "operations"):  # 0007_acted_on adds one column to each, at the end
        assert [row[:-1] for row in after[table]] == before[table], table
    assert after["account"][0][-1] == "2026-01-15", "last acted on: the day update dates were applied through"
    engine.dispose()


def test_init_on_an_older_schema_migrates_it_and_keeps_its_data(db_url: str) -> None:
    engine = _database_at_0001(db_url)
    assert Cli(db_url)("init", "--edition", "enterprise", today="2026-11-26")["contacts"] == 5
    assert current_revisions(engine) == head_revisions()
    assert count(engine, "contacts") == 5
    engine.dispose()


def test_migrating_twice_changes_nothing(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 2)
    before = snapshot(engine)
    cli("init")
    cli("usage")
    assert snapshot(engine) == before


def test_a_new_contact_never_takes_a_deleted_contacts_id_or_history(cli: Cli) -> None:
    first = cli("create-contact", "--source", "manual", "--email", "first@example.com")["contact_id"]
    newest = cli("create-contact", "--source", "manual", "--email", "newest@example.com")["contact_id"]
    cli("set-status", "--to", "marketing", "--emails", "newest@example.com")
    assert cli("delete-contacts", "--emails", "newest@example.com")["deleted"] == 1
    again = cli("create-contact", "--source", "manual", "--email", "again@example.com")["contact_id"]
    assert again not in (first, newest)
    history = cli("contacts", "show", "--id", str(again))["history"]
    assert [(h["old_state"], h["new_state"]) for h in history] == [(None, "non_marketing")]


def _database_before_0006(db_url: str) -> Engine:
    """Every schema branch as the previous release left it, with contacts, a list, and a deleted contact."""
    engine = make_engine(db_url)
    cfg = _config()
    with engine.connect().execution_options(write=True) as conn:
        cfg.attributes["connection"] = conn
        for revision in ("0002_usage", "0003_contacts", "0004_workflows", "0005_users"):
            command.upgrade(cfg, revision)
        conn.commit()
    return engine


def _account_row(engine: Engine) -> None:
    """The account row as ``init`` writes it, on a schema migrated without ``init``."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO account (id, edition, commitment, start_date, timezone, billed_tier, included_contacts,"
                " increment_size, base_price, increment_price, currency, updates_applied_through, created_at,"
                " updated_at) VALUES (1, 'professional', 'annual', :day, 'UTC', 2000, 2000, 5000, 890, 250, 'USD',"
                " :day, :day, :day)"
            ),
            {"day": date(2026, 1, 15)},
        )


def test_the_contact_id_migration_keeps_every_row_index_and_list_membership(db_url: str) -> None:
    engine, cli = _database_before_0006(db_url), Cli(db_url)
    assert "0006_contact_ids" not in current_revisions(engine)
    _account_row(engine)  # as init writes it; then contacts, a list and a deleted id 9
    ids = add_contacts(engine, 3, state="marketing")
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO operations (kind, requested_at, actor) VALUES ('delete', :d, 'me')"),
            {"d": datetime(2026, 1, 15)},
        )
        conn.execute(
            text("INSERT INTO static_lists (name, created_at, created_by) VALUES ('L', :d, 'me')"),
            {"d": datetime(2026, 1, 15)},
        )
        conn.execute(
            text(
                "INSERT INTO list_members (list_id, contact_id, added_at)"
                " SELECT id, :a, :d FROM static_lists UNION ALL SELECT id, :b, :d FROM static_lists"
            ),
            {"a": ids[0], "b": ids[1], "d": datetime(2026, 1, 15)},
        )
        conn.execute(
            text(
                "INSERT INTO status_events (contact_id, operation_id, old_state, new_state, requested_at, effective_on,"
                " actor, source_type, source_id) VALUES (9, (SELECT max(id) FROM operations), 'marketing', NULL,"
                " :d, :day, 'me', 'manual', NULL), (2, (SELECT max(id) FROM operations), 'marketing', 'pending',"
                " :d, :day, 'workflow:7', 'workflow', '7')"
            ),
            {"d": datetime(2026, 1, 15), "day": date(2026, 1, 15)},
        )
    indexes_before = sorted(i["name"] for i in inspect(engine).get_indexes("contacts"))
    before, contacts_before = snapshot(engine), contact_rows(engine)
    assert upgrade(engine)  # as the app and every command do on start
    assert current_revisions(engine) == head_revisions()
    if engine.dialect.name == "sqlite":  # foreign keys were off for the rebuild only: back on for the pool
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
    after = snapshot(engine)
    for table in ("list_members", "static_lists", "status_events"):
        assert after[table] == before[table], table
    assert contact_rows(engine) == contacts_before
    kept = [i for i in indexes_before if i not in STATE_INDEXES]  # 0008 moves those to contact_status
    indexes_after = sorted(i["name"] for i in inspect(engine).get_indexes("contacts"))
    assert indexes_after == sorted([*kept, "ux_contacts_hubspot_id"])  # 0009_record_ids adds one
    created = cli("create-contact", "--source", "manual", "--email", "new@example.com", today="2026-11-26")
    assert created["contact_id"] not in ids
    workflow = wf.create_workflow(
        engine,
        definition={
            "name": "After the migration",
            "criteria": [{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}],
            "actions": [{"type": "set_marketing_status", "to": "non_marketing"}],
        },
        today=date(2026, 11, 26),
        actor="me",
    )
    if engine.dialect.name == "sqlite":  # sequences start above every id the event log has seen (9, workflow 7)
        assert created["contact_id"] > 9 and workflow.id > 7
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM list_members")).scalar_one() == 2
    engine.dispose()


def test_demo_data_added_later_never_takes_a_deleted_contacts_id(cli: Cli, engine: Engine) -> None:
    for email in ("a@example.com", "b@example.com"):
        cli("create-contact", "--source", "manual", "--email", email)
    newest = cli("create-contact", "--source", "manual", "--email", "newest@example.com")["contact_id"]
    cli("delete-contacts", "--emails", "newest@example.com")
    assert cli("init", "--demo", "5", "--seed", "9")["contacts"] == 7
    with engine.connect() as conn:
        ids = [i for (i,) in conn.execute(select(contacts.c.id).order_by(contacts.c.id))]
    assert ids[-5:] == list(range(ids[-5], ids[-5] + 5)) and ids[-5] > newest, ids  # the demo's 5, above it
    after = cli("create-contact", "--source", "manual", "--email", "after@example.com")["contact_id"]
    assert after > ids[-1], "the sequence moved past the demo block"


def _with_a_list_of_two(engine: Engine) -> None:
    _account_row(engine)
    ids = add_contacts(engine, 2)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO static_lists (name, created_at, created_by) VALUES ('L', :d, 'me')"), {"d": NOW})
        for contact_id in ids:
            conn.execute(
                text("INSERT INTO list_members (list_id, contact_id, added_at) SELECT id, :c, :d FROM static_lists"),
                {"c": contact_id, "d": NOW},
            )


NOW = datetime(2026, 1, 15, 9, 0)


def test_stepping_0006_back_and_forth_keeps_list_memberships(db_url: str) -> None:
    engine = _database_before_0006(db_url)
    _with_a_list_of_two(engine)
    assert upgrade(engine)
    downgrade(engine, "0005_users")
    assert "0006_contact_ids" not in current_revisions(engine)
    assert count(engine, "list_members") == 2
    assert upgrade(engine)
    assert count(engine, "list_members") == 2
    engine.dispose()


def test_a_raw_alembic_downgrade_with_foreign_keys_on_is_refused_on_sqlite(tmp_path: Path) -> None:
    engine = _database_before_0006(f"sqlite:///{tmp_path}/raw.db")
    _with_a_list_of_two(engine)
    assert upgrade(engine)
    cfg = _config()
    with engine.connect().execution_options(write=True) as conn, pytest.raises(RuntimeError, match="foreign keys"):
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005_users")
    assert count(engine, "list_members") == 2
    engine.dispose()


def test_a_row_orphaned_before_the_migration_does_not_stop_it(tmp_path: Path) -> None:
    engine = _database_before_0006(f"sqlite:///{tmp_path}/orphan.db")
    _with_a_list_of_two(engine)
    with engine.connect() as conn:  # as a delete in the sqlite3 shell would leave it (foreign keys off there)
        conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        conn.exec_driver_sql("DELETE FROM contacts WHERE id = (SELECT min(id) FROM contacts)")
        conn.commit()
        conn.invalidate()
    assert upgrade(engine)
    assert current_revisions(engine) == head_revisions()
    engine.dispose()


def test_demo_data_never_shows_a_contact_made_marketing_by_a_source_that_cannot(cli: Cli, engine: Engine) -> None:
    cli("init", "--demo", "2000", "--seed", "4")
    with engine.connect() as conn:
        by_source = dict(
            conn.execute(
                select(states.column("status_source_type"), func.count())
                .where(states.is_billed())
                .group_by(states.column("status_source_type"))
            ).all()
        )
    assert by_source.get("bulk_action", 0) > 0
    assert not {s.value for s in ALWAYS_NON_MARKETING} & set(by_source), by_source  # docs/domain.md §5


def _database_at_0006(db_url: str) -> Engine:
    """The schema as the release before the honest clock left it (0006_contact_ids), with its account row."""
    engine = _database_before_0006(db_url)
    cfg = _config()
    with engine.connect().execution_options(write=True) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006_contact_ids")
        conn.commit()
    _account_row(engine)  # update dates applied through 2026-01-15
    return engine


OPERATIONS_BEFORE_0007 = [  # requested_at was the day acted on at the time of day of the request
    ("import", datetime(2026, 3, 2, 10, 0), "2026-03-02"),
    ("set_status", datetime(2026, 5, 7, 23, 59, 59), "2026-05-07"),
    ("sign_in", datetime(2026, 4, 1, 0, 0), "2026-04-01"),
]


def test_the_acted_on_migration_dates_each_operation_by_its_request_and_keeps_every_row(db_url: str) -> None:
    engine = _database_at_0006(db_url)
    contact_id = add_contacts(engine, 1)[0]
    with engine.begin() as conn:
        for kind, at, _ in OPERATIONS_BEFORE_0007:
            conn.execute(
                text("INSERT INTO operations (kind, requested_at, actor) VALUES (:kind, :at, 'me')"),
                {"kind": kind, "at": at},
            )
        conn.execute(
            text(
                "INSERT INTO status_events (contact_id, operation_id, old_state, new_state, requested_at, effective_on,"
                " actor, source_type, source_id) SELECT :c, id, NULL, 'marketing', requested_at, :day, 'me', 'import',"
                " NULL FROM operations WHERE kind = 'import'"
            ),
            {"c": contact_id, "day": date(2026, 3, 2)},
        )
    before, contacts_before = snapshot(engine), contact_rows(engine)
    assert upgrade(engine)
    after = snapshot(engine)
    assert after["status_events"] == before["status_events"]
    assert contact_rows(engine) == contacts_before
    for table in ("account", "operations"):  # one column more each, at the end
        assert [row[:-1] for row in after[table]] == before[table], table
    with engine.connect() as conn:
        acted = [(k, str(d)) for k, d in conn.execute(text("SELECT kind, acted_on FROM operations ORDER BY id"))]
        last = conn.execute(select(account.c.last_acted_on)).scalar_one()
    assert acted == [(kind, day) for kind, _, day in OPERATIONS_BEFORE_0007]
    assert last == date(2026, 5, 7), "the latest day an operation acted on, later than the update dates applied"
    downgrade(engine, "0006_contact_ids")  # and back: the operations and their events stay
    assert upgrade(engine)
    assert count(engine, "operations") == 3 and count(engine, "status_events") == 1
    engine.dispose()


def test_after_the_acted_on_migration_no_change_acts_before_the_last_day_an_operation_acted_on(db_url: str) -> None:
    engine = _database_at_0006(db_url)
    add_contacts(engine, 1)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO operations (kind, requested_at, actor) VALUES ('set_status', :at, 'me')"),
            {"at": datetime(2026, 5, 7, 9, 0)},
        )
    cli = Cli(db_url)
    cli("--today", "2026-05-06", "set-status", "--to", "marketing", "--ids", "1", today="2026-05-08", expect=2)
    assert "2026-05-06 is before 2026-05-07, the last day a change acted on" in cli.message
    assert cli("--today", "2026-05-07", "set-status", "--to", "marketing", "--ids", "1", today="2026-05-08")
    engine.dispose()


def _database_at_0007(db_url: str) -> Engine:
    """The schema before Record IDs and before the state moved to its own table (0007_acted_on), with its account
    row."""
    engine = _database_at_0006(db_url)
    cfg = _config()
    with engine.connect().execution_options(write=True) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0007_acted_on")
        conn.commit()
    return engine


def test_the_contact_status_migration_moves_every_state_and_keeps_ids_lists_and_history(db_url: str) -> None:
    engine = _database_at_0007(db_url)
    kept = [
        *add_contacts(engine, 2, state="marketing", prefix="m"),
        *add_contacts(engine, 2, state="pending", prefix="p", effective_on=date(2026, 12, 1)),
        *add_contacts(engine, 1, state="non_marketing", prefix="n"),
    ]
    gone = add_contacts(engine, 1, prefix="gone")[0]  # the highest id, deleted: never given out again
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO static_lists (name, created_at, created_by) VALUES ('L', :d, 'me')"), {"d": NOW})
        conn.execute(
            text("INSERT INTO list_members (list_id, contact_id, added_at) SELECT id, :c, :d FROM static_lists"),
            {"c": kept[2], "d": NOW},
        )
        conn.execute(text("DELETE FROM contacts WHERE id = :c"), {"c": gone})
    before, contacts_before = snapshot(engine), contact_rows(engine)
    assert upgrade(engine)
    assert "contact_status" in inspect(engine).get_table_names()
    assert not {"marketing_status", "effective_on"} & {c["name"] for c in inspect(engine).get_columns("contacts")}
    assert contact_rows(engine) == contacts_before, "every contact keeps its state, source and dates"
    assert snapshot(engine)["list_members"] == before["list_members"]
    usage = Cli(db_url)("usage", today="2026-11-26")
    assert (usage["total"], usage["marketing"], usage["pending"]) == (5, 4, 2)
    created = Cli(db_url)("create-contact", "--source", "manual", "--email", "new@example.com", today="2026-11-26")
    assert created["contact_id"] > gone, "ids of deleted contacts are still never reused"
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM contacts WHERE id = :c"), {"c": created["contact_id"]})
    downgrade(engine, "0007_acted_on")  # and back: the state returns to contacts, every value kept
    assert contact_rows(engine) == contacts_before
    assert count(engine, "list_members") == 1
    assert upgrade(engine)
    assert contact_rows(engine) == contacts_before
    engine.dispose()


def test_the_record_id_migration_keeps_every_contact_and_gives_none_a_hubspot_id(db_url: str) -> None:
    engine = _database_at_0007(db_url)
    ids = add_contacts(engine, 3, state="marketing")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO static_lists (name, created_at, created_by) VALUES ('L', :d, 'me')"), {"d": NOW})
        conn.execute(
            text("INSERT INTO list_members (list_id, contact_id, added_at) SELECT id, :c, :d FROM static_lists"),
            {"c": ids[2], "d": NOW},
        )
    before, contacts_before = snapshot(engine), contact_rows(engine)
    assert upgrade(engine)
    assert current_revisions(engine) == head_revisions()  # 0009_record_ids and every later revision
    after = snapshot(engine)
    assert contact_rows(engine) == contacts_before, "no contact gets a HubSpot Record ID by migrating"
    for table in ("list_members", "static_lists", "status_events", "operations", "account"):
        assert after[table] == before[table], table
    with engine.begin() as conn:  # one contact per HubSpot Record ID; any number without one
        conn.execute(contacts.update().where(contacts.c.id == ids[0]).values(hubspot_id=123_456_789_012))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(contacts.update().where(contacts.c.id == ids[1]).values(hubspot_id=123_456_789_012))
    downgrade(engine, "0007_acted_on")  # and back: every row kept, list memberships too
    assert "hubspot_id" not in {c["name"] for c in inspect(engine).get_columns("contacts")}
    assert contact_rows(engine) == contacts_before
    assert snapshot(engine)["list_members"] == before["list_members"]
    assert upgrade(engine)
    engine.dispose()


def test_after_stepping_the_record_id_migration_back_a_new_contact_takes_no_deleted_id(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/steps.db"
    engine = _database_at_0007(url)
    ids = add_contacts(engine, 2)
    with engine.begin() as conn:
        conn.execute(contacts.delete().where(contacts.c.id == ids[1]))
    assert upgrade(engine)
    downgrade(engine, "0007_acted_on")
    assert upgrade(engine)
    assert add_contacts(engine, 1, prefix="new")[0] > ids[1], "AUTOINCREMENT kept through the table's rebuild"
    engine.dispose()


def test_the_record_id_migration_makes_a_stage_stored_by_its_label_one_stage_with_its_internal_name(
    db_url: str,
) -> None:
    engine = _database_at_0007(db_url)
    add_contacts(engine, 3, prefix="label", lifecycle_stage="marketing qualified lead")
    add_contacts(engine, 2, prefix="name", lifecycle_stage="marketingqualifiedlead")
    add_contacts(engine, 1, prefix="custom", lifecycle_stage="partner")
    add_contacts(engine, 1, prefix="sql", lifecycle_stage="sales qualified lead")
    assert upgrade(engine)
    with engine.connect() as conn:
        stages = dict(
            conn.execute(select(contacts.c.lifecycle_stage, func.count()).group_by(contacts.c.lifecycle_stage)).all()
        )
    assert stages == {"marketingqualifiedlead": 5, "partner": 1, "salesqualifiedlead": 1}
    engine.dispose()


def stepper(engine: Engine) -> Callable[[Callable[[Config, str], None], str], dict[str, Any]]:
    """Moves ``engine``'s schema with an Alembic command (``command.upgrade`` / ``downgrade``) to a revision;
    every row of every table afterwards (``snapshot``)."""
    cfg = _config()

    def step(move: Callable[[Config, str], None], target: str) -> dict[str, Any]:
        with engine.connect().execution_options(write=True) as conn:
            cfg.attributes["connection"] = conn
            move(cfg, target)
            conn.commit()
        return snapshot(engine)

    return step


def test_the_jobs_migration_adds_its_table_and_keeps_every_row(db_url: str) -> None:
    """0011_jobs: a database at the revision before it, with contacts, gets the jobs table, nothing else touched;
    and back."""
    previous = str(ScriptDirectory.from_config(_config()).get_revision("0011_jobs").down_revision)
    engine = _database_at_0007(db_url)
    step = stepper(engine)
    step(command.upgrade, previous)
    add_contacts(engine, 3, state="marketing")
    before = snapshot(engine)
    assert "jobs" not in before
    after = step(command.upgrade, "0011_jobs")
    assert after.pop("jobs") == [] and after.pop("alembic_version") == [("0011_jobs",)]
    assert after == {k: v for k, v in before.items() if k != "alembic_version"}, "every existing row kept"
    assert step(command.downgrade, previous) == before
    engine.dispose()


def test_the_preferences_migration_adds_its_table_and_keeps_every_row(db_url: str) -> None:
    """0012_preferences: a database at the revision before it, with contacts, gets the user_preferences table,
    nothing else touched; and back."""
    previous = str(ScriptDirectory.from_config(_config()).get_revision("0012_preferences").down_revision)
    assert previous == "0011_jobs"
    engine = _database_at_0007(db_url)
    step = stepper(engine)
    step(command.upgrade, previous)
    add_contacts(engine, 3, state="marketing")
    before = snapshot(engine)
    assert "user_preferences" not in before
    after = step(command.upgrade, "0012_preferences")
    assert after.pop("user_preferences") == [] and after.pop("alembic_version") == [("0012_preferences",)]
    assert after == {k: v for k, v in before.items() if k != "alembic_version"}, "every existing row kept"
    assert step(command.downgrade, previous) == before
    engine.dispose()


def test_the_state_counts_migration_counts_the_contacts_there_and_keeps_every_row(db_url: str) -> None:
    """0013_state_counts: a database at 0012 with contacts in every state gets the kept counts of those contacts,
    which its triggers then keep; and back, every other row as it was."""
    engine = _database_at_0007(db_url)
    step = stepper(engine)
    step(command.upgrade, "0012_preferences")
    add_contacts(engine, 3, state="marketing", prefix="m")
    add_contacts(engine, 2, state="pending", prefix="p", effective_on=date(2026, 12, 1))
    add_contacts(engine, 1, state="non_marketing", prefix="n")
    before = snapshot(engine)
    after = step(command.upgrade, "0013_state_counts")
    assert sorted(after.pop("contact_state_counts")) == sorted(
        [("marketing", "9999-12-31", "3"), ("non_marketing", "9999-12-31", "1"), ("pending", "2026-12-01", "2")]
    )
    assert after.pop("alembic_version") == [("0013_state_counts",)]
    assert after == {k: v for k, v in before.items() if k != "alembic_version"}, "every existing row kept"
    add_contacts(engine, 2, state="non_marketing", prefix="later")  # counted by the triggers from now on
    with engine.connect() as conn:
        assert states.counted(conn) == states.scanned(conn)
        assert states.count_by_state(conn)[State.NON_MARKETING] == 3
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM contacts WHERE email LIKE 'later%'"))
    assert step(command.downgrade, "0012_preferences") == before
    engine.dispose()
