"""Performance figures at scale: ours against a raw-SQL baseline timed in the same run.

Usage: .venv/bin/python scripts/benchmark.py [--contacts 1000000] [--workdir /tmp/marketable-bench] [--only NAME ...]
Prints one line per operation (ours, baseline, ratio, target) and writes them as JSON next to the databases.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
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
from core.rules.selection import Selection  # noqa: E402
from core.rules.status import MarketingStatus  # noqa: E402
from core.services import setup, status, updates, usage  # noqa: E402
from core.services.demo import generate  # noqa: E402
from core.settings import TODAY_ENV  # noqa: E402
from core.store.bulk_contacts import CONTACT_COLUMNS  # noqa: E402
from core.store.engine import make_engine  # noqa: E402
from core.store.events import EVENT_COLUMNS  # noqa: E402
from core.store.migrate import upgrade  # noqa: E402

TODAY = date(2026, 11, 26)
RUNS = 5  # the import figure is a median of this many runs on each side (one run varies by +-15% here)
START = TODAY - timedelta(days=300)


@dataclass
class Figure:
    name: str
    ours: float
    baseline: float | None
    target: str
    unit: str = "s"

    @property
    def ratio(self) -> float | None:
        return self.ours / self.baseline if self.baseline else None

    def line(self) -> str:
        base = f"{self.baseline:8.3f} {self.unit:<2}" if self.baseline is not None else "       -   "
        ratio = f"{self.ratio:5.2f}x" if self.ratio is not None else "   -  "
        return (
            f"{self.name:<66} ours {self.ours:8.3f} {self.unit:<2} baseline {base} ratio {ratio}  target {self.target}"
        )


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
    con.execute(
        "INSERT INTO operations (id, kind, requested_at, acted_on, actor)"
        " VALUES (1, 'demo', '2026-11-26', '2026-11-26', 'bench')"
    )

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
            status.set_status(engine, selection=selection, to=MarketingStatus.NON_MARKETING, today=TODAY, actor="bench")
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
    os.environ[TODAY_ENV] = next_update.isoformat()  # the deployment's day moves on to the update date
    ours = timed(lambda: updates.apply_updates(engine, today=next_update, actor="bench"))
    os.environ[TODAY_ENV] = TODAY.isoformat()
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


_PAGE_CHILD = r"""
import json, os, resource, sys, time
os.environ["MARKETABLE_DB_URL"], os.environ["MARKETABLE_TODAY"] = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.getcwd())
from streamlit.testing.v1 import AppTest
AppTest.from_file("app.py", default_timeout=600).run()  # first run: caches, migrations check
at = AppTest.from_file("app.py", default_timeout=600)
t = time.perf_counter(); at.run(); s = time.perf_counter() - t
assert not at.exception and at.metric[0].label == "Marketing contacts", at.exception
def peak_mb():
    # VmHWM is this process's own high-water mark. ru_maxrss is not: Linux carries the parent's RSS at fork
    # into it, so a child of the benchmark (800 MB after generating 1M contacts) would report the parent.
    try:
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": s, "peak_mb": peak_mb()}))
"""


def _page_run(db: Path) -> dict[str, float]:
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", _PAGE_CHILD, url(db), TODAY.isoformat()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def small_db(work: Path, n: int = 10_000) -> Path:
    path = work / f"small-{n}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = make_engine(url(path))
    setup.init(engine, today=TODAY, actor="bench", start_date=START, demo=n, seed=7)
    engine.dispose()
    return path


def bench_usage_page(work: Path, base: Path, small: Path) -> list[Figure]:
    """The Usage & limits page (one AppTest run, fresh process, median of 3) at N vs 10,000 contacts."""
    runs_small = [_page_run(small) for _ in range(3)]
    runs_big = [_page_run(base) for _ in range(3)]
    median = lambda runs, key: sorted(r[key] for r in runs)[1]  # noqa: E731
    return [
        Figure(
            "Usage & limits page (AppTest run): N vs 10,000 contacts",
            median(runs_big, "seconds"),
            median(runs_small, "seconds"),
            "<= 2x",
        ),
        Figure(
            "Usage & limits page peak memory, MB (N contacts)",
            max(r["peak_mb"] for r in runs_big),
            None,
            "< 400 MB",
            unit="MB",
        ),
    ]


def bench_contacts_page(base: Path, small: Path) -> Figure:
    """A page of 50 under a filter and a sort (keyset, 3rd page), at N vs 10,000 contacts (median of 15)."""
    from core.services.contacts import ContactQuery, page_of_contacts

    query = ContactQuery(
        conditions=parse_filter('[{"property":"lifecycle_stage","operator":"eq","value":"lead"}]'),
        sort="last_name",
        descending=False,
    )

    def median_page(db: Path) -> float:
        engine = make_engine(url(db))
        first = page_of_contacts(engine, query=query, limit=50).next_cursor
        second = page_of_contacts(engine, query=query, after=first, limit=50).next_cursor
        times = sorted(timed(lambda: page_of_contacts(engine, query=query, after=second, limit=50)) for _ in range(15))
        engine.dispose()
        return times[7]

    return Figure(
        "contacts page of 50 (filter + sort): N vs 10,000 contacts", median_page(base), median_page(small), "<= 2x"
    )


def bench_import(work: Path, rows: int = 100_000) -> list[Figure]:
    """Ours: import a 100,000-row CSV into an empty account; baseline: raw executemany of the same rows.

    Each side is the median of ``RUNS`` runs, each on a freshly initialised database.
    """
    import csv

    from core.services.imports.service import Consent, import_csv

    path = work / "import.csv"
    created = "2026-01-02 03:04:05"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["Email", "First Name", "Last Name", "Lifecycle Stage", "Create Date", "Marketing contact status"]
        )
        for i in range(rows):
            writer.writerow(
                [
                    f"person{i}@example.org",
                    "Ada",
                    f"Name{i}",
                    "lead",
                    created,
                    "Marketing contact" if i % 2 else "Non-marketing contact",
                ]
            )
    ours_db, raw_db = work / "import-ours.db", work / "import-raw.db"

    def fresh(db: Path) -> None:  # an initialised, empty account: every run starts from the same state
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        engine = make_engine(url(db))
        setup.init(engine, today=TODAY, actor="bench", start_date=START, edition=None)
        engine.dispose()

    def ours_once() -> float:
        fresh(ours_db)
        engine = make_engine(url(ours_db))
        consent = Consent(tier_upgrade=True)  # half the rows are marketing: the tier rises, consented to
        took = timed(lambda: import_csv(engine, path, today=TODAY, actor="bench", consent=consent))
        engine.dispose()
        return took

    ours = statistics.median(ours_once() for _ in range(RUNS))
    stamp = "2026-01-02 03:04:05.000000"
    values = [
        (
            f"person{i}@example.org",
            f"person{i}@example.org",
            "Ada",
            f"Name{i}",
            "lead",
            stamp,
            None,
            0,
            0,
            "marketing" if i % 2 else "non_marketing",
            0,
            None,
            "import" if i % 2 else None,
            "1" if i % 2 else None,
            stamp if i % 2 else None,
            "import",
            "1",
        )
        for i in range(rows)
    ]
    events = [(i + 1, 1, None, "marketing", stamp, "2026-11-26", "import", "1", "bench") for i in range(rows) if i % 2]

    def raw_once(with_events: bool) -> float:
        fresh(raw_db)
        con = raw_connect(raw_db)
        con.execute(
            "INSERT INTO operations (id, kind, requested_at, acted_on, actor)"
            " VALUES (1, 'import', '2026-11-26', '2026-11-26', 'bench')"
        )
        took = timed(lambda: raw(con, with_events))
        con.close()
        return took

    def raw(con: sqlite3.Connection, with_events: bool) -> None:
        con.execute("BEGIN IMMEDIATE")
        con.executemany(
            "INSERT INTO contacts (email, email_lower, first_name, last_name, lifecycle_stage, created_at, "
            "last_activity_at, hard_bounced, unsubscribed_all, marketing_status, pending_non_marketing, effective_on, "
            "status_source_type, status_source_id, status_changed_at, source_type, source_id) "
            f"VALUES ({', '.join('?' * 17)})",
            values,
        )
        if with_events:
            con.executemany(
                f"INSERT INTO status_events ({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join('?' * 9)})", events
            )
            con.execute("COMMIT")
        else:
            con.execute("ROLLBACK")

    contacts_only = statistics.median(raw_once(False) for _ in range(RUNS))
    baseline = statistics.median(raw_once(True) for _ in range(RUNS))
    return [
        Figure(f"import a {rows:,}-row CSV vs raw insert of its contact + event rows", ours, baseline, "<= 2x"),
        Figure(f"import a {rows:,}-row CSV vs raw insert of its contact rows only", ours, contacts_only, "(info)"),
    ]


def bench_workflow(work: Path, base: Path, enrolled: int = 200_000) -> Figure:
    """Ours: a workflow enrolling 200,000 contacts and setting them non-marketing; baseline: the raw UPDATE."""
    from core.services.workflows import definitions as workflows
    from core.services.workflows import engine as workflow_engine

    prepared = copy_db(base, work / "workflow-base.db")
    con = raw_connect(prepared)
    con.execute(
        "UPDATE contacts SET lifecycle_stage = 'bench' WHERE id IN (SELECT id FROM contacts WHERE "
        "marketing_status = 'marketing' AND pending_non_marketing = 0 ORDER BY id LIMIT ?)",
        (enrolled,),
    )
    con.close()
    ours_db, raw_db = copy_db(prepared, work / "workflow-ours.db"), copy_db(prepared, work / "workflow-raw.db")
    engine = make_engine(url(ours_db))
    definition = {
        "name": "Bench",
        "criteria": [{"property": "lifecycle_stage", "operator": "eq", "value": "bench"}],
        "actions": [{"type": "set_marketing_status", "to": "non_marketing"}],
    }
    flow = workflows.create_workflow(engine, definition=definition, today=TODAY, actor="bench")
    workflows.enable_workflow(engine, flow.id, today=TODAY, actor="bench", allow_tier_upgrade=True)
    result: list[object] = []
    ours = timed(lambda: result.append(workflow_engine.run(engine, TODAY, actor="bench")))
    engine.dispose()
    completed = getattr(result[0], "completed", "?")
    con = raw_connect(raw_db)

    def raw() -> None:
        con.execute("BEGIN IMMEDIATE")
        con.execute(
            "UPDATE contacts SET pending_non_marketing = 1, effective_on = '2026-12-01', status_source_type = "
            "'workflow', status_source_id = ?, status_changed_at = '2026-11-26 12:00:00.000000' WHERE lifecycle_stage "
            "= 'bench' AND marketing_status = 'marketing' AND pending_non_marketing = 0",
            (str(flow.id),),
        )
        con.execute("COMMIT")

    baseline = timed(raw)
    con.close()
    return Figure(f"workflow enrolling {completed:,} contacts -> non-marketing vs raw UPDATE", ours, baseline, "<= 3x")


BENCHES = (
    "generate",
    "set_status",
    "apply_updates",
    "usage",
    "usage_page",
    "contacts_page",
    "import",
    "workflow",
    "sync",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/marketable-bench"))
    parser.add_argument("--only", nargs="*", choices=BENCHES, default=list(BENCHES))
    args = parser.parse_args()
    os.environ[TODAY_ENV] = TODAY.isoformat()  # changes act on the deployment's day (docs/domain.md §10)
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
    small = small_db(work) if {"usage_page", "contacts_page"} & set(args.only) else base
    if "usage_page" in args.only:
        for page_figure in bench_usage_page(work, base, small):
            report(page_figure)
    if "contacts_page" in args.only:
        report(bench_contacts_page(base, small))
    if "import" in args.only:
        for import_figure in bench_import(work):
            report(import_figure)
    if "workflow" in args.only:
        report(bench_workflow(work, base, enrolled=min(200_000, n // 5)))
    if "sync" in args.only:  # the HubSpot sync, from the tests' local HubSpot (scripts/bench_sync.py)
        from bench_sync import bench_sync

        for name, ours, baseline, target in bench_sync(work, min(100_000, n)):
            report(Figure(name, ours, baseline, target))
    results = [
        {"name": f.name, "ours_s": f.ours, "baseline_s": f.baseline, "ratio": f.ratio, "target": f.target}
        for f in figures
    ]
    (work / "results.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
