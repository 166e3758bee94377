"""Why is my count this number: marketing contacts by what made them marketing and by lifecycle stage."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from core.rules.selection import Selection
from core.services import wizard
from core.services.breakdown import marketing_breakdown
from core.services.contact_detail import find_contact_id, get_contact
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
    assert breakdown.by_source == [("import", 5), ("bulk_action", 2)], "the import made the pending one marketing"
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


def test_why_this_number_never_credits_a_tool_that_scheduled_contacts_to_leave(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    """Issue 13: the wizard and a workflow had scheduled contacts to leave, and the breakdown credited them."""
    import_rows(cli, tmp_path, [person(n, stage="lead") for n in range(10)], today=TODAY)
    for n in range(10, 14):
        cli("create-contact", "--email", f"c{n}@example.com", "--source", "form", "--source-id", "contact-us")
    wizard.update_contacts(engine, selection=Selection(emails=("c0@example.com", "c1@example.com")), today=TODAY,
                           actor="ana")  # fmt: skip
    flow = cli("workflows", "create", "--name", "Leave", "--filter", '[{"property": "email", "operator": "eq", '
               '"value": "c10@example.com"}]', "--action", "set_marketing_status:non-marketing")  # fmt: skip
    cli("workflows", "enable", str(flow["id"]))
    cli("workflows", "run")
    cli("set-status", "--to", "marketing", "--emails", emails(1))  # undone: the import still made it marketing
    breakdown = marketing_breakdown(engine, today=TODAY)
    assert breakdown.by_source == [("import", 10), ("form", 4)]
    made: Counter[str] = Counter()
    for n in range(14):
        found = get_contact(engine, contact_id=find_contact_id(engine, text=f"c{n}@example.com"))
        assert found.made_marketing is not None
        made[found.made_marketing.source_type] += 1
        assert "Manage marketing contacts" not in found.reason.split(" Set non-marketing")[0]
    assert sorted(made.items(), key=lambda kv: -kv[1]) == breakdown.by_source, "each contact's page agrees"
    audit = cli("audit", "--limit", "100")["entries"]
    imported = next(e for e in audit if e["kind"] == "import")
    created = [e for e in audit if e["kind"] == "create_contact" and e["source_type"] == "form"]
    assert imported["summary"]["made_marketing"] == dict(breakdown.by_source)["import"], "the audit agrees"
    assert len(created) == dict(breakdown.by_source)["form"]
