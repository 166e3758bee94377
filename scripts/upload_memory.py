"""Peak memory of an upload (issue 11, point 7): generate a HubSpot-format CSV of about SIZE megabytes, then, in a
fresh process, read it as the dashboard does (bytes in memory, every row parsed) and report the peak resident memory
above the interpreter's own (its modules imported) against the file's size.

Usage: .venv/bin/python scripts/upload_memory.py [--megabytes 200] [--workdir /tmp/marketable-upload]
         [--import]   # instead, the whole import (parse, fold, write) into a fresh SQLite database, as the
                      # dashboard runs it: the file's bytes in memory
         [--cli]      # with --import: as ``python -m core import FILE`` runs it, from the file's path
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def generate(path: Path, megabytes: int) -> int:
    header = "Email,First Name,Last Name,Lifecycle Stage,Create Date,Marketing contact status\n"
    target = megabytes * 1_000_000
    written = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(header)
        i = 0
        while written < target:
            day = f"2026-03-{1 + i % 28:02d} 10:00:00"
            line = f"person{i}@example{i % 97}.com,First{i},Last{i},lead,{day},Marketing contact\n"
            f.write(line)
            written += len(line)
            i += 1
    return i


BASELINE = (  # the interpreter with what the import imports, and a database initialised: the peak to subtract
    "import resource, json, sys, tempfile; from datetime import date; "
    "import core.services.imports.service; import core.services.imports.preview; "
    "from core.services.setup import init; from core.store.engine import make_engine; "
    "d = tempfile.mkdtemp(); e = make_engine(f'sqlite:///{d}/b.db'); "
    "init(e, today=date(2026, 11, 26), actor='bench', start_date=date(2026, 1, 15)); "
    "print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))"
)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(path: Path, do_import: bool, cli: bool) -> dict[str, float]:
    from datetime import date

    from core.services.imports.parse import decode, parse_csv
    from core.services.imports.service import Consent, import_csv
    from core.services.setup import init
    from core.store.engine import make_engine

    if not do_import:
        start = time.perf_counter()
        data = path.read_bytes()  # what st.file_uploader's getvalue() gives the page
        rows, rejected = parse_csv(decode(data))
        result = {"rows": len(rows), "rejected": len(rejected), "parse_seconds": round(time.perf_counter() - start, 1)}
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return result
    engine = make_engine(f"sqlite:///{path.parent}/upload.db")
    init(engine, today=date(2026, 11, 26), actor="bench", start_date=date(2026, 1, 15))
    start, cpu = time.perf_counter(), _cpu_seconds()
    source: Path | bytes = path if cli else path.read_bytes()  # the command line's path, or the page's upload
    consent = Consent(undo=True, tier_upgrade=True)  # the file makes its contacts marketing: the tier goes up
    done = import_csv(engine, source, today=date(2026, 11, 26), actor="bench", file_name=path.name, consent=consent)
    return {
        "created": done.created,
        "rejected": len(done.rejected),
        "import_seconds": round(time.perf_counter() - start, 1),
        "import_cpu_seconds": round(_cpu_seconds() - cpu, 1),  # steadier than the wall clock on a busy machine
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--workdir", default="/tmp/marketable-upload")
    parser.add_argument("--import", dest="do_import", action="store_true")
    parser.add_argument("--cli", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(Path(args.child), args.do_import, args.cli)))
        return
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    for old in work.glob("upload.db*"):
        old.unlink()
    path = work / "upload.csv"
    rows = generate(path, args.megabytes)
    size_mb = path.stat().st_size / 1_000_000
    command = [sys.executable, __file__, "--child", str(path)]
    command += (["--import"] if args.do_import else []) + (["--cli"] if args.cli else [])
    child = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    baseline = json.loads(
        subprocess.run(
            [sys.executable, "-c", BASELINE],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
    )
    used = child["peak_rss_mb"] - baseline
    print(
        json.dumps(
            {
                "file_mb": round(size_mb, 1),
                "rows": rows,
                "mode": ("import from the path (CLI)" if args.cli else "import from bytes (dashboard)")
                if args.do_import
                else "parse only",
                **child,
                "baseline_rss_mb": round(baseline, 1),
                "peak_over_file": round(used / size_mb, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
