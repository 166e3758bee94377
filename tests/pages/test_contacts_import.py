"""Import and export in the browser (AppTest): preview, mapping, the spike check, the report, and a round trip."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import Cli
from tests.factories import add_contacts, state_of
from tests.helpers import csv_text
from tests.pages.contacts_app import known_database, open_contacts

IMPORT = "pages/contacts/import_contacts.py"
GOOD_AND_BAD = [
    ["ada@example.com", "Ada", "Lovelace", "lead", "Marketing contact", "", "", ""],
    ["oops-at-example.com", "Bad", "Row", "", "", "", "", ""],
    ["m0@example.com", "", "", "customer", "Non-marketing contact", "", "", ""],
]


def _upload(at: AppTest, data: bytes, name: str = "contacts.csv") -> None:
    at.file_uploader(key="imp_file").set_value((name, data, "text/csv"))
    at.run()
    assert not at.exception, at.exception


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_an_import_with_a_bad_row_reports_that_line(open_app: Callable[..., AppTest], app_env: str) -> None:
    engine = known_database(app_env)
    at = open_app(IMPORT)
    _upload(at, csv_text(GOOD_AND_BAD).encode())
    shown = _metrics(at)
    assert (shown["Rows to import"], shown["New contacts"], shown["Existing contacts updated"]) == ("2", "1", "1")
    assert (shown["Rejected rows"], shown["Become marketing"], shown["Scheduled non-marketing"]) == ("1", "1", "1")
    mapping = at.dataframe[1].value
    assert dict(zip(mapping["Column in the file"], mapping["Imported as"], strict=True))["Email"].startswith("Email")
    assert list(at.dataframe[0].value["Email"]) == [r[0] for r in GOOD_AND_BAD]
    before = at.dataframe[2].value  # listed before anything is imported
    assert list(before["Line"]) == [3] and "invalid email" in before["Reason"][0]
    at.button(key="imp_run").click().run()
    report = _metrics(at)
    assert (report["Created"], report["Updated"], report["Rejected"]) == ("1", "1", "1")
    rejected = at.dataframe[0].value
    assert list(rejected["Line"]) == [3] and "invalid email" in rejected["Reason"][0]
    assert at.get("download_button")[0].proto.label == "Download the rejected lines (CSV)"
    assert state_of(engine, "ada@example.com") == "marketing"
    assert state_of(engine, "m0@example.com") == "pending"


def test_an_import_that_would_raise_the_tier_says_so_and_waits_for_consent(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    engine = known_database(app_env)
    add_contacts(engine, 1992, state="marketing", prefix="full")  # 2,000 marketing: the tier is full
    at = open_app(IMPORT)
    rows = [[f"x{i}@example.com", "", "", "", "", "", "", ""] for i in range(3)]
    _upload(at, csv_text(rows).encode())
    assert not at.button(key="imp_run").disabled, "nothing becomes marketing: no consent needed"
    at.checkbox(key="imp_marketing").check().run()
    assert "raises the billed tier from **2,000** to **7,000**" in at.warning[0].value
    assert at.button(key="imp_run").disabled
    at.checkbox(key="imp_consent").check().run()
    at.button(key="imp_run").click().run()
    assert Cli(app_env)("usage")["tier_limit"] == 7000


COMPARED = ("Email", "First Name", "Last Name", "Lifecycle Stage", "Create Date", "Last Activity Date")
COMPARED += ("Marketing contact status", "Marketing contact until next update", "Email hard bounce reason")
COMPARED += ("Unsubscribed from all email", "Non-marketing effective on")


def _state(data: bytes) -> list[tuple[str, ...]]:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    return sorted(tuple(r[c] for c in COMPARED) for r in rows)


def test_an_export_re_imports_to_the_same_state(
    open_app: Callable[..., AppTest], app_env: str, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_contacts(open_app)  # the demo database: all three states, dates, bounces
    at.radio(key="ct_scope").set_value("all").run()
    at.button(key="ct_export_prepare").click().run()
    exported: bytes = at.session_state["ct_export"].data
    assert at.get("download_button")[0].proto.label.startswith("Download 3,000 contacts")
    fresh = f"sqlite:///{tmp_path}/fresh.db"
    Cli(fresh)("init", "--start-date", "2026-01-30")  # annual like the demo account: the same update dates
    monkeypatch.setenv("MARKETABLE_DB_URL", fresh)
    imported = open_app(IMPORT)
    _upload(imported, exported, "export.csv")
    imported.button(key="imp_run").click().run()
    assert {m.label: m.value for m in imported.metric}["Created"] == "3,000"
    out = tmp_path / "again.csv"  # type: ignore[operator]
    Cli(fresh)("export", str(out))
    assert _state(out.read_bytes()) == _state(exported)
    first, second = Cli(app_env)("usage"), Cli(fresh)("usage")
    assert (first["marketing"], first["pending"], first["total"]) == (
        second["marketing"],
        second["pending"],
        second["total"],
    )


def test_an_export_prepared_before_a_change_is_not_offered_after_it(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    at = open_contacts(open_app)
    at.radio(key="ct_scope").set_value("all").run()
    at.button(key="ct_export_prepare").click().run()
    before = _state(at.session_state["ct_export"].data)
    at.run()
    assert at.get("download_button"), "nothing changed: the file is still offered"
    changed = Cli(app_env)("set-status", "--to", "marketing", "--unengaged")  # elsewhere: another process
    assert changed["changed"] > 0
    at.run()
    assert not at.get("download_button"), "the file is stale: the user must prepare it again"
    at.button(key="ct_export_prepare").click().run()
    assert _state(at.session_state["ct_export"].data) != before
