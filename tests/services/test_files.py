"""Files written for the user cannot hurt the data (issue 11, finding 3): exports and audit CSVs never overwrite
the database or its journal, and a failed write leaves the previous file as it was."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from core.errors import DomainError
from core.rules.selection import Selection
from core.services import audit, exports, files
from core.services.usage import get_usage
from tests.conftest import TODAY, Cli
from tests.factories import add_contacts


def _db_file(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Engine:
    Cli(sqlite_url)("init", "--start-date", "2026-01-15")
    from core.store.engine import make_engine

    engine = make_engine(sqlite_url)
    add_contacts(engine, 5)
    return engine


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
@pytest.mark.parametrize("command", ["export", "audit"])
def test_an_export_onto_the_database_or_its_journal_is_refused_and_the_database_stays_intact(
    sqlite_url: str, sqlite_engine: Engine, suffix: str, command: str
) -> None:
    target = f"{_db_file(sqlite_url)}{suffix}"
    before = get_usage(sqlite_engine, today=TODAY)
    args = ["export", target] if command == "export" else ["audit", "--csv", target]
    Cli(sqlite_url)(*args, expect=2)
    assert get_usage(sqlite_engine, today=TODAY) == before
    assert Cli(sqlite_url)("usage")["total"] == 5


def test_a_link_to_the_database_is_refused_too(sqlite_url: str, sqlite_engine: Engine, tmp_path: Path) -> None:
    soft, hard = tmp_path / "soft.csv", tmp_path / "hard.csv"
    soft.symlink_to(_db_file(sqlite_url))
    os.link(_db_file(sqlite_url), hard)
    for link in (soft, hard):
        with pytest.raises(DomainError, match="that is the database"):
            exports.write_export(sqlite_engine, link, selection=Selection())
    assert Cli(sqlite_url)("usage")["total"] == 5


def test_a_failed_export_leaves_the_previous_file_and_no_partial_file(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "contacts.csv"
    target.write_text("the previous export\n")
    rows = exports.iter_export_rows

    def full_disk(*args: Any, **kwargs: Any) -> Any:
        for n, row in enumerate(rows(*args, **kwargs)):
            if n == 3:
                raise OSError(28, "No space left on device")
            yield row

    monkeypatch.setattr(exports, "iter_export_rows", full_disk)
    with pytest.raises(OSError, match="No space"):
        exports.write_export(sqlite_engine, target, selection=Selection())
    assert target.read_text() == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir() if ".csv" in p.name] == ["contacts.csv"]


def test_a_complete_export_replaces_the_previous_file(sqlite_engine: Engine, tmp_path: Path) -> None:
    target = tmp_path / "contacts.csv"
    target.write_text("old\n")
    assert exports.write_export(sqlite_engine, target, selection=Selection()) == 5
    assert len(target.read_text().splitlines()) == 6
    assert audit.write_audit_csv(sqlite_engine, tmp_path / "audit.csv") == 0  # a new account has no operation yet
    assert sorted(p.name for p in tmp_path.iterdir() if ".csv" in p.name) == ["audit.csv", "contacts.csv"]


def test_a_folder_or_a_missing_folder_is_a_clear_error(sqlite_engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(DomainError, match="is a folder"):
        files.check_target(sqlite_engine, tmp_path)
    with pytest.raises(DomainError, match="does not exist"):
        files.check_target(sqlite_engine, tmp_path / "nowhere" / "x.csv")


def test_the_protected_files_are_the_embedded_databases_own_and_none_for_a_server(engine: Engine) -> None:
    found = [p.name for p in files.database_files(engine)]
    if engine.url.get_backend_name() == "sqlite":
        assert found == ["marketable.db", "marketable.db-wal", "marketable.db-shm", "marketable.db-journal"]
    else:
        assert found == []
