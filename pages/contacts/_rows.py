"""The Contacts table's rows as people read them: names joined, the status in words, dates as days."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.rules.hubspot_labels import stage_label
from core.rules.status import STATE_LABELS
from core.services.contact_detail import describe_source

STATUS_TEXT = {state.value: label for state, label in STATE_LABELS.items()}
# The key columns first: the status (this app's subject), then the email. On a phone (390 px) the grid shows
# about 320 px beside the selection boxes, which the status column fits whole; the rest scrolls sideways.
COLUMN_ORDER = [
    "Marketing status",
    "Email",
    "Name",
    "Lifecycle stage",
    "Status set by",
    "Created",
    "Last activity",
    "ID",
]
COLUMNS = {
    "ID": st.column_config.NumberColumn("ID", format="%d", width=60),
    "Email": st.column_config.TextColumn("Email", width=220),
    "Name": st.column_config.TextColumn("Name", width=110),
    "Lifecycle stage": st.column_config.TextColumn("Lifecycle stage", width=150),
    "Marketing status": st.column_config.TextColumn("Marketing status", width=285),
    "Status set by": st.column_config.TextColumn("Status set by", width=160),
    "Created": st.column_config.TextColumn("Created", width=95),
    "Last activity": st.column_config.TextColumn("Last activity", width=95),
}


# A click on one of these headers sorts every matching contact on the server (an indexed sort); the grid's own
# sort, which would reorder only the 50 rows it holds, is off (column selection is on instead).
HEADER_SORTS = {
    "Email": "email",
    "Name": "last_name",
    "Lifecycle stage": "lifecycle_stage",
    "Created": "created_at",
    "Last activity": "last_activity_at",
}


def columns(sort: str, descending: bool) -> dict[str, Any]:
    """The column settings, the sorted column's header marked with its direction."""
    marked = dict(COLUMNS)
    for header, key in HEADER_SORTS.items():
        if key == sort:
            marked[header] = {**COLUMNS[header], "label": f"{header} {'↓' if descending else '↑'}"}
    return marked


def _status(row: dict[str, Any]) -> str:
    if row["state"] == "pending" and row["effective_on"]:
        return f"{STATUS_TEXT['pending']} ({row['effective_on']:%d %b})"
    if row["state"] == "non_marketing" and row["pending_non_marketing"] and row["effective_on"]:
        return f"{STATUS_TEXT['non_marketing']} (from {row['effective_on']:%d %b})"  # a simulated day after its update
    return STATUS_TEXT[row["state"]]


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The page's rows as people read them (50 rows: building a frame here is cheap)."""
    return pd.DataFrame(
        [
            {
                "ID": r["id"],
                "Email": r["email"],
                "Name": " ".join(p for p in (r["first_name"], r["last_name"]) if p),
                "Lifecycle stage": stage_label(r["lifecycle_stage"]),
                "Marketing status": _status(r),
                "Status set by": describe_source(r["status_source_type"], r["status_source_id"])
                if r["status_source_type"] and r["state"] != "non_marketing"
                else "",
                "Created": f"{r['created_at']:%Y-%m-%d}",
                "Last activity": f"{r['last_activity_at']:%Y-%m-%d}" if r["last_activity_at"] else "",
            }
            for r in rows
        ],
        columns=COLUMN_ORDER,
    )
