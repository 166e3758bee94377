"""`python -m core` as a real process at the edges (issue 11, finding 10): a reader that closes the pipe early is not
an error, and reads work on a database in a read-only folder or file system (SQLite)."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENV = {"PATH": "/usr/bin:/bin", "MARKETABLE_TODAY": "2026-11-26"}


def core(*args: str) -> list[str]:
    return [sys.executable, "-m", "core", *args]


@pytest.fixture
def database(tmp_path: Path) -> Path:
    folder = tmp_path / "db"
    path = folder / "m.db"
    done = subprocess.run(
        core("--db", f"sqlite:///{path}", "init", "--start-date", "2026-01-15", "--demo", "40"),
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return path


def test_an_import_whose_reader_left_early_exits_0_without_a_traceback(database: Path, tmp_path: Path) -> None:
    source = tmp_path / "c.csv"
    source.write_text("Email\n" + "".join(f"p{i}@x.com\n" for i in range(2_000)), encoding="utf-8")
    process = subprocess.Popen(
        core("--db", f"sqlite:///{database}", "import", str(source)),
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # as `| head -c 1` does once it has its byte: here before anything is written
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0, err
    assert err == "", err
    usage = subprocess.run(
        core("--db", f"sqlite:///{database}", "usage"), cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=60
    )
    assert json.loads(usage.stdout)["total"] == 2_040  # the import committed


def _read_only(folder: Path, commands: list[list[str]]) -> list[subprocess.CompletedProcess[str]]:
    """Run each command with ``folder`` read-only: a read-only bind mount in a mount namespace of its own when
    running as root (root writes through file modes), else the folder's and files' write bits removed."""
    if os.geteuid() != 0:
        for path in [folder, *folder.iterdir()]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            return [subprocess.run(c, cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120) for c in commands]
        finally:
            for path in [folder, *folder.iterdir()]:
                path.chmod(0o755 if path.is_dir() else 0o644)
    if not shutil.which("unshare"):
        pytest.fail("running as root, a read-only folder needs unshare(1) and mount(8)")
    results = []
    for command in commands:
        script = (
            f"mount --bind -o ro {shlex.quote(str(folder))} {shlex.quote(str(folder))} && exec {shlex.join(command)}"
        )
        results.append(
            subprocess.run(
                ["unshare", "-m", "sh", "-c", script], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120
            )
        )
    return results


def test_reads_work_on_a_database_in_a_read_only_folder_and_a_write_is_one_clear_line(
    database: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{database}"
    exported = tmp_path / "out.csv"
    folder = database.parent
    before = sorted(p.name for p in folder.iterdir())
    started = time.time()
    usage, audit, export, page, write = _read_only(
        folder,
        [
            core("--db", url, "usage"),
            core("--db", url, "audit"),
            core("--db", url, "export", str(exported)),
            core("--db", url, "contacts", "page", "--limit", "5"),
            core("--db", url, "lists", "create", "--name", "VIP"),
        ],
    )
    for done in (usage, audit, export, page):
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
    assert json.loads(usage.stdout)["total"] == 40
    assert json.loads(export.stdout)["exported"] == 40
    assert len(exported.read_text(encoding="utf-8").splitlines()) == 41
    assert write.returncode == 2
    assert write.stderr.count("\n") == 1 and "readonly" in write.stderr and "Traceback" not in write.stderr
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing created beside the database
    assert time.time() - started < 120
