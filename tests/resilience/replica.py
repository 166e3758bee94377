"""A dashboard replica in a process of its own (``test_replicas``): at the agreed moment it does what the pages
do for a long change, through the same services: start a set-status job and wait for it, then start the day's
update dates as a job (the sidebar's catch-up) and wait for it. Prints one JSON object.

    python -m tests.resilience.replica DB_URL TO FILTER_JSON START_AT
"""

from __future__ import annotations

import json
import sys
import time

from core.rules.filters import parse_filter
from core.rules.selection import Selection
from core.rules.status import MarketingStatus
from core.services import background, jobs
from core.services.setup import today_of
from core.store.engine import make_engine


def main(url: str, to: str, filter_json: str, start_at: float) -> dict[str, object]:
    engine = make_engine(url)
    today = today_of(engine)
    selection = Selection(conditions=parse_filter(filter_json))
    while time.time() < start_at:
        time.sleep(0.002)
    change_id = background.set_status_job(
        engine,
        selection=selection,
        to=MarketingStatus.parse(to),
        today=today,
        actor="dashboard",
        allow_tier_upgrade=True,
    )
    change = jobs.wait_for(engine, change_id, timeout=300)
    updates_id = background.updates_job(engine, today=today)
    updates = jobs.wait_for(engine, updates_id, timeout=300) if updates_id is not None else None
    engine.dispose()
    return {
        "change": change.as_json(),
        "updates_job": updates_id,
        "updates": updates.as_json() if updates is not None else None,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])), default=str))
