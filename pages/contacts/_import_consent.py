"""Import contacts, before: the stale rows a file holds (what the import keeps), and the consents it needs before
it may undo scheduled non-marketing changes or raise the billed tier (docs/domain.md §10)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.rules.status import State
from core.services.imports.preview import ImportPreview
from core.services.imports.service import Consent
from pages.shared.i18n import N_, _, money, ngettext, t

STATE_TEXT = {
    State.MARKETING.value: N_("Marketing"),
    State.PENDING.value: N_("Marketing until next update"),
    State.NON_MARKETING.value: N_("Non-marketing"),
}
ASKED_TEXT = {
    "marketing": N_("Marketing"),
    "non_marketing": N_("Non-marketing"),
    "until_update": N_("Marketing until next update"),
    "leave_at_update": N_("Non-marketing at next update"),
}
SHOWN = 200


def stale(p: ImportPreview) -> None:
    """The rows older than their contact's last status change: the import keeps the newer status."""
    if not p.stale:
        return
    st.info(
        ngettext(  # the English says "1 rows", as it always did
            "**{n} rows are older than their contact's last status change** (by their Last Modified Date): "
            "the import keeps those contacts' newer status and updates only their other fields.",
            "**{n} rows are older than their contact's last status change** (by their Last Modified Date): "
            "the import keeps those contacts' newer status and updates only their other fields.",
            p.stale,
        ),
        icon=":material/history:",
    )
    said = t()
    rows = [
        {
            _("Line"): r["line"],
            _("Email"): r["email"],
            _("Kept"): said(STATE_TEXT[r["kept"]]),
            _("The file says"): said(ASKED_TEXT[r["asked"]]),
        }
        for r in p.stale_rows[:SHOWN]
    ]
    with st.expander(
        ngettext("What the import keeps ({n} stale rows)", "What the import keeps ({n} stale rows)", p.stale)
    ):
        st.dataframe(pd.DataFrame(rows), hide_index=True, key="imp_stale", width="stretch")


def _undo(p: ImportPreview) -> bool:
    if not p.undoes:
        return True
    if p.effective_on:
        text = ngettext(
            "This import **undoes {n} scheduled non-marketing changes**: those contacts were to leave the marketing "
            "count at the next update date on {day} and will stay marketing, and billed, instead.",
            "This import **undoes {n} scheduled non-marketing changes**: those contacts were to leave the marketing "
            "count at the next update date on {day} and will stay marketing, and billed, instead.",
            p.undone,
            day=p.effective_on,
        )
    else:
        text = ngettext(
            "This import **undoes {n} scheduled non-marketing changes**: those contacts were to leave the marketing "
            "count at the next update date and will stay marketing, and billed, instead.",
            "This import **undoes {n} scheduled non-marketing changes**: those contacts were to leave the marketing "
            "count at the next update date and will stay marketing, and billed, instead.",
            p.undone,
        )
    st.warning(text, icon=":material/undo:")
    return st.checkbox(
        ngettext("I agree to undo {n} scheduled changes", "I agree to undo {n} scheduled changes", p.undone),
        key="imp_undo",
    )


def _tier(p: ImportPreview) -> bool:
    if not p.tier_goes_up:
        st.caption(
            ngettext("The billed tier stays {n} contacts.", "The billed tier stays {n} contacts.", p.tier_limit_before)
        )
        return True
    st.warning(
        ngettext(
            "This import makes {n} contacts marketing and raises the billed tier from **{before}** to **{after}** "
            "contacts: **{price_after}** a month instead of {price_before}. The tier is not lowered before renewal.",
            "This import makes {n} contacts marketing and raises the billed tier from **{before}** to **{after}** "
            "contacts: **{price_after}** a month instead of {price_before}. The tier is not lowered before renewal.",
            p.made_marketing,
            before=p.tier_limit_before,
            after=p.tier_limit_after,
            price_after=money(p.monthly_price_after, p.currency),
            price_before=money(p.monthly_price_before, p.currency),
        ),
        icon=":material/trending_up:",
    )
    return st.checkbox(_("I agree to the {after}-contact tier", after=p.tier_limit_after), key="imp_consent")


def consent(p: ImportPreview) -> Consent | None:
    """The consents the import needs, asked; the consent given when all were, else None (it may not run)."""
    undo, tier = _undo(p), _tier(p)
    if not (undo and tier) or p.valid_rows <= 0:
        return None
    return Consent(undo=p.undoes, tier_upgrade=p.tier_goes_up)
