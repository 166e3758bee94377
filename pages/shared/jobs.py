"""Long changes on every page (docs/architecture.md, "Long work"): the jobs this person has running, each with its
progress bar, polled every second in the sidebar; when one ends, how it went, once. Leaving the page, or closing
the browser and coming back, loses nothing: running jobs are found again from the database."""

from __future__ import annotations

import streamlit as st

from core.services.jobs import job_status, recent_jobs
from pages.shared import i18n, session
from pages.shared.i18n import _
from pages.shared.job_text import failure, label, outcome, step

FOLLOWED = "jobs_followed"  # ids of the jobs this session shows
ENDED = "jobs_ended"  # how the jobs that ended since the last run went: (level, text), shown once
POLL_S = 1.0


def follow(job_id: int) -> None:
    """Show this job's progress in the sidebar until it ends."""
    followed: list[int] = st.session_state.setdefault(FOLLOWED, [])
    if job_id not in followed:
        followed.append(job_id)


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
                text = outcome(job) if done else failure(job)
                st.session_state.setdefault(ENDED, []).append(("success" if done else "error", text))
            continue
        st.progress(
            job.progress,
            text=_(
                "{label}: {step} ({percent})",
                label=label(job),
                step=step(job),
                percent=i18n.t().percent(job.progress),
            ),
        )
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
        st.caption(_("Running in the background — you can leave this page."))
        _progress()
