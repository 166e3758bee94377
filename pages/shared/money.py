"""The money effect next to a count effect: renders what ``core.services.money`` computed, computes nothing."""

from __future__ import annotations

import streamlit as st

from core.rules.money import LOWER_TIER_NOTE, MoneyEffect, describe
from pages.shared import i18n


def money_line(effect: MoneyEffect | None) -> None:
    """One line under a confirmation's counts: the price now, from the next update date and from renewal."""
    if effect is not None:
        t = i18n.t()
        st.markdown(describe(effect, t), help=t(LOWER_TIER_NOTE))
