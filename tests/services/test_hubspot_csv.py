"""The CSV round trip with HubSpot (issue 12; docs/domain.md §11) through the command line, on SQLite and
PostgreSQL: HubSpot's labels and internal names, Record IDs, stale files, consent, the export for people."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, func, select

from core.services.breakdown import marketing_breakdown
from core.store.schema import contacts
from tests.conftest import TODAY, Cli
from tests.helpers import csv_text

HUBSPOT = ("Record ID", "Email", "Lifecycle Stage", "Marketing contact status")


def _import(cli: Cli, tmp_path: Path, content: str, *extra: str, expect: int = 0) -> dict:
    path = tmp_path / "in.csv"
    path.write_text(content, encoding="utf-8")
    return cli("import", str(path), *extra, expect=expect)


def _stages(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(select(contacts.c.lifecycle_stage, func.count()).group_by(contacts.c.lifecycle_stage))
        return {str(stage): int(n) for stage, n in rows}


def test_hubspots_label_and_internal_name_are_one_stage(engine: Engine, cli: Cli, tmp_path: Path) -> None:
    rows = [
        ("", "a@example.com", "Marketing Qualified Lead", "Marketing contact"),
        ("", "b@example.com", "marketingqualifiedlead", "Marketing contact"),
        ("", "c@example.com", "MARKETING QUALIFIED LEAD", "Marketing contact"),
        ("", "d@example.com", "Partner", "Marketing contact"),  # a custom stage: kept
    ]
    assert _import(cli, tmp_path, csv_text(rows, header=HUBSPOT))["created"] == 4
    assert _stages(engine) == {"marketingqualifiedlead": 3, "partner": 1}
    assert dict(marketing_breakdown(engine, today=TODAY).by_stage) == {"marketingqualifiedlead": 3, "partner": 1}
    for value in ("Marketing Qualified Lead", "marketingqualifiedlead", "MQL"):  # a filter takes either form
        spec = json.dumps([{"property": "lifecycle_stage", "operator": "eq", "value": value}])
        assert cli("contacts", "page", "--filter", spec)["matching"]["total"] == 3, value
