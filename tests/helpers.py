"""Small builders for tests: contacts straight into a database, and CSV text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

HEADER = (
    "Email",
    "First Name",
    "Last Name",
    "Lifecycle Stage",
    "Marketing contact status",
    "Marketing contact until next update",
    "Email hard bounce reason",
    "Unsubscribed from all email",
)


def csv_text(rows: Iterable[Sequence[Any]], header: Sequence[str] = HEADER) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return out.getvalue()
