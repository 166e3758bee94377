"""Import preview on SQLite and PostgreSQL: what an import would do, computed without writing anything."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict

import pytest
from sqlalchemy import Engine

from core.services.imports.preview import column_mapping, preview_import, rejected_lines_csv
from core.services.imports.service import Consent, import_csv
from tests.conftest import TODAY
from tests.factories import add_contacts, snapshot
from tests.helpers import csv_text

ROWS = [
    ["new1@example.com", "Ann", "One", "lead", "Marketing contact", "", "", ""],
    ["new2@example.com", "Bob", "Two", "", "", "", "", ""],
    ["m0@example.com", "", "", "", "Non-marketing contact", "", "", ""],
    ["p0@example.com", "", "", "", "Marketing contact", "", "", ""],
    ["n0@example.com", "", "", "", "Marketing contact", "", "", ""],
    ["not-an-email", "", "", "", "", "", "", ""],
    ["new3@example.com", "", "", "", "Non-marketing contact", "true", "", ""],
]


@pytest.mark.parametrize("as_marketing", [False, True])
def test_the_preview_predicts_the_import_exactly_and_writes_nothing(engine: Engine, as_marketing: bool) -> None:
    add_contacts(engine, 1, state="marketing", prefix="m")
    add_contacts(engine, 1, state="pending", prefix="p")
    add_contacts(engine, 1, state="non_marketing", prefix="n")
    data = csv_text(ROWS).encode()
    before = snapshot(engine)
    preview = preview_import(engine, data, today=TODAY, as_marketing=as_marketing)
    assert snapshot(engine) == before, "a preview writes nothing"
    result = import_csv(engine, data, today=TODAY, actor="t", as_marketing=as_marketing, consent=Consent(undo=True))
    predicted = (preview.created, preview.updated, preview.made_marketing, preview.scheduled, preview.undone)
    assert predicted == (result.created, result.updated, result.made_marketing, result.scheduled, result.undone)
    assert preview.rejected == result.rejected
    assert [r["line"] for r in preview.rejected] == [7, 8]
    assert (preview.tier_limit_before, preview.tier_limit_after) == (result.tier_limit_before, result.tier_limit_after)
    assert preview.marketing_after == preview.marketing_before + result.made_marketing
    assert preview.valid_rows == 5 and preview.effective_on is not None
    assert preview.first_rows[0]["Email"] == "new1@example.com" and len(preview.first_rows) == 7


def test_the_preview_shows_when_an_import_would_raise_the_tier(engine: Engine) -> None:
    add_contacts(engine, 1999, state="marketing", prefix="full")
    rows = [[f"x{i}@example.com", "", "", "", "", "", "", ""] for i in range(3)]
    quiet = preview_import(engine, csv_text(rows).encode(), today=TODAY)
    assert not quiet.tier_goes_up and quiet.made_marketing == 0
    loud = preview_import(engine, csv_text(rows).encode(), today=TODAY, as_marketing=True)
    assert loud.tier_goes_up and (loud.tier_limit_before, loud.tier_limit_after) == (2000, 7000)
    assert (loud.monthly_price_before, loud.monthly_price_after, loud.currency) == (890, 1140, "USD")
    assert asdict(loud)["marketing_after"] == 2002


def test_the_column_mapping_says_what_each_column_fills() -> None:
    mapping = dict(column_mapping(["Record ID", "email", "Shoe size", "Original source", "Email"]))
    assert mapping["email"].startswith("Email (required")
    assert mapping["Record ID"].startswith("Record ID (matches contacts first")
    assert mapping["Shoe size"] == "ignored: unknown column"
    assert mapping["Original source"] == "not imported: export-only column"


def test_the_rejected_lines_download_keeps_each_lines_cells_and_reason() -> None:
    data = csv_text(ROWS).encode()
    rejected = [{"line": 7, "reason": "invalid email 'not-an-email'"}, {"line": 8, "reason": "contradictory"}]
    rows = list(csv.reader(io.StringIO(rejected_lines_csv(data, rejected).decode())))
    assert rows[0][:3] == ["Line", "Reason", "Email"]
    assert rows[1][:3] == ["7", "invalid email 'not-an-email'", "not-an-email"]
    assert rows[2][:3] == ["8", "contradictory", "new3@example.com"]
