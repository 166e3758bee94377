"""What the page looks like on a laptop (1280×720) and a phone (390×844): labels wrap instead of being cut, and
on a narrow screen the sidebar closes once a page is chosen.

Streamlit cuts a label that does not fit with an ellipsis ("Manage marke…", "Prev…"); a person deciding on a
bill must read the whole label, so buttons, metric labels and widget labels wrap onto a second line (tabs scroll
sideways instead)."""

from __future__ import annotations

import json

import streamlit as st

from core.i18n import SOURCE_LANGUAGE
from pages.shared import i18n

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


def _css_text(text: str) -> str:
    """A CSS string: JSON's escaping of quotes and backslashes is CSS's too; '<' is written as an escape."""
    return json.dumps(text, ensure_ascii=False).replace("<", "\\3C ")


def uploader_texts() -> str:
    """Streamlit's file uploader writes "Upload" and "200MB per file • CSV" in English whatever the language: its
    frontend has no setting for them (streamlit#13500). In another language the page shows them translated
    instead (the English words are hidden, the translation drawn in their place); English needs nothing."""
    if i18n.language() == SOURCE_LANGUAGE:
        return ""
    button = i18n._("Choose a file")
    limit = i18n._("Up to {size} MB per file • CSV", size=int(st.get_option("server.maxUploadSize")))
    dropzone = '[data-testid="stFileUploaderDropzone"]'
    return f"""
<style>
{dropzone} button [data-testid="stMarkdownContainer"] p {{ display: none; }}
{dropzone} button [data-testid="stMarkdownContainer"]::after {{ content: {_css_text(button)}; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div > span {{ display: none; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{
  content: {_css_text(limit)}; font-size: 14px; line-height: 22.4px; color: rgba(31, 41, 51, 0.7);
}}
</style>
"""


def apply() -> None:
    """Once per run, from app.py (once the session's language is known)."""
    st.html(WRAP + uploader_texts())
    st.html(CLOSE_AFTER_NAVIGATING, unsafe_allow_javascript=True)
