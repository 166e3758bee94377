"""Every bulk change happens entirely, with its events, or not at all (a database error half-way writes nothing)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from tests.conftest import Cli
from tests.factories import add_contacts, fail_on_email, snapshot, write_csv


def test_a_database_error_during_set_status_writes_no_contact_no_event_and_no_operation(
    engine: Engine, cli: Cli
) -> None:
    add_contacts(engine, 5, state="marketing")
    fail_on_email(engine, "c3@example.com", on="UPDATE")
    before = snapshot(engine)
    assert cli("set-status", "--to", "non-marketing", "--all", expect=2) is None
    assert "refused by test trigger" in cli.message
    assert snapshot(engine) == before


def test_a_database_error_during_a_tier_upgrade_leaves_the_tier_as_it_was(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 1_999, state="marketing", prefix="m")
    add_contacts(engine, 2, state="non_marketing", prefix="n")
    fail_on_email(engine, "n1@example.com", on="UPDATE")
    before = snapshot(engine)
    cli(
        "set-status", "--to", "marketing", "--emails", "n0@example.com,n1@example.com", "--allow-tier-upgrade", expect=2
    )
    assert snapshot(engine) == before
    assert cli("usage")["tier_limit"] == 2_000


def test_a_database_error_during_apply_updates_applies_no_update_date(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 4, state="pending")
    fail_on_email(engine, "c2@example.com", on="UPDATE")
    before = snapshot(engine)
    cli("apply-updates", today="2027-02-10", expect=2)
    assert snapshot(engine) == before
    assert cli("usage", today="2026-11-30")["pending"] == 4


def test_a_database_error_while_an_import_updates_existing_contacts_writes_nothing(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    add_contacts(engine, 4, state="marketing")
    fail_on_email(engine, "c2@example.com", on="UPDATE")
    before = snapshot(engine)
    rows = "".join(f"c{i}@example.com,Non-marketing contact\n" for i in range(4)) + "new@example.com,\n"
    path = write_csv(tmp_path / "in.csv", "Email,Marketing contact status\n" + rows)
    cli("import", path, expect=2)
    assert snapshot(engine) == before
