"""``kill -9`` in the middle of ``python -m core hubspot sync`` (a real process against the local HubSpot of
tests/hubspot_fake.py): what it wrote stays, and the next sync resumes and ends with every contact once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.settings import HUBSPOT_TOKEN_ENV, HUBSPOT_URL_ENV
from core.store.engine import make_engine
from core.store.schema import contacts, hubspot_syncs
from tests.conftest import TODAY, Cli
from tests.hubspot_fake import fill, running

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "pat-kill-0000"


def test_a_sync_killed_mid_way_resumes_and_ends_with_every_contact_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = f"sqlite:///{tmp_path}/kill.db"
    Cli(db)("init")
    engine = make_engine(db)
    with running(TOKEN) as (url, hubspot):
        fill(hubspot, 4_000)
        hubspot.delay = 0.05
        env = {**os.environ, HUBSPOT_TOKEN_ENV: TOKEN, HUBSPOT_URL_ENV: url, "MARKETABLE_TODAY": TODAY.isoformat()}
        process = subprocess.Popen(
            [sys.executable, "-m", "core", "--db", db, "hubspot", "sync"], cwd=ROOT, env=env, stdout=subprocess.PIPE
        )
        deadline = time.monotonic() + 60
        written = 0
        while time.monotonic() < deadline and written < 1_000:  # at least one batch written, far from the end
            time.sleep(0.05)
            with engine.connect() as conn:
                written = conn.execute(select(func.count()).select_from(contacts)).scalar_one()
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        with engine.connect() as conn:
            kept = conn.execute(select(func.count()).select_from(contacts)).scalar_one()
            status, after = conn.execute(select(hubspot_syncs.c.status, hubspot_syncs.c.after)).one()
        assert 1_000 <= kept < 4_000 and kept % 1_000 == 0, "whole batches only"
        assert status == "running" and after == str(kept + 1), "the cursor is the page after the last one written"
        hubspot.delay = 0
        monkeypatch.setenv(HUBSPOT_TOKEN_ENV, TOKEN)
        monkeypatch.setenv(HUBSPOT_URL_ENV, url)
        result = Cli(db)("hubspot", "sync")
    assert result["resumed"] and result["fetched"] == 4_000 and result["created"] == 4_000
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(contacts)).scalar_one() == 4_000
        assert conn.execute(select(func.count(func.distinct(contacts.c.hubspot_id)))).scalar_one() == 4_000
    engine.dispose()
