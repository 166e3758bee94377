"""The usage command and how the billed tier moves with changes, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, select

from core.store.engine import make_engine
from core.store.schema import tier_changes
from tests.conftest import Cli
from tests.factories import add_contacts, snapshot, write_csv
from tests.helpers import csv_text

USAGE_KEYS = {
    "today",
    "edition",
    "commitment",
    "marketing",
    "pending",
    "non_marketing",
    "total",
    "tier_limit",
    "percent_of_tier",
    "next_update_date",
    "renewal_date",
    "alerts",
}


def test_usage_has_every_key_of_the_specification_and_counts_pending_as_marketing(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 1_200, state="marketing", prefix="m")
    add_contacts(engine, 300, state="pending", prefix="p")
    add_contacts(engine, 7, state="non_marketing", prefix="n")
    before = snapshot(engine)
    usage = cli("usage")
    assert snapshot(engine) == before
    assert set(usage) >= USAGE_KEYS
    assert {k: usage[k] for k in USAGE_KEYS - {"alerts"}} == {
        "today": "2026-11-26",
        "edition": "professional",
        "commitment": "annual",
        "marketing": 1_500,
        "pending": 300,
        "non_marketing": 7,
        "total": 1_507,
        "tier_limit": 2_000,
        "percent_of_tier": 75.0,
        "next_update_date": "2026-12-01",
        "renewal_date": "2027-01-15",
    }
    assert [a["threshold"] for a in usage["alerts"]] == [75]


def test_usage_on_an_update_date_not_yet_applied_already_shows_who_left(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 3, state="pending")
    before = snapshot(engine)
    usage = cli("usage", today="2026-12-01")
    assert (usage["marketing"], usage["pending"], usage["non_marketing"]) == (0, 0, 3)
    assert usage["next_update_date"] == "2027-01-01"
    assert snapshot(engine) == before


def test_a_dry_run_after_a_missed_update_date_predicts_what_the_real_change_does(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 3, state="pending", prefix="p")
    emails = "p0@example.com,p1@example.com,p2@example.com"
    preview = cli("set-status", "--to", "marketing", "--emails", emails, "--dry-run", today="2026-12-05")
    assert (preview["changed"], preview["undone"]) == (3, 0)  # they left on Dec 1: making them marketing is new
    real = cli("set-status", "--to", "marketing", "--emails", emails, today="2026-12-05")
    keys = ("selected", "changed", "scheduled", "undone", "unchanged", "effective_on", "tier_limit_after")
    assert {k: real[k] for k in keys} == {k: preview[k] for k in keys}


def test_a_renewal_missed_before_a_change_lowers_the_tier_before_the_tier_check(db_url: str) -> None:
    cli = Cli(db_url)
    cli("init", "--edition", "starter", "--commitment", "monthly", "--start-date", "2026-01-15")
    engine = make_engine(db_url)
    ids = add_contacts(engine, 1_200, state="non_marketing")
    cli("set-status", "--to", "marketing", "--all", "--allow-tier-upgrade")
    cli("set-status", "--to", "non-marketing", "--ids", ",".join(map(str, ids[:300])))  # leave on Dec 15
    back = ["--to", "marketing", "--ids", ",".join(map(str, ids[:150]))]
    preview = cli("set-status", *back, "--dry-run", today="2026-12-20")
    assert (preview["tier_limit_before"], preview["tier_limit_after"], preview["changed"]) == (1_000, 2_000, 150)
    before = snapshot(engine)
    refused = cli("set-status", *back, today="2026-12-20", expect=3)
    assert (refused["tier_limit_before"], refused["tier_limit_after"]) == (1_000, 2_000)
    assert snapshot(engine) == before
    cli("set-status", *back, "--allow-tier-upgrade", today="2026-12-20")
    with engine.connect() as conn:
        changes = [
            tuple(r)
            for r in conn.execute(
                select(tier_changes.c.reason, tier_changes.c.new_limit, tier_changes.c.effective_on).order_by(
                    tier_changes.c.id
                )
            )
        ]
    assert changes == [
        ("upgrade", 2_000, date(2026, 11, 26)),
        ("renewal", 1_000, date(2026, 12, 15)),
        ("upgrade", 2_000, date(2026, 12, 20)),
    ]
    engine.dispose()


def test_an_import_that_goes_over_the_tier_upgrades_it_at_once(db_url: str, tmp_path: Path) -> None:
    cli = Cli(db_url)
    cli("init", "--edition", "starter")
    rows = [(f"c{i}@example.com", "Marketing contact") for i in range(1_001)]
    content = csv_text(rows, header=("Email", "Marketing contact status"))
    path = write_csv(tmp_path / "in.csv", content)
    cli("import", path, expect=3)  # a rise needs consent (docs/domain.md §10): nothing written without it
    assert cli("usage")["total"] == 0
    assert cli("import", path, "--allow-tier-upgrade")["created"] == 1_001
    usage = cli("usage")
    assert (usage["marketing"], usage["tier_limit"]) == (1_001, 2_000)


def test_the_tier_is_never_lowered_when_contacts_leave_before_renewal(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 2_000, state="marketing", prefix="m")
    add_contacts(engine, 1, state="non_marketing", prefix="n")
    cli("set-status", "--to", "marketing", "--emails", "n0@example.com", "--allow-tier-upgrade")
    everyone = json.dumps([{"property": "marketing_status", "operator": "eq", "value": "marketing"}])
    assert cli("set-status", "--to", "non-marketing", "--filter", everyone)["scheduled"] == 2_001
    cli("apply-updates", today="2027-01-14")
    usage = cli("usage", today="2027-01-14")
    assert (usage["marketing"], usage["tier_limit"]) == (0, 7_000)
    assert cli("simulate", "--on", "2027-01-15", today="2027-01-14")["tier_limit"] == 2_000
