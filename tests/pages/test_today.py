"""The dashboard's today is the deployment's day (docs/domain.md §3, §10): ``MARKETABLE_TODAY`` when pinned, else
today in the account's time zone — the same function the command line uses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from core.store.engine import make_engine
from core.store.schema import account
from tests.conftest import Cli, pin_today


def _today_shown(at: AppTest) -> str:
    return next(c.value for c in at.sidebar.caption if c.value.startswith("Today: "))


def test_the_dashboard_shows_and_acts_on_the_pinned_day(open_app: Callable[..., AppTest], app_env: str) -> None:
    cli = Cli(app_env)
    cli("init")  # on 26 Nov: the update date of 1 Dec is still to come
    pin_today("2026-12-03")
    at = open_app()
    assert _today_shown(at) == "Today: 03 Dec 2026"
    assert cli("apply-updates", today="2026-12-03")["applied"] == [], "opening the dashboard applied 1 Dec already"
    update = cli("audit", "--kind", "update", today="2026-12-03")["entries"]
    assert [(e["source_id"], e["acted_on"], e["actor"]) for e in update] == [("2026-12-01", "2026-12-03", "system")]


def test_unpinned_the_dashboard_takes_today_in_the_accounts_time_zone(
    open_app: Callable[..., AppTest], app_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    Cli(app_env)("init")
    zone = "Pacific/Kiritimati" if datetime.now(UTC).hour >= 10 else "Etc/GMT+12"  # never on UTC's date
    engine = make_engine(app_env)
    with engine.begin() as conn:
        conn.execute(update(account).values(timezone=zone))
    engine.dispose()
    monkeypatch.delenv("MARKETABLE_TODAY")
    at = open_app()
    assert _today_shown(at) == f"Today: {datetime.now(ZoneInfo(zone)).date():%d %b %Y}"
    assert _today_shown(at) != f"Today: {datetime.now(UTC).date():%d %b %Y}"


def test_a_dashboard_pinned_before_the_last_day_acted_on_says_so_instead_of_failing(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    cli = Cli(app_env)
    cli("init")
    cli("apply-updates", today="2026-12-03")  # acted on 3 Dec; then the deployment's day is pinned back to 26 Nov
    pin_today("2026-11-26")
    at = open_app()
    assert _today_shown(at) == "Today: 26 Nov 2026"
    assert any("2026-11-26 is before 2026-12-03, the last day a change acted on" in e.value for e in at.error)
