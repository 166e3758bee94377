"""Long changes on every page (docs/architecture.md, "Long work"): the jobs this person has running, each with its
progress bar, polled every second in the sidebar; when one ends, how it went, once. Leaving the page, or closing
the browser and coming back, loses nothing: running jobs are found again from the database."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.services.jobs import Job, job_status, recent_jobs
from pages.admin._connections import outcome as sync_outcome
from pages.shared import session

FOLLOWED = "jobs_followed"  # ids of the jobs this session shows
ENDED = "jobs_ended"  # how the jobs that ended since the last run went: (level, text), shown once
POLL_S = 1.0
LABELS = {
    "set_status": "Bulk status change",
    "import": "Import",
    "apply_updates": "Update dates",
    "workflows_run": "Workflows",
    "hubspot_sync": "HubSpot sync",
}


def follow(job_id: int) -> None:
    """Show this job's progress in the sidebar until it ends."""
    followed: list[int] = st.session_state.setdefault(FOLLOWED, [])
    if job_id not in followed:
        followed.append(job_id)


def _label(job: Job) -> str:
    detail = job.params.get("label") or job.params.get("file_name") or ""
    return f"{LABELS.get(job.kind, job.kind)}{f' ({detail})' if detail else ''}"


def _outcome(job: Job) -> str:
    r: dict[str, Any] = job.result or {}
    if job.kind == "set_status":
        when = f" They become non-marketing on {r['effective_on']}." if r.get("effective_on") else ""
        return f"{_label(job)} done: {int(r.get('will_change', 0)):,} contacts set as {r.get('to')}.{when}"
    if job.kind == "import":
        created, updated, rejected = r.get("created", 0), r.get("updated", 0), len(r.get("rejected", []))
        return f"{_label(job)} done: {created:,} created, {updated:,} updated, {rejected:,} rows rejected."
    if job.kind == "apply_updates":
        left = sum(int(a.get("became_non_marketing", 0)) for a in r.get("applied", []))
        return f"Update dates applied: {left:,} contacts became non-marketing."
    if job.kind == "hubspot_sync":
        return sync_outcome(r)
    return f"{_label(job)} done."


def _adopt_running() -> None:
    """A new session (or a come-back) follows the jobs this person still has running."""
    st.session_state.setdefault(FOLLOWED, [])
    for job in recent_jobs(session.engine(), requested_by=session.actor(), limit=5):
        if not job.finished:
            follow(job.id)


@st.fragment(run_every=POLL_S)
def _progress() -> None:
    followed: list[int] = st.session_state.get(FOLLOWED, [])
    ended = False
    for job_id in list(followed):
        job = job_status(session.engine(), job_id)
        if job is None or job.finished:
            followed.remove(job_id)
            if job is not None:
                ended = True
                done = job.state == "done"
                text = _outcome(job) if done else f"{_label(job)} failed: {job.error}"
                st.session_state.setdefault(ENDED, []).append(("success" if done else "error", text))
            continue
        st.progress(job.progress, text=f"{_label(job)}: {job.step} ({job.progress:.0%})")
    if ended:
        st.rerun(scope="app")  # the pages draw again: new counts, and the message once


def draw() -> None:
    """In the sidebar: running jobs with their progress (nothing, and no polling, when there are none). Only for
    someone let in: local mode, or signed in."""
    if not (st.session_state.get("local_mode") or st.session_state.get("signed_in")):  # set by access.gate
        return
    if FOLLOWED not in st.session_state:
        _adopt_running()
    for level, text in st.session_state.pop(ENDED, []):
        (st.success if level == "success" else st.error)(text)
    if st.session_state.get(FOLLOWED):
        st.caption("Running in the background — you can leave this page.")
        _progress()
