"""The money effect next to a count effect: renders what ``core.services.money`` computed, computes nothing."""

from __future__ import annotations

import streamlit as st

from core.rules.money import MoneyEffect, describe


def money_line(effect: MoneyEffect | None) -> None:
    """One line under a confirmation's counts: the price now, from the next update date and from renewal."""
    if effect is not None:
        st.markdown(describe(effect), help="The tier is never lowered before renewal (docs/domain.md §4).")
