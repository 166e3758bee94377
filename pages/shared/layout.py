"""What the page looks like on a laptop (1280×720) and a phone (390×844): labels wrap instead of being cut, and
on a narrow screen the sidebar closes once a page is chosen.

Streamlit cuts a label that does not fit with an ellipsis ("Manage marke…", "Prev…"); a person deciding on a
bill must read the whole label, so buttons, metric labels and widget labels wrap onto a second line (tabs scroll
sideways instead)."""

from __future__ import annotations

import streamlit as st

WRAP = """
<style>
[data-testid="stMain"] :is(button:not([role="tab"]), label, [data-testid="stMetricLabel"], [data-testid="stPageLink"])
  :is(p, div, span):not([data-testid="stIconMaterial"]) {
  white-space: normal !important;
  text-overflow: clip !important;
}
[data-testid="stMain"] :is(button:not([role="tab"]), [data-testid="stMetricLabel"]) :is(div, p) {
  overflow: visible !important;
}
[data-testid="stMain"] button:not([role="tab"]) { height: auto; min-height: 2.5rem; }
</style>
"""


# Streamlit closes the sidebar after a page is chosen only when the browser says it is a phone (its user agent);
# in any narrow window (a phone's browser asking for the desktop site, a narrow laptop window) it stayed open over
# the page. Installed once per browser tab: a click on a page in the sidebar closes it when the window is narrow.
CLOSE_AFTER_NAVIGATING = """
<script>
if (!window.marketableSidebar) {
  window.marketableSidebar = true;
  document.addEventListener("click", (event) => {
    if (window.innerWidth > 768 || !event.target.closest('[data-testid="stSidebarNav"] a')) return;
    setTimeout(() => document.querySelector('[data-testid="stSidebarCollapseButton"] button')?.click(), 50);
  }, true);
}
</script>
"""


def apply() -> None:
    """Once per run, from app.py."""
    st.html(WRAP)
    st.html(CLOSE_AFTER_NAVIGATING, unsafe_allow_javascript=True)
