"""Long changes on every page (docs/architecture.md, "Long work"): the jobs this person has running, each with its
progress bar, polled every second in the sidebar; when one ends, how it went, once. Leaving the page, or closing
the browser and coming back, loses nothing: running jobs are found again from the database."""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from core.i18n import N_
from core.services.background import WORKFLOWS_STEP
from core.services.jobs import INTERRUPTED, INTERRUPTED_IN_BATCHES, Job, job_status, recent_jobs
from pages.admin._connections import outcome as sync_outcome
from pages.shared import i18n, session
from pages.shared.i18n import _, ngettext

FOLLOWED = "jobs_followed"  # ids of the jobs this session shows
ENDED = "jobs_ended"  # how the jobs that ended since the last run went: (level, text), shown once
POLL_S = 1.0
LABELS = {  # translated where shown
    "set_status": N_("Bulk status change"),
    "import": N_("Import"),
    "apply_updates": N_("Update dates"),
    "workflows_run": N_("Workflows"),
    "hubspot_sync": N_("HubSpot sync"),
}
# A job's error and step as core wrote them (stored in English): those known here are said in the reader's language.
KNOWN_ERRORS = (INTERRUPTED, INTERRUPTED_IN_BATCHES)
KNOWN_STEPS = (WORKFLOWS_STEP,)
SYNC_STEP = re.compile(r"([\d,]+) of ([\d,]+) contacts")  # core.services.hubspot.sync's progress: "130 of 260 contacts"


def follow(job_id: int) -> None:
    """Show this job's progress in the sidebar until it ends."""
    followed: list[int] = st.session_state.setdefault(FOLLOWED, [])
    if job_id not in followed:
        followed.append(job_id)


def _label(job: Job) -> str:
    detail = job.params.get("label") or job.params.get("file_name") or ""
    kind = _(LABELS[job.kind]) if job.kind in LABELS else job.kind
    return _("{kind} ({detail})", kind=kind, detail=detail) if detail else kind


def _step(job: Job) -> str:
    """The step a job reported (stored in English), in the reader's language when it is one core says."""
    if job.step in KNOWN_STEPS:
        return _(job.step)
    if job.kind == "hubspot_sync" and (found := SYNC_STEP.fullmatch(job.step)):
        fetched, total = (int(part.replace(",", "")) for part in found.groups())
        return ngettext("{fetched} of {n} contact", "{fetched} of {n} contacts", total, fetched=fetched)
    return job.step


def _set_status_outcome(job: Job, r: dict[str, Any]) -> str:
    n, label = int(r.get("will_change", 0)), _label(job)
    if r.get("to") == "marketing":
        said = ngettext(
            "{label} done: {n} contact set as marketing.",
            "{label} done: {n} contacts set as marketing.",
            n,
            label=label,
        )
    elif r.get("to") == "non-marketing":
        said = ngettext(
            "{label} done: {n} contact set as non-marketing.",
            "{label} done: {n} contacts set as non-marketing.",
            n,
            label=label,
        )
    else:
        said = ngettext(
            "{label} done: {n} contact set as {to}.",
            "{label} done: {n} contacts set as {to}.",
            n,
            label=label,
            to=str(r.get("to")),
        )
    if r.get("effective_on"):
        said += " " + _("They become non-marketing on {day}.", day=str(r["effective_on"]))
    return said


def _outcome(job: Job) -> str:
    r: dict[str, Any] = job.result or {}
    if job.kind == "set_status":
        return _set_status_outcome(job, r)
    if job.kind == "import":
        created, updated, rejected = r.get("created", 0), r.get("updated", 0), len(r.get("rejected", []))
        return ngettext(
            "{label} done: {created} created, {updated} updated, {n} row rejected.",
            "{label} done: {created} created, {updated} updated, {n} rows rejected.",
            rejected,
            label=_label(job),
            created=int(created),
            updated=int(updated),
        )
    if job.kind == "apply_updates":
        left = sum(int(a.get("became_non_marketing", 0)) for a in r.get("applied", []))
        return ngettext(
            "Update dates applied: {n} contact became non-marketing.",
            "Update dates applied: {n} contacts became non-marketing.",
            left,
        )
    if job.kind == "hubspot_sync":
        return sync_outcome(r)
    return _("{label} done.", label=_label(job))


def _failure(job: Job) -> str:
    error = job.error or ""
    return _("{label} failed: {error}", label=_label(job), error=_(error) if error in KNOWN_ERRORS else error)


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
                text = _outcome(job) if done else _failure(job)
                st.session_state.setdefault(ENDED, []).append(("success" if done else "error", text))
            continue
        st.progress(
            job.progress,
            text=_(
                "{label}: {step} ({percent})",
                label=_label(job),
                step=_step(job),
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
