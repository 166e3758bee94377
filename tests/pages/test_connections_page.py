"""The Connections page syncs from a local HubSpot (tests/hubspot_fake.py) with a progress bar, says what the last
sync did and how a plan reaches HubSpot, and never shows the access token (docs/domain.md §12)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from streamlit.testing.v1 import AppTest

from core.services import background, jobs
from core.settings import HUBSPOT_TOKEN_ENV, HUBSPOT_URL_ENV
from core.store.engine import make_engine
from tests.conftest import TODAY, Cli
from tests.hubspot_fake import HubSpotState, running
from tests.pages.usage_app import keep_running_app_py

TOKEN = "pat-eu1-aaaabbbb-cccc-dddd-eeee-ffff00001111"
PAGE = "pages/admin/connections.py"


@pytest.fixture(autouse=True)
def _every_run_starts_from_app_py(monkeypatch: pytest.MonkeyPatch) -> None:
    keep_running_app_py(monkeypatch)


@pytest.fixture
def hubspot(monkeypatch: pytest.MonkeyPatch) -> Iterator[HubSpotState]:
    with running(TOKEN) as (url, state):
        monkeypatch.setenv(HUBSPOT_TOKEN_ENV, TOKEN)
        monkeypatch.setenv(HUBSPOT_URL_ENV, url)
        for i in range(1, 131):
            state.add_contact(i, email=f"hub{i}@example.com", hs_marketable_status=i % 2 == 0, firstname=f"H{i}")
        yield state


def _texts(at: AppTest) -> str:
    """Everything the page shows as text (markdown, captions, alerts, metrics, buttons, labels)."""
    parts: list[str] = []
    for element in at:
        for attribute in ("value", "label", "body", "help"):
            value = getattr(element, attribute, None)
            if isinstance(value, str):
                parts.append(value)
    return "\n".join(parts)


def _sync_and_wait(at: AppTest, url: str) -> tuple[jobs.Job, str]:
    """Click Sync now; the sync runs as a background job: wait for it, and return it with what the sidebar said."""
    at.button(key="hubspot_sync").click().run()
    assert not at.exception, at.exception
    said = [v for e in at.sidebar if isinstance(v := getattr(e, "value", None), str)]
    engine = make_engine(url)
    (job,) = jobs.recent_jobs(engine, kind="hubspot_sync", limit=5)
    done = jobs.wait_for(engine, job.id, timeout=60)
    engine.dispose()
    at.run()
    assert not at.exception, at.exception
    said += [v for e in at.sidebar if isinstance(v := getattr(e, "value", None), str)]
    return done, "\n".join(said)


def test_the_page_syncs_from_hubspot_in_the_background_and_shows_the_figures(
    open_app: Callable[..., AppTest], app_env: str, hubspot: HubSpotState
) -> None:
    at = open_app(PAGE)
    assert "No sync yet." in _texts(at)
    assert "Manage marketing contacts → Use a list" in _texts(at)
    job, said = _sync_and_wait(at, app_env)
    assert job.state == "done" and job.requested_by == "dashboard"
    assert "HubSpot sync finished: 130 fetched, 130 created, 0 updated" in said, "the sidebar says how it went"
    texts = _texts(at)
    assert "Last sync (full)" in texts and "130 of 130 contacts read in 2 pages" in texts
    assert {m.label: m.value for m in at.metric}["Created"] == "130"
    found = Cli(app_env)(
        "contacts", "page", "--filter", '[{"property": "email", "operator": "eq", "value": "hub2@example.com"}]'
    )
    assert found["contacts"][0]["state"] == "marketing"
    assert TOKEN not in texts


def test_the_sync_reports_its_progress_and_a_second_click_follows_the_running_sync(
    open_app: Callable[..., AppTest], app_env: str, hubspot: HubSpotState
) -> None:
    open_app(PAGE)  # the database, as the dashboard makes it
    engine = make_engine(app_env)
    first = background.sync_job(engine, today=TODAY, actor="dashboard")
    second = background.sync_job(engine, today=TODAY, actor="dashboard")
    done = jobs.wait_for(engine, first, timeout=60)
    if second != first:  # allowed only if the first had already ended when the second was asked for
        status = jobs.job_status(engine, first)
        assert status is not None and status.finished_at is not None
        assert status.finished_at <= jobs.job_status(engine, second).created_at  # type: ignore[union-attr]
        jobs.wait_for(engine, second, timeout=60)
    assert done.state == "done" and done.progress == 1.0
    assert done.result is not None and done.result["fetched"] == 130 and done.result["created"] == 130
    engine.dispose()


def test_without_a_token_the_page_says_how_to_configure_one_and_cannot_sync(
    open_app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.delenv(HUBSPOT_TOKEN_ENV, raising=False)
    at = open_app(PAGE)
    assert "No HubSpot access token is configured" in at.warning[0].value
    assert at.button(key="hubspot_sync").disabled


def test_a_refused_token_is_shown_as_an_error_without_the_token(
    open_app: Callable[..., AppTest], app_env: str, hubspot: HubSpotState, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = "pat-eu1-wrong-0000-0000-0000-000000000000"
    monkeypatch.setenv(HUBSPOT_TOKEN_ENV, wrong)
    at = open_app(PAGE)
    job, said = _sync_and_wait(at, app_env)
    assert job.state == "failed"
    assert "HubSpot sync failed: HubSpot refused the access token (401)" in said
    assert wrong not in said + _texts(at) and TOKEN not in said + _texts(at)
