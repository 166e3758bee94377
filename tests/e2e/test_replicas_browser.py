"""Two real ``streamlit run`` servers on one PostgreSQL database (issue 14): two people, one on each replica, open
the app on a day whose update date has not been applied, then confirm bulk changes at the same moment. The update
date is applied once, both changes land whole, with one event per contact moved and no broken chain of events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from core.store.engine import make_engine
from tests.conftest import Cli
from tests.e2e.conftest import Server, settle
from tests.e2e.test_contacts_browser import _more, _select_rows
from tests.factories import add_contacts, state_of
from tests.resilience.conftest import broken_chains

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]
RUN_ON = "2026-08-20"


def _world(db_url: str) -> None:
    Cli(db_url)("init", "--start-date", "2026-01-15", today="2026-07-10")
    engine = make_engine(db_url)
    add_contacts(engine, 6, state="marketing", prefix="m", lifecycle_stage="lead")  # ids 1-6
    add_contacts(engine, 2, state="pending", prefix="p", effective_on=date(2026, 8, 1))  # 7-8, due on 1 Aug
    add_contacts(engine, 4, state="non_marketing", prefix="n", lifecycle_stage="customer")  # 9-12
    engine.dispose()


def _contacts(page: Any, server: Server) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Contacts", exact=True).click()
    settle(page)


def test_two_streamlit_replicas_on_one_postgresql_apply_the_update_date_once_and_lose_no_update(
    browser: Any, start_server: Callable[..., Server], postgres_url: str
) -> None:
    env = {"MARKETABLE_TODAY": RUN_ON}
    first = start_server(setup=_world, env=env, db_url=postgres_url)
    second = start_server(env=env, db_url=postgres_url)
    pages = [browser.new_page(viewport={"width": 1400, "height": 1000}) for _ in range(2)]
    for page, server in zip(pages, (first, second), strict=True):
        page.goto(server.url)  # both open at once: each sidebar catches up the update dates that have come
    for page, server in zip(pages, (first, second), strict=True):
        settle(page)
        _contacts(page, server)
    engine = make_engine(postgres_url)
    with engine.connect() as conn:
        runs = [str(d) for (d,) in conn.execute(text("SELECT update_date FROM update_runs ORDER BY 1"))]
    assert len(runs) == len(set(runs)) and "2026-08-01" in runs, runs
    # Newest first: rows 0-3 are n3..n0 (ids 12-9), 4-5 the two that just left, 6-9 are m5..m2 (ids 6-3).
    a, b = pages
    _select_rows(a, [0, 1, 2, 3])
    _more(a, "Set as marketing")
    dialog_a = a.get_by_role("dialog", name="Set as marketing")
    dialog_a.get_by_role("textbox").fill("4")
    dialog_a.get_by_role("textbox").press("Enter")
    settle(a)
    _select_rows(b, [6, 7, 8, 9])
    _more(b, "Set as non-marketing")
    dialog_b = b.get_by_role("dialog", name="Set as non-marketing")
    expect(dialog_a.get_by_role("button", name="Set as marketing")).to_be_enabled()
    dialog_a.get_by_role("button", name="Set as marketing").click()  # both confirmed at the same moment
    dialog_b.get_by_role("button", name="Set as non-marketing").click()
    settle(a)
    settle(b)
    expect(a.get_by_test_id("stAlertContentSuccess")).to_contain_text("4 contacts became marketing")
    expect(b.get_by_test_id("stAlertContentSuccess")).to_contain_text("Scheduled 4 contacts as non-marketing")
    states = {f"n{i}": state_of(engine, f"n{i}@example.com") for i in range(4)}
    states |= {f"m{i}": state_of(engine, f"m{i}@example.com") for i in range(6)}
    states |= {f"p{i}": state_of(engine, f"p{i}@example.com") for i in range(2)}
    assert states == {
        **{f"n{i}": "marketing" for i in range(4)},
        **{f"m{i}": "pending" for i in range(2, 6)},
        "m0": "marketing",
        "m1": "marketing",
        "p0": "non_marketing",
        "p1": "non_marketing",
    }
    assert broken_chains(engine) == 0, "every event starts from the state the previous one left"
    with engine.connect() as conn:
        moves = conn.execute(text("SELECT count(*), count(DISTINCT contact_id) FROM status_events")).one()
    assert tuple(moves) == (10, 10), "one event per contact moved: 2 left on the update date, 4 + 4 by the two"
    assert Cli(postgres_url)("usage", today=RUN_ON)["pending"] == 4
    engine.dispose()
