"""Import contacts, before: the stale rows a file holds (what the import keeps), and the consents it needs before
it may undo scheduled non-marketing changes or raise the billed tier (docs/domain.md §10)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.rules.status import State
from core.services.imports.preview import ImportPreview
from core.services.imports.service import Consent

STATE_TEXT = {
    State.MARKETING.value: "Marketing",
    State.PENDING.value: "Marketing until next update",
    State.NON_MARKETING.value: "Non-marketing",
}
ASKED_TEXT = {
    "marketing": "Marketing",
    "non_marketing": "Non-marketing",
    "until_update": "Marketing until next update",
    "leave_at_update": "Non-marketing at next update",
}
SHOWN = 200


def stale(p: ImportPreview) -> None:
    """The rows older than their contact's last status change: the import keeps the newer status."""
    if not p.stale:
        return
    st.info(
        f"**{p.stale:,} rows are older than their contact's last status change** (by their Last Modified Date): "
        "the import keeps those contacts' newer status and updates only their other fields.",
        icon=":material/history:",
    )
    rows = [
        {"Line": r["line"], "Email": r["email"], "Kept": STATE_TEXT[r["kept"]], "The file says": ASKED_TEXT[r["asked"]]}
        for r in p.stale_rows[:SHOWN]
    ]
    with st.expander(f"What the import keeps ({p.stale:,} stale rows)"):
        st.dataframe(pd.DataFrame(rows), hide_index=True, key="imp_stale", width="stretch")


def _undo(p: ImportPreview) -> bool:
    if not p.undoes:
        return True
    when = f" on {p.effective_on:%d %b %Y}" if p.effective_on else ""
    st.warning(
        f"This import **undoes {p.undone:,} scheduled non-marketing changes**: those contacts were to leave the "
        f"marketing count at the next update date{when} and will stay marketing, and billed, instead.",
        icon=":material/undo:",
    )
    return st.checkbox(f"I agree to undo {p.undone:,} scheduled changes", key="imp_undo")


def _tier(p: ImportPreview) -> bool:
    if not p.tier_goes_up:
        st.caption(f"The billed tier stays {p.tier_limit_before:,} contacts.")
        return True
    st.warning(
        f"This import makes {p.made_marketing:,} contacts marketing and raises the billed tier from "
        f"**{p.tier_limit_before:,}** to **{p.tier_limit_after:,}** contacts: "
        f"**{p.monthly_price_after:,} {p.currency}** a month instead of {p.monthly_price_before:,} {p.currency}. "
        "The tier is not lowered before renewal.",
        icon=":material/trending_up:",
    )
    return st.checkbox(f"I agree to the {p.tier_limit_after:,}-contact tier", key="imp_consent")


def consent(p: ImportPreview) -> Consent | None:
    """The consents the import needs, asked; the consent given when all were, else None (it may not run)."""
    undo, tier = _undo(p), _tier(p)
    if not (undo and tier) or p.valid_rows <= 0:
        return None
    return Consent(undo=p.undoes, tier_upgrade=p.tier_goes_up)
