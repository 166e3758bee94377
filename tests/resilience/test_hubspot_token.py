"""The HubSpot access token is never stored, logged or shown (docs/domain.md §12): a sync with every logger at
DEBUG, the whole database afterwards, the command line's output and errors, and HubSpot's error bodies."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from core.settings import HUBSPOT_TOKEN_ENV, HUBSPOT_URL_ENV, hubspot_token
from core.store.schema import metadata
from tests.conftest import Cli
from tests.hubspot_fake import HubSpotState, running

TOKEN = "pat-na1-0badc0de-1234-5678-9abc-def012345678"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hubspot(monkeypatch: pytest.MonkeyPatch) -> Iterator[HubSpotState]:
    with running(TOKEN) as (url, state):
        monkeypatch.setenv(HUBSPOT_TOKEN_ENV, TOKEN)
        monkeypatch.setenv(HUBSPOT_URL_ENV, url)
        state.add_contact(1, email="a@example.com", hs_marketable_status=True)
        state.add_contact(2, email="b@example.com")
        yield state


def _database_text(engine: Engine) -> str:
    with engine.connect() as conn:
        return "\n".join(repr(row) for t in metadata.sorted_tables for row in conn.execute(select(t)))


def test_a_sync_logs_stores_and_prints_no_token(
    cli: Cli,
    engine: Engine,
    hubspot: HubSpotState,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    hubspot.fail(429, retry_after="0")
    hubspot.fail(500)
    with caplog.at_level(logging.DEBUG):
        result = cli("hubspot", "sync")
        status = cli("hubspot", "status")
    assert result["created"] == 2 and result["retries"] == 2
    assert status["token_configured"] is True
    assert caplog.records, "the log was captured (the client itself keeps urllib3 at WARNING)"
    captured = capfd.readouterr()
    for text in (
        caplog.text,
        captured.out,
        captured.err,
        json.dumps(result),
        json.dumps(status),
        _database_text(engine),
    ):
        assert TOKEN not in text
        assert TOKEN[8:20] not in text, "not even a part of it"


def test_a_refused_token_exits_2_with_a_message_that_does_not_repeat_it(tmp_path: Path, hubspot: HubSpotState) -> None:
    db = f"sqlite:///{tmp_path}/m.db"
    env = {**os.environ, "MARKETABLE_DB_URL": db, HUBSPOT_TOKEN_ENV: "pat-na1-typo-typo-typo"}
    subprocess.run([sys.executable, "-m", "core", "init"], cwd=ROOT, env=env, check=True, capture_output=True)
    done = subprocess.run(
        [sys.executable, "-m", "core", "hubspot", "sync"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("error: HubSpot refused the access token (401)")
    assert len(done.stderr.strip().splitlines()) == 1
    assert "typo" not in done.stderr and TOKEN not in done.stderr


def test_without_a_token_the_sync_says_where_to_set_one_and_writes_nothing(
    cli: Cli, engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(HUBSPOT_TOKEN_ENV, raising=False)
    monkeypatch.chdir(tmp_path)  # no .streamlit/secrets.toml here
    before = _database_text(engine)
    assert cli("hubspot", "sync", expect=2) is None
    assert "no HubSpot access token: set HUBSPOT_ACCESS_TOKEN" in cli.message
    assert _database_text(engine) == before


@pytest.mark.parametrize(
    ("secrets", "expected"),
    [
        pytest.param(f'HUBSPOT_ACCESS_TOKEN = "{TOKEN}"\n', TOKEN, id="the same key as the environment"),
        pytest.param(f'[hubspot]\naccess_token = " {TOKEN} "\n', TOKEN, id="a hubspot table, spaces trimmed"),
        pytest.param('[hubspot]\naccess_token = ""\n', None, id="an empty token is none"),
        pytest.param("not toml at all [", None, id="an unreadable file is no token"),
    ],
)
def test_the_token_is_read_from_streamlit_secrets_when_the_environment_has_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, secrets: str, expected: str | None
) -> None:
    monkeypatch.delenv(HUBSPOT_TOKEN_ENV, raising=False)
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(secrets, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert hubspot_token() == expected
