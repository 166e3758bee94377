"""The HubSpot sync at scale (docs/testing.md, the benchmark): a full sync of N contacts from the local HubSpot of
the tests (tests/hubspot_fake.py, in its own process) against reading the same pages raw (plain HTTP, json, one
executemany of the same contact and contact status rows per page); then an incremental sync of 1 % of them.

Used by scripts/benchmark.py (``--only sync``); runs alone too: .venv/bin/python scripts/bench_sync.py [N]
"""

from __future__ import annotations

import http.client
import json
import os
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.rules.hubspot import PROPERTIES  # noqa: E402
from core.services import setup  # noqa: E402
from core.services.hubspot.client import PAGE_SIZE, HubSpotApi  # noqa: E402
from core.services.hubspot.sync import sync  # noqa: E402
from core.settings import TODAY_ENV  # noqa: E402
from core.store.engine import make_engine  # noqa: E402

TODAY = date(2026, 11, 26)
TOKEN = "pat-bench"
Figures = list[tuple[str, float, float | None, str]]  # name, ours, baseline, target


def _fresh(db: Path) -> str:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{db}")
    setup.init(engine, today=TODAY, actor="bench", start_date=date(2026, 1, 15), edition=None)
    engine.dispose()
    return f"sqlite:///{db}"


def _raw(base: str, db: Path) -> tuple[float, int]:
    """Read every page with plain HTTP and insert its contacts with one executemany per page."""
    _fresh(db)
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    parsed = urlparse(base)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    sql = (
        "INSERT INTO contacts (id, hubspot_id, email, email_lower, first_name, last_name, lifecycle_stage, "
        f"created_at, hard_bounced, unsubscribed_all, source_type, source_id) VALUES ({', '.join('?' * 12)})"
    )
    status_sql = "INSERT INTO contact_status (contact_id, marketing_status, pending_non_marketing) VALUES (?, ?, ?)"
    started, after, requests, next_id = time.perf_counter(), None, 0, 1
    con.execute("BEGIN IMMEDIATE")
    while True:
        query = {"limit": PAGE_SIZE, "properties": ",".join(PROPERTIES), **({"after": after} if after else {})}
        connection.request("GET", f"/crm/v3/objects/contacts?{urlencode(query)}", headers=headers)
        body = json.loads(connection.getresponse().read())
        requests += 1
        rows, statuses = [], []
        for result in body["results"]:
            p = result["properties"]
            created = datetime.fromisoformat(p["createdate"]).astimezone(UTC).replace(tzinfo=None)
            rows.append(
                (
                    next_id,
                    int(result["id"]),
                    p["email"],
                    p["email"].lower(),
                    p["firstname"],
                    p["lastname"],
                    p["lifecyclestage"],
                    created.isoformat(" "),
                    bool(p["hs_email_hard_bounce_reason_enum"]),
                    p["hs_email_optout"] == "true",
                    "integration",
                    "hubspot",
                )
            )
            marketing = "marketing" if p["hs_marketable_status"] == "true" else "non_marketing"
            statuses.append((next_id, marketing, p["hs_marketable_until_renewal"] == "true"))
            next_id += 1
        con.executemany(sql, rows)
        con.executemany(status_sql, statuses)
        after = (body.get("paging") or {}).get("next", {}).get("after")
        if after is None:
            break
    con.execute("COMMIT")
    took = time.perf_counter() - started
    con.close()
    return took, requests


def bench_sync(work: Path, contacts: int = 100_000) -> Figures:
    """Ours (a full sync, then an incremental one) against the raw read-and-insert of the same pages."""
    os.environ[TODAY_ENV] = TODAY.isoformat()
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.hubspot_fake", "--contacts", str(contacts), "--token", TOKEN],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        base = server.stdout.readline().strip()
        engine = make_engine(_fresh(work / "sync-ours.db"))
        api = HubSpotApi(TOKEN, host=base)
        started = time.perf_counter()
        full = sync(engine, today=TODAY, actor="bench", api=api)
        ours = time.perf_counter() - started
        raw, raw_requests = _raw(base, work / "sync-raw.db")
        engine.dispose()
    finally:
        if server.stdin:
            server.stdin.close()
        server.wait(timeout=30)
    print(
        f"  sync: {full.fetched:,} contacts, {full.created:,} created, {full.pages:,} pages, {full.requests:,} "
        f"requests ({raw_requests:,} raw), {full.retries:,} retries; {full.fetched / ours:,.0f} contacts/s "
        f"(raw {contacts / raw:,.0f}/s)",
        flush=True,
    )
    return [(f"hubspot sync of {contacts:,} contacts vs raw HTTP + insert of the same pages", ours, raw, "(info)")]


if __name__ == "__main__":
    target = Path("/tmp/marketable-bench")
    target.mkdir(parents=True, exist_ok=True)
    for name, ours, baseline, goal in bench_sync(target, int(sys.argv[1]) if len(sys.argv) > 1 else 100_000):
        print(f"{name}: ours {ours:.2f} s, baseline {baseline:.2f} s, ratio {ours / (baseline or 1):.2f}x {goal}")
