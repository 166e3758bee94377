"""Exports neutralise spreadsheet formulas; XSRF protection stays on with an upload limit; no password or
database credential shows in error messages (command line and app)."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import tomllib
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine, insert, select
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from core.rules.csvformat import FORMULA_STARTS
from core.rules.selection import Selection
from core.services.exports import export_bytes
from core.services.imports.service import import_csv
from core.store import states
from core.store.schema import contacts
from tests.conftest import PG_ENV, TODAY
from tests.helpers import csv_text
from tests.resilience.conftest import ROOT

SECRET = "S3cret-Passw0rd-xyz"
FORMULAS = ["=1+1", "+SUM(A1:A9)", "-2+3", "@SUM(A1)", "\tindent", "\rreturn", '=HYPERLINK("http://x","y")']


def test_csv_exports_neutralise_cells_that_start_like_a_formula(engine: Engine) -> None:
    with engine.begin() as conn:  # straight into the store: an import would strip the leading tab and CR
        ids = conn.execute(
            insert(contacts).returning(contacts.c.id),
            [
                {
                    "email": f"f{i}@example.com",
                    "email_lower": f"f{i}@example.com",
                    "first_name": name,
                    "last_name": name,
                    "lifecycle_stage": name,
                    "created_at": datetime(2026, 1, 20),
                    "source_type": "manual",
                    "source_id": name,
                }
                for i, name in enumerate(FORMULAS)
            ],
        ).scalars()
        states.insert_states(conn, [{"contact_id": i, "marketing_status": "non_marketing"} for i in ids])
    exported = list(csv.reader(io.StringIO(export_bytes(engine, selection=Selection()).decode("utf-8"))))
    header = exported[0]
    for column in ("First Name", "Last Name", "Lifecycle Stage", "Original source ID"):
        cells = sorted(r[header.index(column)] for r in exported[1:])
        assert cells == sorted("'" + f for f in FORMULAS), f"{column}: each formula cell gets a leading apostrophe"
    assert not [cell for row in exported for cell in row if cell.startswith(FORMULA_STARTS)]


def test_an_exported_formula_cell_imports_back_as_the_original_text(engine: Engine) -> None:
    names = [f for f in FORMULAS if not f[0].isspace()]  # the import strips surrounding whitespace
    rows = [(f"f{i}@example.com", name, name, "", "", "", "", "") for i, name in enumerate(names)]
    assert import_csv(engine, csv_text(rows).encode(), today=TODAY, actor="test").created == len(names)
    again = import_csv(engine, export_bytes(engine, selection=Selection()), today=TODAY, actor="test")
    assert (again.created, again.updated, again.rejected) == (0, len(names), [])
    with engine.connect() as conn:
        assert sorted(conn.execute(select(contacts.c.first_name)).scalars()) == sorted(names)


def _config() -> dict[str, Any]:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def test_xsrf_protection_stays_on_uploads_are_limited_and_the_server_listens_locally() -> None:
    server = _config()["server"]
    assert server["enableXsrfProtection"] is True
    assert 1 <= server["maxUploadSize"] <= 200, "megabytes"
    assert server["address"] == "127.0.0.1", "local mode: reachable from this machine only"
    assert "enableCORS" not in server or server["enableCORS"] is True


def test_streamlit_reads_the_same_security_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit import config

    monkeypatch.chdir(ROOT)
    config.get_config_options(force_reparse=True)
    try:
        assert config.get_option("server.enableXsrfProtection") is True
        assert config.get_option("server.maxUploadSize") == _config()["server"]["maxUploadSize"]
        assert config.get_option("server.address") == "127.0.0.1"
    finally:
        config.get_config_options(force_reparse=True)


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core", "--db", url, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "MARKETABLE_DB_URL": ""},
    )


def _bad_urls() -> list[str]:
    urls = [f"postgresql://marketable:{SECRET}@127.0.0.1:1/marketable"]  # nothing listens on port 1
    server = os.environ.get(PG_ENV)
    if server:  # a real server, a user that does not exist, a wrong password
        parsed = make_url(server).set(username="intruder", password=SECRET)
        urls.append(parsed.render_as_string(hide_password=False))
    return urls


@pytest.mark.parametrize("command", [["usage"], ["init"], ["set-status", "--to", "marketing", "--unengaged"]])
def test_a_database_url_with_a_wrong_password_never_shows_the_password(command: list[str]) -> None:
    for url in _bad_urls():
        result = _cli(url, *command)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("error: "), result.stderr
        assert "Traceback" not in result.stderr
        assert SECRET not in result.stderr + result.stdout
        assert "***" in result.stderr or "intruder" in result.stderr or "connect" in result.stderr.lower()


def test_the_app_shows_no_password_when_the_database_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARKETABLE_DB_URL", _bad_urls()[0])
    monkeypatch.setenv("MARKETABLE_TODAY", TODAY.isoformat())
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    shown = " ".join(
        [str(e.value) for e in at.exception]
        + [" ".join(e.stack_trace) for e in at.exception]
        + [str(getattr(e, "value", "")) for e in at.main]
    )
    assert at.exception, "the page reports that the database cannot be reached"
    assert SECRET not in shown
