"""What the Connections page says about a sync: the last one, what the next one does, and its outcome."""

from typing import Any

import streamlit as st

NEXT = {
    "full": "The first sync reads every contact from HubSpot; later syncs read only those modified since.",
    "incremental": "The next sync reads the contacts HubSpot modified since the last sync started.",
    "resume": "The last sync was interrupted: the next one continues from the page after the last one written.",
}
PUSH_NOTE = (
    "HubSpot's API cannot change a marketing status. To apply a plan made here, select the contacts on the Contacts "
    "page and use **More → Send to HubSpot list**; then, in HubSpot, **Manage marketing contacts → Use a list**. "
    "The next sync shows the result."
)
COUNTS = ("fetched", "created", "updated", "unchanged", "stale", "conflicts", "errors")


def outcome(result: dict[str, Any]) -> str:
    """One line for the flash message after a sync."""
    figures = ", ".join(f"{result[k]:,} {k}" for k in COUNTS)
    kept = (
        f" {result['conflicts']:,} contacts changed here since the last sync kept their status."
        if result["conflicts"]
        else ""
    )
    undone = (
        f" {result['undone']:,} changes scheduled here were undone: HubSpot says those contacts are marketing."
        if result["undone"]
        else ""
    )
    return f"HubSpot sync {'resumed and ' if result['resumed'] else ''}finished: {figures}.{kept}{undone}"


def last_sync(last: dict[str, Any] | None) -> None:
    """The last sync's figures, or that there was none."""
    if last is None:
        st.write("No sync yet.")
        return
    state = {"done": "finished", "running": "interrupted (or still running)"}[last["status"]]
    st.write(
        f"Last sync ({last['mode']}) started {last['started_at']}: {state}, "
        f"{last['fetched']:,} of {last['total'] or 0:,} contacts read in {last['pages']:,} pages, "
        f"{last['requests']:,} requests, {last['retries']:,} retries."
    )
    cols = st.columns(len(COUNTS))
    for col, key in zip(cols, COUNTS, strict=True):
        col.metric(key.capitalize(), f"{last[key]:,}")
