"""Two sessions opening the app at once apply each due update date exactly once."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, func, select

from core.services.updates import UpdateResult, apply_updates
from core.store.engine import make_engine
from core.store.schema import status_events, update_runs
from tests.conftest import TODAY, Cli, pin_today
from tests.services.usage_data import emails, import_rows, person


def test_two_concurrent_apply_updates_apply_each_update_date_exactly_once(
    engine: Engine, cli: Cli, db_url: str, tmp_path: Path
) -> None:
    import_rows(cli, tmp_path, [person(n) for n in range(20)], today=TODAY)
    cli("set-status", "--to", "non-marketing", "--emails", emails(*range(10)))
    later = pin_today(date(2027, 2, 5))  # three update dates have come: 1 Dec, 1 Jan, 1 Feb
    sessions = [make_engine(db_url), make_engine(db_url)]  # two app sessions: own engines, own connections
    start = threading.Barrier(2)
    results: list[UpdateResult] = []
    errors: list[BaseException] = []

    def open_app(session: Engine) -> None:
        try:
            start.wait()
            results.append(apply_updates(session, today=later, actor="system"))
        except BaseException as exc:  # reported below: a thread's exception would otherwise vanish
            errors.append(exc)

    threads = [threading.Thread(target=open_app, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for session in sessions:
        session.dispose()
    assert not errors, errors
    applied = sorted(a["update_date"] for r in results for a in r.applied)
    assert applied == ["2026-12-01", "2027-01-01", "2027-02-01"], "each date once, by one of the two sessions"
    assert sum(int(str(a["became_non_marketing"])) for r in results for a in r.applied) == 10
    with engine.connect() as conn:
        runs = conn.execute(select(update_runs.c.update_date, func.count()).group_by(update_runs.c.update_date)).all()
        left = conn.execute(
            select(func.count()).select_from(status_events).where(status_events.c.new_state == "non_marketing")
        ).scalar_one()
    assert all(n == 1 for _, n in runs)
    assert left == 10, "one update event per contact"
    assert cli("usage", today=later)["marketing"] == 10
