"""Bad input is always a clear error (issue 11, findings 6-8 and 10), on SQLite and PostgreSQL: each input that once
gave a traceback, a raw driver message or a silent loss exits 2 with one line on stderr and writes nothing, or
rejects its rows with their line and reason."""

from __future__ import annotations

import io
import json
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from sqlalchemy import Engine

from core.cli import main, run
from core.errors import DomainError
from core.services.imports.service import import_csv
from core.services.setup import MAX_DEMO_CONTACTS, init
from tests.conftest import TODAY, Cli
from tests.factories import add_contacts, contact, snapshot, write_csv

DEEP = "[" * 20_000 + "]" * 20_000
BIG = str(2**63)


def refused(cli: Cli, engine: Engine, *args: str) -> str:
    """Run a command that must be refused: exit 2, one line on stderr (as the process prints it), nothing written."""
    before = snapshot(engine)
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--db", cli.url, *args])
    assert code == 2, f"exit {code}: {err.getvalue()}"
    assert out.getvalue() == ""
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err.getvalue()
    assert snapshot(engine) == before, "a refused command wrote"
    return lines[0]


FINDING_6 = {
    "20,000-deep JSON filter": ["set-status", "--to", "marketing", "--filter", DEEP],
    "a list as a filter property": [
        "set-status",
        "--to",
        "marketing",
        "--filter",
        '[{"property": ["email"], "operator": "eq", "value": "a"}]',
    ],
    "an object as a filter operator": [
        "delete-contacts",
        "--filter",
        '[{"property": "email", "operator": {"x": 1}, "value": "a"}]',
    ],
    "an id above 2^63 (--ids)": ["set-status", "--to", "marketing", "--ids", BIG],
    "an id above 2^63 (contacts show)": ["contacts", "show", "--id", BIG],
    "a limit above 2^63 (contacts page)": ["contacts", "page", "--limit", BIG],
    "a page above 2^63 (audit)": ["audit", "--page", BIG],
    "a limit above 2^63 (workflows log)": ["workflows", "log", "--limit", BIG],
    "a workflow id above 2^63": ["workflows", "show", BIG],
    "non-ASCII digits in --ids": ["set-status", "--to", "marketing", "--ids", "١٢"],
    "non-ASCII digits in --id": ["contacts", "show", "--id", "١"],
    "a batch size of 0": ["workflows", "run", "--batch-size", "0"],
    "a pause that is not a number": ["workflows", "run", "--pause", "nan"],
    "a demo of 999,999,999,999 contacts": ["init", "--demo", "999999999999"],
    "101 filter conditions": [
        "contacts",
        "page",
        "--filter",
        json.dumps([{"property": "email", "operator": "contains", "value": "a"}] * 101),
    ],
}


@pytest.mark.parametrize("args", list(FINDING_6.values()), ids=list(FINDING_6))
def test_each_input_that_gave_a_traceback_exits_2_with_one_line_and_writes_nothing(
    cli: Cli, engine: Engine, args: list[str]
) -> None:
    add_contacts(engine, 3)
    refused(cli, engine, *args)


@pytest.mark.parametrize("content", ["[1]", "null", DEEP, '"text"', "{"], ids=["list", "null", "deep", "text", "cut"])
def test_a_workflow_file_that_is_not_an_object_exits_2(cli: Cli, engine: Engine, tmp_path: Path, content: str) -> None:
    path = write_csv(tmp_path / "flow.json", content)
    message = refused(cli, engine, "workflows", "create", "--file", path)
    assert "flow.json" in message


def test_9999_12_31_in_a_filter_or_audit_until_is_an_ordinary_day(cli: Cli, engine: Engine) -> None:
    add_contacts(engine, 4)
    for operator, expected in (("before", 4), ("after", 0), ("eq", 0)):
        condition = [{"property": "created_at", "operator": operator, "value": "9999-12-31"}]
        page = cli("contacts", "page", "--filter", json.dumps(condition))
        assert page["matching"]["total"] == expected, operator
    cli("lists", "create", "--name", "VIP")  # one entry in the audit
    assert cli("audit", "--until", "9999-12-31")["total"] == 1
    assert cli("audit", "--since", "9999-12-31")["total"] == 0


def test_a_10000_condition_workflow_is_refused_when_saved_on_both_engines(cli: Cli, engine: Engine) -> None:
    criteria = json.dumps([{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}] * 10_000)
    message = refused(
        cli, engine, "workflows", "create", "--name", "big", "--filter", criteria, "--action", "add_to_list:x"
    )
    assert "at most 100 conditions" in message


def test_csv_dates_whose_offset_leaves_years_1_to_9999_are_rejected_rows(
    cli: Cli, engine: Engine, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "offsets.csv",
        "Email,Create Date\n"
        "early@x.com,0001-01-01T00:00:00+05:00\n"
        "late@x.com,9999-12-31T23:00:00-05:00\n"
        "fine@x.com,2026-01-02T10:00:00+01:00\n",
    )
    result = cli("import", path)
    assert result["created"] == 1
    assert [r["line"] for r in result["rejected"]] == [2, 3]
    assert all("out of range" in r["reason"] for r in result["rejected"])


def test_values_that_outgrow_their_column_once_lower_cased_are_rejected_rows_never_a_driver_message(
    cli: Cli, engine: Engine, tmp_path: Path
) -> None:
    long_email = "İ" * 64 + "@" + "e" * 185 + ".com"  # 254 characters; 318 once lower-cased
    assert len(long_email) == 254 and len(long_email.lower()) > 254
    path = write_csv(
        tmp_path / "long.csv",
        "Email,Lifecycle Stage,First Name\n"
        f"stage@x.com,{'İ' * 40},A\n"
        f"{long_email},lead,B\n"
        f"name@x.com,lead,{'İ' * 100}\n",
    )
    result = cli("import", path)
    assert result["created"] == 1
    reasons = {r["line"]: r["reason"] for r in result["rejected"]}
    assert set(reasons) == {2, 3}
    assert "longer than 40" in reasons[2]
    assert contact(engine, "name@x.com")["first_name"] == "İ" * 100  # not lowered: it fits


def test_an_upload_named_with_more_than_100_characters_imports(engine: Engine) -> None:
    name = "q" * 150 + ".csv"
    result = import_csv(engine, b"Email\nlong-name@x.com\n", today=TODAY, actor="test", file_name=name)
    assert result.created == 1 and not result.rejected


def test_a_quote_left_open_rejects_the_rows_it_swallowed_naming_its_line(
    cli: Cli, engine: Engine, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "open.csv", 'Email,First Name\na13@x.com,"Bob\nb13@x.com,B\nc13@x.com,C')
    result = cli("import", path)
    assert result["created"] == 0
    assert len(result["rejected"]) == 1
    assert result["rejected"][0]["line"] == 2
    assert "quote opened on line 2 is never closed" in result["rejected"][0]["reason"]
    assert "lines 2 to 4" in result["rejected"][0]["reason"]


def test_a_quote_left_open_in_the_header_is_an_error(cli: Cli, engine: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "open.csv", 'Email,"First Name\na13@x.com,Bob\n')
    assert "never closed" in refused(cli, engine, "import", path)


def test_years_below_1000_export_padded_and_import_again(cli: Cli, engine: Engine, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "old.csv", "Email,Create Date\nold@x.com,0999-01-02 03:04:05\n")
    assert cli("import", source)["created"] == 1
    exported = tmp_path / "out.csv"
    cli("export", str(exported))
    assert "0999-01-02 03:04:05" in exported.read_text(encoding="utf-8")
    result = cli("import", str(exported))
    assert result["rejected"] == [] and result["updated"] == 1


def test_init_with_a_huge_demo_is_refused_at_once_without_taking_the_write_lock(cli: Cli, engine: Engine) -> None:
    started = time.perf_counter()
    code, _, message = run(["--db", cli.url, "init", "--demo", "999999999999"])
    assert code == 2 and message and "10,000,000" in message
    assert time.perf_counter() - started < 10
    with pytest.raises(DomainError, match="demo size"):
        init(engine, today=TODAY, actor="test", demo=MAX_DEMO_CONTACTS + 1)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://kim:p@ss-w0rd@127.0.0.1:1/db",
        "postgresql://kim:top@secret@no-such-host.invalid/db",
        "postgres://k@m:s3cr@t@127.0.0.1:1/db",
    ],
)
def test_a_password_with_an_unencoded_at_sign_never_shows_in_messages(url: str) -> None:
    code, _, message = run(["--db", url, "usage"])
    assert code == 2 and message
    for secret in ("p@ss", "ss-w0rd", "top", "secret", "s3cr", "@t@"):
        assert secret not in message, message
    assert "%40" in message


def test_a_date_far_in_the_future_simulates_or_is_refused_in_one_line(cli: Cli, engine: Engine) -> None:
    code, _, message = run(["--db", cli.url, "simulate", "--on", "9999-12-31"])
    assert code in (0, 2)
    assert code == 0 or (message and "\n" not in message)
