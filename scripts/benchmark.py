"""Performance figures at scale: ours against a raw-SQL baseline timed in the same run.

Usage: .venv/bin/python scripts/benchmark.py [--contacts 1000000] [--workdir /tmp/marketable-bench] [--only NAME ...]
Prints one line per operation (ours, baseline, ratio, target) and writes them as JSON next to the databases.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.rules.calendar import Commitment  # noqa: E402
from core.rules.filters import parse_filter  # noqa: E402
from core.rules.status import Target  # noqa: E402
from core.services import setup, status, updates, usage  # noqa: E402
from core.services.demo import CONTACT_COLUMNS, EVENT_COLUMNS, generate  # noqa: E402
from core.store.engine import make_engine  # noqa: E402
from core.store.migrate import upgrade  # noqa: E402
from core.store.selection import Selection  # noqa: E402

TODAY = date(2026, 11, 26)
START = TODAY - timedelta(days=300)


@dataclass
class Figure:
    name: str
    ours: float
    baseline: float | None
    target: str

    @property
    def ratio(self) -> float | None:
        return self.ours / self.baseline if self.baseline else None

    def line(self) -> str:
        base = f"{self.baseline:8.3f} s" if self.baseline is not None else "       -  "
        ratio = f"{self.ratio:5.2f}x" if self.ratio is not None else "   -  "
        return f"{self.name:<58} ours {self.ours:8.3f} s  baseline {base}  ratio {ratio}  target {self.target}"


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def url(path: Path) -> str:
    return f"sqlite:///{path}"


def copy_db(src: Path, dst: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{dst}{suffix}").exists():
            Path(f"{dst}{suffix}").unlink()
    con = sqlite3.connect(src)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    shutil.copyfile(src, dst)
    return dst


def raw_connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, isolation_level=None)
    for pragma in (
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "foreign_keys=ON",
        "temp_store=MEMORY",
        "cache_size=-65536",
    ):
        con.execute(f"PRAGMA {pragma}")
    return con


def bench_generate(work: Path, n: int) -> tuple[Figure, Path]:
    """Ours: `init --demo N` (generation + insert); baseline: raw sqlite3 executemany of the same rows."""
    ours_db = work / "ours.db"
    base_db = work / "baseline.db"
    for p in (ours_db, base_db):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{p}{suffix}").unlink(missing_ok=True)
    engine = make_engine(url(ours_db))
    setup.init(engine, today=TODAY, actor="bench", start_date=START)
    ours = timed(lambda: setup.init(engine, today=TODAY, actor="bench", demo=n, seed=7))
    engine.dispose()
    base_engine = make_engine(url(base_db))
    setup.init(base_engine, today=TODAY, actor="bench", start_date=START)
    base_engine.dispose()
    contacts, events = [], []
    for contact, contact_events in generate(
        n=n,
        seed=7,
        first_id=1,
        today=TODAY,
        commitment=Commitment.ANNUAL,
        start_date=START,
        operation_id=1,
        sqlite=True,
    ):
        contacts.append(contact)
        events.extend(contact_events)
    con = raw_connect(base_db)
    con.execute("INSERT INTO operations (id, kind, requested_at, actor) VALUES (1, 'demo', '2026-11-26', 'bench')")

    def raw() -> None:
        con.execute("BEGIN")
        con.executemany(f"INSERT INTO contacts ({', '.join(CONTACT_COLUMNS)}) VALUES ({', '.join('?' * 18)})", contacts)
        con.executemany(f"INSERT INTO status_events ({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join('?' * 9)})", events)
        con.execute("COMMIT")

    baseline = timed(raw)
    con.close()
    label = f"generate {n:,} contacts (+{len(events):,} events)"
    return Figure(label, ours, baseline, "<= 1.5x"), ours_db


BULK_FILTER = '[{"property": "marketing_status", "operator": "eq", "value": "marketing"}]'


def bench_set_status(work: Path, base: Path) -> Figure:
    """Ours: set-status --to non-marketing by filter; baseline: the UPDATE writing the same columns of the same rows."""
    ours_db, raw_db = copy_db(base, work / "status-ours.db"), copy_db(base, work / "status-raw.db")
    engine = make_engine(url(ours_db))
    selection = Selection(conditions=parse_filter(BULK_FILTER))
    result: list[status.StatusChange] = []
    ours = timed(
        lambda: result.append(
            status.set_status(engine, selection=selection, to=Target.NON_MARKETING, today=TODAY, actor="bench")
        )
    )
    engine.dispose()
    change = result[0]
    con = raw_connect(raw_db)

    def raw() -> None:
        con.execute("BEGIN IMMEDIATE")
        con.execute(
            "UPDATE contacts SET pending_non_marketing = 1, effective_on = ?, status_source_type = 'bulk_action', "
            "status_source_id = NULL, status_changed_at = ? WHERE marketing_status = 'marketing' "
            "AND pending_non_marketing = 0",
            (change.effective_on.isoformat() if change.effective_on else None, "2026-11-26 12:00:00.000000"),
        )
        con.execute("COMMIT")

    baseline = timed(raw)
    con.close()
    return Figure(
        f"set-status by filter over {change.selected:,} ({change.scheduled:,} scheduled)", ours, baseline, "<= 1.5x"
    )


def bench_apply_updates(work: Path, base: Path, pending: int) -> Figure:
    """Ours: apply-updates with N pending contacts due; baseline: the UPDATE writing the same columns."""
    prepared = copy_db(base, work / "updates-base.db")
    next_update = date(2026, 12, 1)
    con = raw_connect(prepared)
    con.execute("UPDATE contacts SET pending_non_marketing = 0, effective_on = NULL")
    con.execute(
        "UPDATE contacts SET pending_non_marketing = 1, effective_on = ? WHERE id IN (SELECT id FROM contacts "
        "WHERE marketing_status = 'marketing' ORDER BY id LIMIT ?)",
        (next_update.isoformat(), pending),
    )
    count = con.execute("SELECT count(*) FROM contacts WHERE pending_non_marketing = 1").fetchone()[0]
    con.close()
    ours_db, raw_db = copy_db(prepared, work / "updates-ours.db"), copy_db(prepared, work / "updates-raw.db")
    engine = make_engine(url(ours_db))
    upgrade(engine)
    ours = timed(lambda: updates.apply_updates(engine, today=next_update, actor="bench"))
    engine.dispose()
    con = raw_connect(raw_db)

    def raw() -> None:
        con.execute("BEGIN IMMEDIATE")
        con.execute(
            "UPDATE contacts SET marketing_status = 'non_marketing', pending_non_marketing = 0, effective_on = NULL "
            "WHERE pending_non_marketing = 1 AND effective_on <= ?",
            (next_update.isoformat(),),
        )
        con.execute("COMMIT")

    baseline = timed(raw)
    con.close()
    return Figure(f"apply-updates of {count:,} pending contacts", ours, baseline, "<= 1.5x")


def bench_usage(base: Path) -> Figure:
    engine = make_engine(url(base))
    usage.get_usage(engine, today=TODAY)  # warm the connection pool, as a running app has
    best = min(timed(lambda: usage.get_usage(engine, today=TODAY)) for _ in range(5))
    engine.dispose()
    return Figure("usage (best of 5)", best, None, "<= 1 s")


BENCHES = ("generate", "set_status", "apply_updates", "usage")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/marketable-bench"))
    parser.add_argument("--only", nargs="*", choices=BENCHES, default=list(BENCHES))
    args = parser.parse_args()
    work: Path = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    n = args.contacts
    figures: list[Figure] = []

    def report(figure: Figure) -> None:
        figures.append(figure)
        print(figure.line(), flush=True)

    print(f"Marketable benchmark: {n:,} contacts, SQLite, workdir {work}", flush=True)
    figure, base = bench_generate(work, n) if "generate" in args.only else (None, work / "ours.db")
    if figure:
        report(figure)
    if "set_status" in args.only:
        report(bench_set_status(work, base))
    if "apply_updates" in args.only:
        report(bench_apply_updates(work, base, pending=min(300_000, int(n * 0.3))))
    if "usage" in args.only:
        report(bench_usage(base))
    results = [
        {"name": f.name, "ours_s": f.ours, "baseline_s": f.baseline, "ratio": f.ratio, "target": f.target}
        for f in figures
    ]
    (work / "results.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
