"""Why is my count this number: marketing contacts by what made them marketing and by lifecycle stage."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from core.services.breakdown import marketing_breakdown
from core.services.usage import get_usage
from tests.conftest import TODAY, Cli
from tests.services.usage_data import emails, import_rows, person


def _contacts(cli: Cli, tmp_path: Path) -> None:
    rows = [person(n, stage="lead") for n in range(5)]
    rows += [person(n, stage="customer", marketing=False) for n in range(5, 8)]
    import_rows(cli, tmp_path, rows, today=TODAY)
    cli("set-status", "--to", "marketing", "--emails", emails(5, 6))  # bulk_action makes two customers marketing
    cli("set-status", "--to", "non-marketing", "--emails", emails(0))  # pending: still marketing until 1 Dec


def test_marketing_contacts_are_grouped_by_what_made_them_marketing_and_by_stage(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    _contacts(cli, tmp_path)
    breakdown = marketing_breakdown(engine, today=TODAY)
    assert breakdown.marketing == get_usage(engine, today=TODAY).marketing == 7
    assert breakdown.by_source == [("import", 4), ("bulk_action", 3)]
    assert breakdown.by_stage == [("lead", 5), ("customer", 2)]


def test_pending_contacts_drop_out_of_the_breakdown_on_their_update_date(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    _contacts(cli, tmp_path)
    breakdown = marketing_breakdown(engine, today=date(2026, 12, 1))
    assert breakdown.by_source == [("import", 4), ("bulk_action", 2)]
    assert breakdown.by_stage == [("lead", 4), ("customer", 2)]


def test_an_empty_account_has_an_empty_breakdown(engine: Engine) -> None:
    breakdown = marketing_breakdown(engine, today=TODAY)
    assert (breakdown.marketing, breakdown.by_source, breakdown.by_stage) == (0, [], [])
