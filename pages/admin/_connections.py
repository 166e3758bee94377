"""What the Connections page says about a sync: the last one, what the next one does, and its outcome."""

from typing import Any

import streamlit as st

from core.i18n import N_
from pages.shared.i18n import _, ngettext, number, pgettext

NEXT = {  # translated where shown
    "full": N_("The first sync reads every contact from HubSpot; later syncs read only those modified since."),
    "incremental": N_("The next sync reads the contacts HubSpot modified since the last sync started."),
    "resume": N_("The last sync was interrupted: the next one continues from the page after the last one written."),
}
PUSH_NOTE = N_(
    "HubSpot's API cannot change a marketing status. To apply a plan made here, select the contacts on the Contacts "
    "page and use **More → Send to HubSpot list**; then, in HubSpot, **Manage marketing contacts → Use a list**. "
    "The next sync shows the result."
)
COUNTS = ("fetched", "created", "updated", "unchanged", "stale", "conflicts", "errors")
FIGURES = {  # one count of a sync's outcome: "130 fetched"
    "fetched": N_("{n} fetched"),
    "created": N_("{n} created"),
    "updated": N_("{n} updated"),
    "unchanged": N_("{n} unchanged"),
    "stale": N_("{n} stale"),
    "conflicts": N_("{n} conflicts"),
    "errors": N_("{n} errors"),
}
METRICS = {  # the last sync's counts, as metric labels
    "fetched": N_("Fetched"),
    "created": N_("Created"),
    "updated": N_("Updated"),
    "unchanged": N_("Unchanged"),
    "stale": N_("Stale"),
    "conflicts": N_("Conflicts"),
    "errors": N_("Errors"),
}


def _mode(mode: str) -> str:
    names = {"full": pgettext("sync mode", "full"), "incremental": pgettext("sync mode", "incremental")}
    return names.get(mode, mode)


def outcome(result: dict[str, Any]) -> str:
    """One line for the flash message after a sync."""
    figures = ", ".join(_(FIGURES[k], n=int(result[k])) for k in COUNTS)
    if result["resumed"]:
        said = [_("HubSpot sync resumed and finished: {figures}.", figures=figures)]
    else:
        said = [_("HubSpot sync finished: {figures}.", figures=figures)]
    if result["conflicts"]:
        said.append(
            ngettext(
                "{n} contact changed here since the last sync kept its status.",
                "{n} contacts changed here since the last sync kept their status.",
                int(result["conflicts"]),
            )
        )
    if result["undone"]:
        said.append(
            ngettext(
                "{n} change scheduled here was undone: HubSpot says that contact is marketing.",
                "{n} changes scheduled here were undone: HubSpot says those contacts are marketing.",
                int(result["undone"]),
            )
        )
    return " ".join(said)


def last_sync(last: dict[str, Any] | None) -> None:
    """The last sync's figures, or that there was none."""
    if last is None:
        st.write(_("No sync yet."))
        return
    fields = {
        "mode": _mode(last["mode"]),
        "started": last["started_at"],
        "fetched": int(last["fetched"]),
        "pages": int(last["pages"]),
        "requests": int(last["requests"]),
        "retries": int(last["retries"]),
    }
    total = int(last["total"] or 0)
    if last["status"] == "done":
        text = ngettext(
            "Last sync ({mode}) started {started}: finished, {fetched} of {n} contact read in {pages} pages, "
            "{requests} requests, {retries} retries.",
            "Last sync ({mode}) started {started}: finished, {fetched} of {n} contacts read in {pages} pages, "
            "{requests} requests, {retries} retries.",
            total,
            **fields,
        )
    else:
        text = ngettext(
            "Last sync ({mode}) started {started}: interrupted (or still running), {fetched} of {n} contact read in "
            "{pages} pages, {requests} requests, {retries} retries.",
            "Last sync ({mode}) started {started}: interrupted (or still running), {fetched} of {n} contacts read "
            "in {pages} pages, {requests} requests, {retries} retries.",
            total,
            **fields,
        )
    st.write(text)
    cols = st.columns(len(COUNTS))
    for col, key in zip(cols, COUNTS, strict=True):
        col.metric(_(METRICS[key]), number(int(last[key])))
