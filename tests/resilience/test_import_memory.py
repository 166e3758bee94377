"""A big import stays within a few times its file's size in memory (issue 11): the file is read as a stream and its
rows kept packed, not decoded whole and held as objects (which took 12 to 14 times the file's size).

The import runs in its own process, as ``python -m core import FILE`` runs it (the file read from its path; parse,
fold and write in one transaction). The peak of the memory it allocates from the moment the import begins (the peak
resident memory less the files mapped, whose pages come and go with the machine's other work) above what it held
then is compared with the file's size. SQLite's page cache is set small there: it is bounded by the database (64 MB
by default), not by the file, and is not what is measured.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.resilience.conftest import ROOT

pytestmark = pytest.mark.slow

MEGABYTES = 16
LIMIT = 4.0  # peak memory growth, in times the file's size

CHILD = """
import json, sys
from datetime import date
from pathlib import Path

from sqlalchemy import event

from core.services.imports.service import Consent, import_csv
from core.services.setup import init
from core.store.engine import make_engine

path, db = Path(sys.argv[1]), sys.argv[2]
engine = make_engine(f"sqlite:///{db}")
init(engine, today=date(2026, 11, 26), actor="t", start_date=date(2026, 1, 15))
engine.dispose()


@event.listens_for(engine, "connect")
def small_cache(dbapi, _):  # after make_engine's own pragmas
    dbapi.execute("PRAGMA cache_size=-2000")


import_csv(engine, b"Email\\nwarm@example.com\\n", today=date(2026, 11, 26), actor="t")  # every module loaded


def status():
    found = (line.split() for line in Path("/proc/self/status").read_text().splitlines())
    wanted = ("Rss", "VmHWM")
    return {fields[0].rstrip(":"): int(fields[1]) for fields in found if fields and fields[0].startswith(wanted)}


try:
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) counts from here
except OSError:
    pass  # it counts from the start: the comparison is only stricter
before = status()["RssAnon"]
done = import_csv(engine, path, today=date(2026, 11, 26), actor="t", consent=Consent(tier_upgrade=True))
after = status()
# The peak of memory allocated (anonymous): the peak resident memory less the files mapped (libraries' pages, which
# come and go with the machine's other work).
growth = after["VmHWM"] - after["RssFile"] - after["RssShmem"] - before
print(json.dumps({"created": done.created, "rejected": len(done.rejected), "growth_kb": growth, **after}))
"""


def _generate(path: Path, megabytes: int) -> int:
    """A HubSpot-format file of about ``megabytes`` (as ``scripts/upload_memory.py`` writes it)."""
    lines = ["Email,First Name,Last Name,Lifecycle Stage,Create Date,Marketing contact status\n"]
    size, i = 0, 0
    while size < megabytes * 1_000_000:
        day = f"2026-03-{1 + i % 28:02d} 10:00:00"
        lines.append(f"person{i}@example{i % 97}.com,First{i},Last{i},lead,{day},Marketing contact\n")
        size += len(lines[-1])
        i += 1
    path.write_text("".join(lines), encoding="utf-8", newline="")
    return i


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the resident memory from /proc (Linux)")
def test_a_big_import_takes_less_than_four_times_its_file_in_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    rows = _generate(path, MEGABYTES)
    size_kb = path.stat().st_size / 1024
    command = [sys.executable, "-c", CHILD, str(path), str(tmp_path / "memory.db")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert (found["created"], found["rejected"]) == (rows, 0)
    ratio = found["growth_kb"] / size_kb
    assert ratio < LIMIT, f"the import of a {size_kb / 1024:.0f} MB file grew by {ratio:.1f} times its size: {found}"
