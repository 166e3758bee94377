"""The Contacts table's rows as people read them: names joined, the status in words, dates as days."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.rules.hubspot_labels import LIFECYCLE_STAGES, stage_label
from core.rules.status import STATE_LABELS
from core.services.contact_detail import describe_source
from pages.shared import i18n
from pages.shared.i18n import N_, _, ngettext, pgettext

STATUS_TEXT = {state.value: label for state, label in STATE_LABELS.items()}  # translated where shown
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
# Each column by its name in the session's language (``header``; ID is ID in every language): the code names
# them in English (``COLUMN_ORDER``, ``HEADER_SORTS``), the frame and its headers in the language.
HEADERS = {
    "Email": N_("Email"),
    "Lifecycle stage": N_("Lifecycle stage"),
    "Marketing status": N_("Marketing status"),
    "Status set by": N_("Status set by"),
    "Created": N_("Created"),
    "Last activity": N_("Last activity"),
}
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
    marked: dict[str, Any] = {header(name): {**config, "label": header(name)} for name, config in COLUMNS.items()}
    for name, key in HEADER_SORTS.items():
        if key == sort:
            marked[header(name)] = {**COLUMNS[name], "label": f"{header(name)} {'↓' if descending else '↑'}"}
    return marked


def header(name: str) -> str:
    """A column's header in the session's language (``name``: one of ``COLUMN_ORDER``)."""
    if name == "Name":
        return pgettext("a person's", "Name")  # first and last name, not the name of a thing
    return _(HEADERS[name]) if name in HEADERS else name


def sort_of(shown: str) -> str | None:
    """The sort a clicked header asks for (``shown``: the header as the grid names it), or None."""
    return next((key for name, key in HEADER_SORTS.items() if header(name) == shown), None)


def stage_text(value: str | None) -> str:
    """A lifecycle stage as the page shows it: HubSpot's label in the session's language, a custom one as stored."""
    label = stage_label(value)
    return _(label) if value in LIFECYCLE_STAGES else label


def _status(row: dict[str, Any]) -> str:
    state = row["state"]
    status = _(STATUS_TEXT[state])
    if not row["effective_on"]:
        return status
    day = i18n.t().day_month(row["effective_on"])
    if state == "pending":
        return _("{status} ({day})", status=status, day=day)
    if state == "non_marketing" and row["pending_non_marketing"]:
        return _("{status} (from {day})", status=status, day=day)  # a simulated day after its update
    return status


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The page's rows as people read them (50 rows: building a frame here is cheap)."""
    data = pd.DataFrame(
        [
            {
                "ID": r["id"],
                "Email": r["email"],
                "Name": " ".join(p for p in (r["first_name"], r["last_name"]) if p),
                "Lifecycle stage": stage_text(r["lifecycle_stage"]),
                "Marketing status": _status(r),
                "Status set by": describe_source(r["status_source_type"], r["status_source_id"], i18n.t())
                if r["status_source_type"] and r["state"] != "non_marketing"
                else "",
                "Created": f"{r['created_at']:%Y-%m-%d}",
                "Last activity": f"{r['last_activity_at']:%Y-%m-%d}" if r["last_activity_at"] else "",
            }
            for r in rows
        ],
        columns=COLUMN_ORDER,
    )
    return data.rename(columns={name: header(name) for name in COLUMN_ORDER})


def page_caption(number: int, first: int, size: int, total: int, unsortable: str | None) -> str:
    """Under the table: which contacts this page shows, and how to sort them all."""
    sortable = ", ".join(header(name) for name in HEADER_SORTS)
    hint = (
        _("{column} cannot be sorted on; click {sortable}", column=unsortable, sortable=sortable)
        if unsortable
        else ngettext(
            "click {sortable} to sort all {n} matching contacts",
            "click {sortable} to sort all {n} matching contacts",
            total,
            sortable=sortable,
        )
    )
    if not size:
        return _("Page {page}: no contacts · {hint}", page=number, hint=hint)
    shown = {"first": first + 1, "last": first + size, "total": total}
    return _("Page {page}: contacts {first}–{last} of {total} · {hint}", page=number, hint=hint, **shown)
