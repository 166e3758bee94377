"""`python -m core` as cron and scripts run it: a real process, one JSON object on stdout, one line on stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, db: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "core"]
    if db:
        command += ["--db", db, "--today", "2026-11-26"]
    return subprocess.run(
        [*command, *args], cwd=ROOT, capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin"}
    )


def one_json(result: subprocess.CompletedProcess[str]) -> dict:
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    data = json.loads(lines[0])
    assert isinstance(data, dict)
    return data


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/cli.db"


def test_a_session_of_commands_prints_one_json_object_each_and_exits_0(db: str, tmp_path: Path) -> None:
    csv_path = tmp_path / "in.csv"
    csv_path.write_text(
        "Email,Marketing contact status\na@example.com,Marketing contact\nb@example.com,Marketing contact\nbad,\n"
    )
    init = run("init", "--edition", "starter", db=db)
    assert init.returncode == 0 and init.stderr == ""
    assert one_json(init)["contacts"] == 0
    imported = run("import", str(csv_path), db=db)
    assert imported.returncode == 0
    assert one_json(imported)["rejected"] == [{"line": 4, "reason": "invalid email 'bad'"}]
    changed = one_json(run("set-status", "--to", "non-marketing", "--emails", "a@example.com", db=db))
    assert (changed["scheduled"], changed["effective_on"]) == (1, "2026-12-01")
    usage = one_json(run("usage", db=db))
    assert (usage["marketing"], usage["pending"], usage["tier_limit"]) == (2, 1, 1_000)
    simulated = one_json(run("simulate", db=db))
    assert (simulated["marketing"], simulated["became_non_marketing"]) == (1, 1)
    assert one_json(run("apply-updates", db=db))["applied"] == []
    assert one_json(run("export", str(tmp_path / "out.csv"), db=db))["exported"] == 2


def test_a_tier_upgrade_without_consent_exits_3_with_the_json_on_stdout_and_one_line_on_stderr(
    db: str, tmp_path: Path
) -> None:
    run("init", "--edition", "starter", db=db)
    rows = "".join(f"c{i}@example.com\n" for i in range(1_001))
    (tmp_path / "in.csv").write_text("Email\n" + rows)
    run("import", str(tmp_path / "in.csv"), db=db)
    result = run("set-status", "--to", "marketing", "--all", db=db)
    assert result.returncode == 3
    data = one_json(result)
    assert (data["tier_limit_before"], data["tier_limit_after"], data["changed"]) == (1_000, 2_000, 1_001)
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert one_json(run("usage", db=db))["marketing"] == 0


def test_expect_changes_refuses_a_change_that_grew_with_exit_3_and_the_new_figures_on_stdout(
    db: str, tmp_path: Path
) -> None:
    run("init", "--edition", "starter", db=db)
    (tmp_path / "a.csv").write_text("Email\na@example.com\nb@example.com\nc@example.com\n")
    (tmp_path / "b.csv").write_text("Email\nd@example.com\ne@example.com\n")
    run("import", str(tmp_path / "a.csv"), db=db)
    planned = one_json(run("set-status", "--to", "marketing", "--all", "--dry-run", db=db))["will_change"]
    run("import", str(tmp_path / "b.csv"), db=db)  # someone else, meanwhile
    result = run("set-status", "--to", "marketing", "--all", "--expect-changes", str(planned), db=db)
    assert result.returncode == 3
    data = one_json(result)
    assert (data["will_change"], data["differences"]) == (5, ["3 contacts were confirmed, 5 would now change"])
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert one_json(run("usage", db=db))["marketing"] == 0


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One initialised database shared by the bad-input cases (none of them may write)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('cli')}/shared.db"
    assert run("init", db=url).returncode == 0
    return url


def test_a_database_never_initialised_exits_2_saying_to_run_init(db: str) -> None:
    result = run("usage", db=db)
    assert result.returncode == 2
    assert "init" in one_line_error(result)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["set-status", "--to", "marketing", "--ids", "12345"], id="an unknown id"),
        pytest.param(["set-status", "--to", "marketing", "--filter", "{oops"], id="bad filter JSON"),
        pytest.param(["simulate", "--on", "2026-01-01"], id="a simulation in the past"),
        pytest.param(["frobnicate"], id="an unknown command"),
        pytest.param(["import", "/nonexistent/in.csv"], id="a missing import file"),
        pytest.param(["export", "/nonexistent/dir/out.csv"], id="an export into a missing folder"),
    ],
)
def test_bad_input_exits_2_with_one_line_on_stderr_and_never_a_traceback(initialised: str, args: list[str]) -> None:
    result = run(*args, db=initialised)
    assert result.returncode == 2
    one_line_error(result)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--db", "nonsense", "usage"], id="not a URL"),
        pytest.param(["--db", "nonsense", "init"], id="init on something that is not a URL"),
        pytest.param(["--db", "foo://localhost/db", "usage"], id="an unknown database kind"),
        pytest.param(["--db", "postgresql://nobody@127.0.0.1:1/none", "usage"], id="a server that does not answer"),
    ],
)
def test_a_bad_database_url_exits_2_with_one_line_and_never_a_traceback(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 2
    one_line_error(result)


def test_a_bad_global_date_exits_2(db: str) -> None:
    result = run("--db", db, "--today", "26/11/2026", "usage")
    assert result.returncode == 2
    assert "YYYY-MM-DD" in one_line_error(result)
