"""Performance figures at scale, on SQLite or PostgreSQL: ours against a raw-SQL baseline timed in the same run.

Usage: .venv/bin/python scripts/benchmark.py [--engine sqlite|postgresql] [--contacts 1000000]
       [--workdir /tmp/marketable-bench] [--only NAME ...]
Prints one line per operation (ours, baseline, ratio, target) and writes them as JSON in the work directory.

PostgreSQL: the server is named by MARKETABLE_BENCH_PG_URL (a database the script may connect to for CREATE
DATABASE, e.g. postgresql://postgres@127.0.0.1:5432/postgres). The script creates its own databases, named
mkt_bench_*, copies them with CREATE DATABASE ... TEMPLATE for each run, and drops every one at the end.

Baselines are the least work the database must do for the same rows, typed as raw SQL on the layout Marketable
uses (the state in contact_status, migration 0008), the best layout measured: the same rows inserted (executemany
on SQLite, COPY from prepared text on PostgreSQL), or the INSERT ... SELECT of the events plus the one UPDATE of
contact_status that a bulk change writes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.rules.calendar import Commitment  # noqa: E402
from core.rules.filters import parse_filter  # noqa: E402
from core.rules.selection import Selection  # noqa: E402
from core.rules.status import MarketingStatus  # noqa: E402
from core.services import setup, status, updates, usage  # noqa: E402
from core.services.demo import generate  # noqa: E402
from core.settings import TODAY_ENV  # noqa: E402
from core.store.bulk_contacts import PROFILE_COLUMNS  # noqa: E402
from core.store.engine import make_engine  # noqa: E402
from core.store.events import EVENT_COLUMNS  # noqa: E402
from core.store.migrate import upgrade  # noqa: E402
from core.store.states import STATUS_COLUMNS  # noqa: E402

PG_ENV = "MARKETABLE_BENCH_PG_URL"
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


STAMP = "2026-11-26 12:00:00.000000"
_SPLIT = len(PROFILE_COLUMNS)
STATUS_ROW = ("contact_id", *STATUS_COLUMNS)


def load() -> str:
    return os.getloadavg().__repr__()


class Raw:
    """A plain driver connection (sqlite3 or psycopg) for the baselines: SQL written with ``?`` placeholders."""

    def __init__(self, bench: Bench, name: str) -> None:
        self.sqlite = bench.sqlite
        if bench.sqlite:
            self.con: Any = sqlite3.connect(bench.path(name), isolation_level=None)
            for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "temp_store=MEMORY"):
                self.con.execute(f"PRAGMA {pragma}")
            self.con.execute("PRAGMA cache_size=-65536")
        else:
            import psycopg

            self.con = psycopg.connect(bench.libpq(name))

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.con.execute(sql if self.sqlite else sql.replace("?", "%s"), params)

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.execute(sql, params).fetchone()[0]

    def begin(self) -> None:
        if self.sqlite:
            self.con.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        if self.sqlite:
            if self.con.in_transaction:
                self.con.execute("COMMIT")
        else:
            self.con.commit()

    def rollback(self) -> None:
        if self.sqlite:
            self.con.execute("ROLLBACK")
        else:
            self.con.rollback()

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """The fastest raw insert: executemany on SQLite, COPY on PostgreSQL."""
        if self.sqlite:
            marks = ", ".join("?" * len(columns))
            self.con.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
            return
        with self.con.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def copy_file(self, table: str, columns: Sequence[str], path: Path) -> None:
        """PostgreSQL: COPY from a prepared file of COPY text, in blocks (no Python per row)."""
        with (
            self.con.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
            open(path, "rb") as handle,
        ):
            while block := handle.read(1 << 20):
                copy.write(block)

    def close(self) -> None:
        self.con.close()


@dataclass
class Bench:
    """Databases on one engine: SQLite files in the work directory, or PostgreSQL databases mkt_bench_*."""

    sqlite: bool
    work: Path
    admin_url: str = ""
    made: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return "SQLite" if self.sqlite else "PostgreSQL"

    def path(self, name: str) -> Path:
        return self.work / f"{name}.db"

    def _pg(self, name: str, driver: str) -> str:
        from sqlalchemy.engine import make_url

        url = make_url(self.admin_url).set(drivername=driver, database=f"mkt_bench_{name}")
        return url.render_as_string(hide_password=False)

    def url(self, name: str) -> str:
        return f"sqlite:///{self.path(name)}" if self.sqlite else self._pg(name, "postgresql")

    def libpq(self, name: str) -> str:
        return self._pg(name, "postgresql")

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as con:
            con.execute(sql)

    def _kick(self, name: str) -> None:
        """Close other sessions on a bench database of ours (autovacuum) so it can be copied or dropped."""
        self._admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = 'mkt_bench_{name}' AND pid <> pg_backend_pid()"
        )

    def fresh(self, name: str) -> str:
        """An empty database (no schema yet)."""
        if self.sqlite:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path(name)}{suffix}").unlink(missing_ok=True)
        else:
            self.drop(name)
            self._admin(f"CREATE DATABASE mkt_bench_{name}")
            self.made.append(name)
        return self.url(name)

    def copy(self, src: str, dst: str) -> str:
        """A copy of ``src`` (a file copy, or CREATE DATABASE ... TEMPLATE)."""
        if self.sqlite:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path(dst)}{suffix}").unlink(missing_ok=True)
            con = sqlite3.connect(self.path(src))
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            con.close()
            shutil.copyfile(self.path(src), self.path(dst))
            return self.url(dst)
        self.drop(dst)
        for attempt in range(20):
            self._kick(src)
            try:
                self._admin(f"CREATE DATABASE mkt_bench_{dst} TEMPLATE mkt_bench_{src}")
                break
            except Exception:
                if attempt == 19:
                    raise
                time.sleep(0.5)
        self.made.append(dst)
        return self.url(dst)

    def settle(self, name: str) -> None:
        """After a bulk load or bulk UPDATE, outside any timing: statistics and the visibility map, as
        autovacuum would leave a live database (PostgreSQL), or a checkpoint (SQLite)."""
        if self.sqlite:
            con = sqlite3.connect(self.path(name))
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            con.close()
            return
        import psycopg

        with psycopg.connect(self.libpq(name), autocommit=True) as con:
            con.execute("VACUUM ANALYZE")
            con.execute("CHECKPOINT")

    def drop(self, name: str) -> None:
        if self.sqlite:
            return
        self._kick(name)
        self._admin(f"DROP DATABASE IF EXISTS mkt_bench_{name}")
        if name in self.made:
            self.made.remove(name)

    def drop_all(self) -> None:
        for name in list(self.made):
            self.drop(name)

    def settings(self) -> str:
        if self.sqlite:
            return f"SQLite {sqlite3.sqlite_version}"
        import psycopg

        names = (
            "shared_buffers",
            "work_mem",
            "maintenance_work_mem",
            "max_wal_size",
            "checkpoint_timeout",
            "effective_cache_size",
            "random_page_cost",
            "jit",
            "synchronous_commit",
        )
        with psycopg.connect(self.admin_url) as con:
            version = con.execute("SHOW server_version").fetchone()[0]
            shown = [f"{n}={con.execute(f'SHOW {n}').fetchone()[0]}" for n in names]
        return f"PostgreSQL {version}: {', '.join(shown)}"


def _write_copy_text(path: Path, rows: Iterable[Sequence[Any]]) -> None:
    """Rows as COPY text (tab-separated, \\N for NULL), for a raw COPY from file."""

    def cell(value: Any) -> str:
        if value is None:
            return "\\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        if isinstance(value, datetime):
            return value.isoformat(" ")
        return str(value)

    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write("\t".join(cell(v) for v in row) + "\n")


def _operation(raw: Raw, kind: str) -> int:
    raw.execute(
        "INSERT INTO operations (kind, requested_at, acted_on, actor) VALUES (?, ?, ?, 'bench')",
        (kind, STAMP if raw.sqlite else datetime(2026, 11, 26, 12), TODAY.isoformat() if raw.sqlite else TODAY),
    )
    return int(raw.scalar("SELECT max(id) FROM operations"))


def _day(raw: Raw, day: date) -> Any:
    return day.isoformat() if raw.sqlite else day


def _at(raw: Raw) -> Any:
    return STAMP if raw.sqlite else datetime(2026, 11, 26, 12)


def bench_generate(bench: Bench, n: int) -> tuple[Figure, str]:
    """Ours: `init --demo N` (generation + insert); baseline: a raw insert of the same rows, contacts and their
    status rows and events (SQLite: executemany of prepared tuples; PostgreSQL: COPY of prepared text files)."""
    engine = make_engine(bench.fresh("ours"))
    setup.init(engine, today=TODAY, actor="bench", start_date=START)
    ours = timed(lambda: setup.init(engine, today=TODAY, actor="bench", demo=n, seed=7))
    engine.dispose()
    base_engine = make_engine(bench.fresh("baseline"))
    setup.init(base_engine, today=TODAY, actor="bench", start_date=START)
    base_engine.dispose()
    rows = generate(
        n=n,
        seed=7,
        first_id=1,
        today=TODAY,
        commitment=Commitment.ANNUAL,
        start_date=START,
        operation_id=1,
        sqlite=bench.sqlite,
    )
    raw = Raw(bench, "baseline")
    raw.execute(
        "INSERT INTO operations (id, kind, requested_at, acted_on, actor) VALUES (1, 'demo', ?, ?, 'bench')",
        (_at(raw), _day(raw, TODAY)),
    )
    raw.commit()
    events_n = 0
    if bench.sqlite:
        contacts, events = [], []
        for contact, contact_events in rows:
            contacts.append(contact)
            events.extend(contact_events)
        events_n = len(events)

        def run() -> None:
            raw.begin()
            raw.insert("contacts", PROFILE_COLUMNS, [c[:_SPLIT] for c in contacts])
            raw.insert("contact_status", STATUS_ROW, [(c[0], *c[_SPLIT:]) for c in contacts])
            raw.insert("status_events", EVENT_COLUMNS, events)
            raw.commit()

    else:
        files = {t: bench.work / f"copy-{t}.txt" for t in ("contacts", "contact_status", "status_events")}
        contacts_rows: list[tuple[Any, ...]] = []
        event_rows: list[tuple[Any, ...]] = []
        for contact, contact_events in rows:  # in memory once, written as COPY text outside the timing
            contacts_rows.append(contact)
            event_rows.extend(contact_events)
        events_n = len(event_rows)
        _write_copy_text(files["contacts"], (c[:_SPLIT] for c in contacts_rows))
        _write_copy_text(files["contact_status"], ((c[0], *c[_SPLIT:]) for c in contacts_rows))
        _write_copy_text(files["status_events"], event_rows)
        del contacts_rows, event_rows

        def run() -> None:
            raw.copy_file("contacts", PROFILE_COLUMNS, files["contacts"])
            raw.copy_file("contact_status", STATUS_ROW, files["contact_status"])
            raw.copy_file("status_events", EVENT_COLUMNS, files["status_events"])
            raw.commit()

    baseline = timed(run)
    raw.close()
    if not bench.sqlite:
        for path in bench.work.glob("copy-*.txt"):
            path.unlink()
    bench.drop("baseline")
    bench.settle("ours")
    label = f"generate {n:,} contacts (+{events_n:,} events)"
    return Figure(label, ours, baseline, "<= 1.5x"), "ours"


BULK_FILTER = '[{"property": "marketing_status", "operator": "eq", "value": "marketing"}]'
SCHEDULE = (  # what set-status writes for each marketing contact it schedules, as raw SQL
    "UPDATE contact_status SET pending_non_marketing = TRUE, effective_on = ?, status_source_type = 'bulk_action', "
    "status_source_id = NULL, status_changed_at = ? WHERE marketing_status = 'marketing' "
    "AND pending_non_marketing = FALSE"
)


def bench_set_status(bench: Bench, base: str) -> list[Figure]:
    """Ours: set-status --to non-marketing by filter; baseline: the INSERT ... SELECT of the events and the UPDATE of
    contact_status writing the same rows (and, for information, that UPDATE alone)."""
    engine = make_engine(bench.copy(base, "status_ours"))
    selection = Selection(conditions=parse_filter(BULK_FILTER))
    result: list[status.StatusChange] = []
    ours = timed(
        lambda: result.append(
            status.set_status(engine, selection=selection, to=MarketingStatus.NON_MARKETING, today=TODAY, actor="bench")
        )
    )
    engine.dispose()
    bench.drop("status_ours")
    change = result[0]
    leaves = change.effective_on or TODAY
    figures = []
    for with_events in (True, False):
        bench.copy(base, "status_raw")
        raw = Raw(bench, "status_raw")

        def run(raw: Raw = raw, with_events: bool = with_events) -> None:
            raw.begin()
            if with_events:
                op = _operation(raw, "set_status")
                raw.execute(
                    "INSERT INTO status_events (contact_id, operation_id, old_state, new_state, requested_at, "
                    "effective_on, source_type, source_id, actor) SELECT contact_id, ?, 'marketing', 'pending', ?, ?, "
                    "'bulk_action', NULL, 'bench' FROM contact_status WHERE marketing_status = 'marketing' "
                    "AND pending_non_marketing = FALSE",
                    (op, _at(raw), _day(raw, leaves)),
                )
            raw.execute(SCHEDULE, (_day(raw, leaves), _at(raw)))
            raw.commit()

        took = timed(run)
        raw.close()
        bench.drop("status_raw")
        if with_events:
            label = f"set-status by filter over {change.selected:,} ({change.scheduled:,} scheduled)"
            figures.append(Figure(label, ours, took, "<= 1.5x"))
        else:
            figures.append(Figure("  the same vs its raw UPDATE alone (no events)", ours, took, "(info)"))
    return figures


def bench_apply_updates(bench: Bench, base: str, pending: int) -> Figure:
    """Ours: apply-updates with N pending contacts due; baseline: the events INSERT ... SELECT and the UPDATE."""
    bench.copy(base, "updates_base")
    next_update = date(2026, 12, 1)
    raw = Raw(bench, "updates_base")
    raw.begin()
    raw.execute("UPDATE contact_status SET pending_non_marketing = FALSE, effective_on = NULL")
    raw.execute(
        "UPDATE contact_status SET pending_non_marketing = TRUE, effective_on = ? WHERE contact_id IN "
        "(SELECT contact_id FROM contact_status WHERE marketing_status = 'marketing' ORDER BY contact_id LIMIT ?)",
        (_day(raw, next_update), pending),
    )
    raw.commit()
    count = raw.scalar("SELECT count(*) FROM contact_status WHERE pending_non_marketing = TRUE")
    raw.close()
    bench.settle("updates_base")
    engine = make_engine(bench.copy("updates_base", "updates_ours"))
    upgrade(engine)
    os.environ[TODAY_ENV] = next_update.isoformat()  # the deployment's day moves on to the update date
    ours = timed(lambda: updates.apply_updates(engine, today=next_update, actor="bench"))
    os.environ[TODAY_ENV] = TODAY.isoformat()
    engine.dispose()
    bench.drop("updates_ours")
    bench.copy("updates_base", "updates_raw")
    raw = Raw(bench, "updates_raw")

    def run() -> None:
        raw.begin()
        op = _operation(raw, "update")
        due = "pending_non_marketing = TRUE AND effective_on <= ?"
        raw.execute(
            "INSERT INTO status_events (contact_id, operation_id, old_state, new_state, requested_at, effective_on, "
            f"source_type, source_id, actor) SELECT contact_id, ?, 'pending', 'non_marketing', ?, effective_on, "
            f"'update', ?, 'system' FROM contact_status WHERE {due}",
            (op, _at(raw), next_update.isoformat(), _day(raw, next_update)),
        )
        raw.execute(
            "UPDATE contact_status SET marketing_status = 'non_marketing', pending_non_marketing = FALSE, "
            f"effective_on = NULL, status_changed_at = ? WHERE {due}",
            (_at(raw), _day(raw, next_update)),
        )
        raw.commit()

    baseline = timed(run)
    raw.close()
    bench.drop("updates_raw")
    bench.drop("updates_base")
    return Figure(f"apply-updates of {count:,} pending contacts", ours, baseline, "<= 1.5x")


def bench_usage(bench: Bench, base: str) -> Figure:
    engine = make_engine(bench.url(base))
    usage.get_usage(engine, today=TODAY)  # warm the connection pool, as a running app has
    best = min(timed(lambda: usage.get_usage(engine, today=TODAY)) for _ in range(5))
    engine.dispose()
    return Figure("usage (best of 5)", best, None, "<= 1 s")


_PAGE_CHILD = r"""
import json, os, resource, sys, time
os.environ["MARKETABLE_DB_URL"], os.environ["MARKETABLE_TODAY"] = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.getcwd())
from streamlit.testing.v1 import AppTest
t = time.perf_counter(); AppTest.from_file("app.py", default_timeout=600).run(); first = time.perf_counter() - t
# the first run fills the caches (history, forecast) as the first view after a change does; the second is timed
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
print(json.dumps({"seconds": s, "first_seconds": first, "peak_mb": peak_mb()}))
"""


def _page_run(db_url: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _PAGE_CHILD, db_url, TODAY.isoformat()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def small_db(bench: Bench, n: int = 10_000) -> str:
    name = f"small_{n}"
    engine = make_engine(bench.fresh(name))
    setup.init(engine, today=TODAY, actor="bench", start_date=START, demo=n, seed=7)
    engine.dispose()
    bench.settle(name)
    return name


def bench_usage_page(bench: Bench, base: str, small: str) -> list[Figure]:
    """The Usage & limits page (one AppTest run, fresh process, median of 3) at N vs 10,000 contacts."""
    runs_small = [_page_run(bench.url(small)) for _ in range(3)]
    runs_big = [_page_run(bench.url(base)) for _ in range(3)]
    median = lambda runs, key: sorted(r[key] for r in runs)[1]  # noqa: E731
    return [
        Figure(
            "Usage & limits page (AppTest run): N vs 10,000 contacts",
            median(runs_big, "seconds"),
            median(runs_small, "seconds"),
            "<= 2x",
        ),
        Figure(  # reported, no target: the history's per-day counts scan the days' contacts and events
            "Usage & limits page, first view after a change: N vs 10,000",
            median(runs_big, "first_seconds"),
            median(runs_small, "first_seconds"),
            "(reported)",
        ),
        Figure(
            "Usage & limits page peak memory, MB (N contacts)",
            max(r["peak_mb"] for r in runs_big),
            None,
            "< 400 MB",
            unit="MB",
        ),
    ]


def bench_contacts_page(bench: Bench, base: str, small: str) -> Figure:
    """A page of 50 under a filter and a sort (keyset, 3rd page), at N vs 10,000 contacts (median of 15)."""
    from core.services.contacts import ContactQuery, page_of_contacts

    query = ContactQuery(
        conditions=parse_filter('[{"property":"lifecycle_stage","operator":"eq","value":"lead"}]'),
        sort="last_name",
        descending=False,
    )

    def median_page(db: str) -> float:
        engine = make_engine(bench.url(db))
        first = page_of_contacts(engine, query=query, limit=50).next_cursor
        second = page_of_contacts(engine, query=query, after=first, limit=50).next_cursor
        times = sorted(timed(lambda: page_of_contacts(engine, query=query, after=second, limit=50)) for _ in range(15))
        engine.dispose()
        return times[7]

    return Figure(
        "contacts page of 50 (filter + sort): N vs 10,000 contacts", median_page(base), median_page(small), "<= 2x"
    )


def bench_import(bench: Bench, rows: int = 100_000) -> list[Figure]:
    """Ours: import a 100,000-row CSV into an empty account; baseline: a raw insert of the same rows (contacts,
    their status rows and events: executemany on SQLite, COPY on PostgreSQL).

    Each side is the median of ``RUNS`` runs, each on a freshly initialised database.
    """
    import csv

    from core.services.imports.apply import Consent
    from core.services.imports.service import import_csv

    path = bench.work / "import.csv"
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
    bench.fresh("import_template")
    engine = make_engine(bench.url("import_template"))
    setup.init(engine, today=TODAY, actor="bench", start_date=START, edition=None)
    engine.dispose()

    def fresh(name: str) -> str:  # an initialised, empty account: every run starts from the same state
        return bench.copy("import_template", name)

    def ours_once() -> float:
        engine = make_engine(fresh("import_ours"))
        consent = Consent(tier_upgrade=True)  # 50,000 marketing contacts raise the tier: the person agreed
        took = timed(lambda: import_csv(engine, path, today=TODAY, actor="bench", consent=consent))
        engine.dispose()
        bench.drop("import_ours")
        return took

    ours = statistics.median(ours_once() for _ in range(RUNS))
    sqlite = bench.sqlite
    stamp: Any = "2026-01-02 03:04:05.000000" if sqlite else datetime(2026, 1, 2, 3, 4, 5)
    today: Any = TODAY.isoformat() if sqlite else TODAY

    def source(i: int) -> tuple[str, str, str]:  # email_lower, source_type, source_id
        return (f"person{i}@example.org", "import", "1")

    profiles = [
        (i + 1, f"person{i}@example.org", "Ada", f"Name{i}", "lead", stamp, None, False, False, *source(i))
        for i in range(rows)
    ]
    marketing = ("marketing", False, None, "import", "1", stamp)
    status_rows = [
        (i + 1, *(marketing if i % 2 else ("non_marketing", False, None, None, None, None))) for i in range(rows)
    ]
    events = [(i + 1, 1, None, "marketing", stamp, today, "import", "1", "bench") for i in range(rows) if i % 2]

    def raw_once(with_events: bool) -> float:
        fresh("import_raw")
        raw = Raw(bench, "import_raw")
        raw.execute(
            "INSERT INTO operations (id, kind, requested_at, acted_on, actor) VALUES (1, 'import', ?, ?, 'bench')",
            (stamp, today),
        )
        raw.commit()
        took = timed(lambda: run(raw, with_events))
        raw.close()
        bench.drop("import_raw")
        return took

    def run(raw: Raw, with_events: bool) -> None:
        raw.begin()
        raw.insert("contacts", PROFILE_COLUMNS, profiles)
        raw.insert("contact_status", STATUS_ROW, status_rows)
        if with_events:
            raw.insert("status_events", EVENT_COLUMNS, events)
            raw.commit()
        else:
            raw.rollback()

    contacts_only = statistics.median(raw_once(False) for _ in range(RUNS))
    baseline = statistics.median(raw_once(True) for _ in range(RUNS))
    bench.drop("import_template")
    return [
        Figure(f"import a {rows:,}-row CSV vs raw insert of its contact + event rows", ours, baseline, "<= 2x"),
        Figure(f"import a {rows:,}-row CSV vs raw insert of its contact rows only", ours, contacts_only, "(info)"),
    ]


def bench_workflow(bench: Bench, base: str, enrolled: int = 200_000) -> Figure:
    """Ours: a workflow enrolling 200,000 contacts and setting them non-marketing; baseline: the raw UPDATE."""
    from core.services.workflows import definitions as workflows
    from core.services.workflows import engine as workflow_engine

    bench.copy(base, "workflow_base")
    raw = Raw(bench, "workflow_base")
    raw.begin()
    raw.execute(
        "UPDATE contacts SET lifecycle_stage = 'bench' WHERE id IN (SELECT contact_id FROM contact_status WHERE "
        "marketing_status = 'marketing' AND pending_non_marketing = FALSE ORDER BY contact_id LIMIT ?)",
        (enrolled,),
    )
    raw.commit()
    raw.close()
    bench.settle("workflow_base")
    engine = make_engine(bench.copy("workflow_base", "workflow_ours"))
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
    bench.drop("workflow_ours")
    completed = getattr(result[0], "completed", "?")
    bench.copy("workflow_base", "workflow_raw")
    raw = Raw(bench, "workflow_raw")

    def run() -> None:
        raw.begin()
        raw.execute(
            "UPDATE contact_status SET pending_non_marketing = TRUE, effective_on = ?, status_source_type = "
            "'workflow', status_source_id = ?, status_changed_at = ? FROM contacts WHERE contacts.id = "
            "contact_status.contact_id AND contacts.lifecycle_stage = 'bench' AND marketing_status = 'marketing' "
            "AND pending_non_marketing = FALSE",
            (_day(raw, date(2026, 12, 1)), str(flow.id), _at(raw)),
        )
        raw.commit()

    baseline = timed(run)
    raw.close()
    bench.drop("workflow_raw")
    bench.drop("workflow_base")
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
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/marketable-bench"))
    parser.add_argument("--only", nargs="*", choices=BENCHES, default=list(BENCHES))
    parser.add_argument("--keep", action="store_true", help="PostgreSQL: keep the generated database (mkt_bench_ours)")
    args = parser.parse_args()
    os.environ[TODAY_ENV] = TODAY.isoformat()  # changes act on the deployment's day (docs/domain.md §10)
    work: Path = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    sqlite = args.engine == "sqlite"
    if not sqlite and not os.environ.get(PG_ENV):
        sys.exit(f"--engine postgresql needs {PG_ENV} (e.g. postgresql://postgres@127.0.0.1:5432/postgres)")
    bench = Bench(sqlite=sqlite, work=work, admin_url=os.environ.get(PG_ENV, ""))
    n = args.contacts
    figures: list[Figure] = []

    def report(figure: Figure) -> None:
        figures.append(figure)
        print(f"{figure.line()}  [load {os.getloadavg()[0]:.2f}]", flush=True)

    print(f"Marketable benchmark: {n:,} contacts, {bench.settings()}, workdir {work}", flush=True)
    layout = "state in contact_status (migration 0008), counts per state kept by triggers (0013)"
    print(f"layout: {layout}; {os.cpu_count()} cores; load {load()}", flush=True)
    try:
        if "generate" in args.only:
            figure, base = bench_generate(bench, n)
            report(figure)
        else:
            base = "ours"
            if not sqlite:
                bench.made.append(base)
        if "set_status" in args.only:
            for status_figure in bench_set_status(bench, base):
                report(status_figure)
        if "apply_updates" in args.only:
            report(bench_apply_updates(bench, base, pending=min(3_000_000, int(n * 0.3))))
        if "usage" in args.only:
            report(bench_usage(bench, base))
        small = small_db(bench) if {"usage_page", "contacts_page"} & set(args.only) else base
        if "usage_page" in args.only:
            for page_figure in bench_usage_page(bench, base, small):
                report(page_figure)
        if "contacts_page" in args.only:
            report(bench_contacts_page(bench, base, small))
        if "import" in args.only:
            for import_figure in bench_import(bench):
                report(import_figure)
        if "workflow" in args.only:
            report(bench_workflow(bench, base, enrolled=min(200_000, n // 5)))
        if "sync" in args.only:  # the HubSpot sync, from the tests' local HubSpot (scripts/bench_sync.py)
            from bench_sync import bench_sync

            for name, ours, baseline, target in bench_sync(work, min(100_000, n)):
                report(Figure(name, ours, baseline, target))
    finally:
        if args.keep and "ours" in bench.made:
            bench.made.remove("ours")
        bench.drop_all()
    results = [
        {"name": f.name, "ours_s": f.ours, "baseline_s": f.baseline, "ratio": f.ratio, "target": f.target}
        for f in figures
    ]
    (work / f"results-{args.engine}-{n}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
