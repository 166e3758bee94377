"""What the sidebar says about a background job (``pages.shared.jobs``): its name, its step, and how it ended, in the
reader's language. Jobs are stored in English (their steps and errors are written by core as they run); the texts
core writes for every job of a kind are said again here in the reader's language."""

from __future__ import annotations

import re
from typing import Any

from core.i18n import N_
from core.services.background import WORKFLOWS_STEP
from core.services.jobs import INTERRUPTED, INTERRUPTED_IN_BATCHES, Job
from pages.admin._connections import outcome as sync_outcome
from pages.shared.i18n import _, ngettext

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


def label(job: Job) -> str:
    """What the job is, as the sidebar names it: ``Import (big.csv)``."""
    detail = job.params.get("label") or job.params.get("file_name") or ""
    kind = _(LABELS[job.kind]) if job.kind in LABELS else job.kind
    return _("{kind} ({detail})", kind=kind, detail=detail) if detail else kind


def step(job: Job) -> str:
    """The step a job reported (stored in English), in the reader's language when it is one core says."""
    if job.step in KNOWN_STEPS:
        return _(job.step)
    if job.kind == "hubspot_sync" and (found := SYNC_STEP.fullmatch(job.step)):
        fetched, total = (int(part.replace(",", "")) for part in found.groups())
        return ngettext("{fetched} of {n} contact", "{fetched} of {n} contacts", total, fetched=fetched)
    return job.step


def _set_status_outcome(job: Job, r: dict[str, Any]) -> str:
    n, name = int(r.get("will_change", 0)), label(job)
    if r.get("to") == "marketing":
        said = ngettext(
            "{label} done: {n} contact set as marketing.",
            "{label} done: {n} contacts set as marketing.",
            n,
            label=name,
        )
    elif r.get("to") == "non-marketing":
        said = ngettext(
            "{label} done: {n} contact set as non-marketing.",
            "{label} done: {n} contacts set as non-marketing.",
            n,
            label=name,
        )
    else:
        said = ngettext(
            "{label} done: {n} contact set as {to}.",
            "{label} done: {n} contacts set as {to}.",
            n,
            label=name,
            to=str(r.get("to")),
        )
    if r.get("effective_on"):
        said += " " + _("They become non-marketing on {day}.", day=str(r["effective_on"]))
    return said


def outcome(job: Job) -> str:
    """How a job that ended well went, in one message."""
    r: dict[str, Any] = job.result or {}
    if job.kind == "set_status":
        return _set_status_outcome(job, r)
    if job.kind == "import":
        created, updated, rejected = r.get("created", 0), r.get("updated", 0), len(r.get("rejected", []))
        return ngettext(
            "{label} done: {created} created, {updated} updated, {n} row rejected.",
            "{label} done: {created} created, {updated} updated, {n} rows rejected.",
            rejected,
            label=label(job),
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
    return _("{label} done.", label=label(job))


def failure(job: Job) -> str:
    """Why a job failed (core stored its error in English: the ones it says of every job are translated)."""
    error = job.error or ""
    return _("{label} failed: {error}", label=label(job), error=_(error) if error in KNOWN_ERRORS else error)
