"""Long work in the pages (issue 14): a bulk change or an import of at least ``MARKETABLE_BACKGROUND_FROM``
contacts runs as a background job; the sidebar shows its progress on every page, a new session finds it again,
and says how it ended, once."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from core.services import jobs
from core.store.engine import make_engine
from tests.conftest import Cli
from tests.factories import add_contacts, state_of
from tests.helpers import csv_text
from tests.pages.contacts_app import known_database, metrics, open_contacts, use_filter

LEADS = json.dumps([{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}])


@pytest.fixture(autouse=True)
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARKETABLE_BACKGROUND_FROM", "50")


def _sidebar_texts(at: AppTest) -> list[str]:
    return [v for e in at.sidebar if isinstance(v := getattr(e, "value", None), str)] + [
        e.proto.text for e in at.sidebar.get("progress")
    ]


def _finish(at: AppTest, job_id: int, url: str) -> None:
    engine = make_engine(url)
    assert jobs.wait_for(engine, job_id, timeout=60).state == "done"
    engine.dispose()
    at.run()
    assert not at.exception, at.exception


def test_a_bulk_change_over_the_threshold_runs_in_the_background_and_reports_in_the_sidebar(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    engine = known_database(app_env)
    add_contacts(engine, 60, state="marketing", prefix="bulk", lifecycle_stage="lead")
    at = open_contacts(open_app)
    use_filter(at, LEADS)
    at.radio(key="ct_scope").set_value("all").run()
    at.menu_button(key="ct_more").click("non_marketing").run()
    at.checkbox(key="ct_dlg_all").check().run()
    at.button(key="ct_dlg_confirm").click().run()
    assert not at.exception, at.exception
    assert "in the background" in at.success[0].value
    assert len(at.session_state["jobs_followed"]) <= 1, "followed, unless it already ended and was said"
    seen = _sidebar_texts(at)  # a small job may end before the sidebar's first poll
    (job,) = jobs.recent_jobs(engine, kind="set_status", limit=5)
    _finish(at, job.id, app_env)
    seen += _sidebar_texts(at)
    assert sum("Bulk status change" in t and "66 contacts set as non-marketing" in t for t in seen) == 1
    assert not at.session_state["jobs_followed"]
    assert Cli(app_env)("usage")["pending"] == 68 and state_of(engine, "bulk59@example.com") == "pending"
    assert metrics(at)["Marketing contacts until next update"] == "68", "the page drew again with the new counts"


def test_a_running_job_is_found_again_by_a_new_session_with_its_progress(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    engine = known_database(app_env)
    release = threading.Event()

    def work(progress: jobs.Progress) -> dict[str, object]:
        progress(0.4, "contacts up to id 400")
        release.wait(30)
        return {"to": "non-marketing", "will_change": 400, "effective_on": "2026-12-01"}

    job_id = jobs.start_job(engine, kind="set_status", actor="dashboard", params={"label": "leads"}, work=work)
    try:
        at = open_app()  # a new session: the person came back
        assert at.session_state["jobs_followed"] == [job_id]
        bars = at.sidebar.get("progress")
        assert len(bars) == 1 and "Bulk status change (leads): contacts up to id 400 (40%)" in bars[0].proto.text
    finally:
        release.set()
    _finish(at, job_id, app_env)
    assert any("400 contacts set as non-marketing" in t for t in _sidebar_texts(at))
    at.run()
    assert not any("400 contacts" in t for t in _sidebar_texts(at)), "said once"


def test_an_import_over_the_threshold_runs_in_the_background(open_app: Callable[..., AppTest], app_env: str) -> None:
    engine = known_database(app_env)
    rows = [[f"imp{i}@example.com", "", "", "lead", "Marketing contact", "", "", ""] for i in range(60)]
    at = open_app("pages/contacts/import_contacts.py")
    at.file_uploader(key="imp_file").set_value(("big.csv", csv_text(rows).encode(), "text/csv"))
    at.run()
    at.button(key="imp_run").click().run()
    assert not at.exception, at.exception
    assert "Importing big.csv in the background" in at.info[0].value
    # A small import may end before the sidebar's first poll: then that run already said how it went.
    seen = _sidebar_texts(at)
    (job,) = jobs.recent_jobs(engine, kind="import", limit=5)
    _finish(at, job.id, app_env)
    seen += _sidebar_texts(at)
    assert sum("Import (big.csv) done: 60 created" in t for t in seen) == 1, "said once"
    assert not at.session_state["jobs_followed"]
    assert state_of(engine, "imp59@example.com") == "marketing"


def test_update_dates_that_move_many_contacts_are_applied_in_the_background(
    open_app: Callable[..., AppTest], app_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = known_database(app_env)
    add_contacts(engine, 60, state="pending", prefix="due", effective_on=date(2026, 12, 1))
    monkeypatch.setenv("MARKETABLE_TODAY", "2026-12-02")
    at = open_app()
    followed = at.session_state["jobs_followed"]
    assert len(followed) == 1
    _finish(at, followed[0], app_env)
    assert any("Update dates applied: 62 contacts became non-marketing." in t for t in _sidebar_texts(at))
    assert state_of(engine, "due59@example.com") == "non_marketing"
    again = open_app()  # another session the same day: the day's run is done, nothing started again
    assert not again.session_state["jobs_followed"]
