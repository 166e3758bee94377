"""What a Contacts action applies to, in the session's language: the target in words, the "apply to all" box,
the typed count that confirms a change, and the caption under the action bar."""

from __future__ import annotations

import streamlit as st

from pages.shared.i18n import _, ngettext


def all_label(n: int) -> str:
    return ngettext("all contacts matching this filter ({n})", "all contacts matching this filter ({n})", n)


def selected_label(n: int) -> str:
    return ngettext("the {n} selected on this page", "the {n} selected on this page", n)


def apply_to_all(scope: str, count: int) -> bool:
    """Acting on every contact matching the filter needs its own box; the selected rows need none."""
    if scope != "all":
        return True
    return st.checkbox(
        ngettext(
            "Apply to all {n} contacts matching this filter", "Apply to all {n} contacts matching this filter", count
        ),
        key="ct_dlg_all",
    )


def typed_matches(typed: str, expected: int) -> bool:
    """The typed confirmation: the number itself, with or without thousands separators (1,583 / 1 583)."""
    return "".join(typed.split()).replace(",", "") == str(expected)


def scope_caption(scope: str, total: int, chosen: int) -> str:
    """Under the action bar: what the actions apply to."""
    if scope == "all":
        return ngettext(
            "Actions apply to all {n} contacts matching the filter, beyond this page.",
            "Actions apply to all {n} contacts matching the filter, beyond this page.",
            total,
        )
    if chosen:
        return ngettext("{n} selected on this page.", "{n} selected on this page.", chosen)
    return _("Select rows (the boxes on the left of the table), or choose “All matching contacts”.")
