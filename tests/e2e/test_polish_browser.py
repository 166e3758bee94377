"""Issue 15: a fresh start with ``MARKETABLE_LANGUAGE=pl``, in Chromium. Every page of the navigation opens with a
Polish heading, the Usage page shows Polish numbers and dates, and the text a person reads on each page (the main
area and the sidebar) has no English word left (``tests.pages.i18n_app.english_words``).

Streamlit's file uploader writes its button and limit in English whatever the language (its frontend has no
setting for them, streamlit#13500): the layout hides those words and draws the translation with CSS, so the test
reads what CSS draws as well, and allows no exception. Material icons are drawn from ligatures (the icon
``contacts`` is the text "contacts" in the Material Symbols font): a person sees a picture, so their text is left
out. Code (a command to type, a column name the file must have: `...` in the sentence) is data, as in
``tests.pages.i18n_app``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from core.i18n import LANGUAGE_ENV, translator
from tests.conftest import Cli
from tests.e2e.conftest import Server, screenshot, settle
from tests.pages.i18n_app import english_words

pytestmark = pytest.mark.e2e

# Every page of the navigation (app.py), by its URL path; the Contact page is reached from a row, or by its URL.
PAGES = [
    "",
    "contacts",
    "contact",
    "import_contacts",
    "sources",
    "workflows",
    "settings",
    "connections",
    "audit",
    "users",
]
USAGE_HEADING = "Użycie i limity"

# The visible text of an element, without icon ligatures and code.
VISIBLE_TEXT = """(selector) => {
  const root = document.querySelector(selector);
  if (!root) return "";
  const icon = e => e.children.length === 0 && getComputedStyle(e).fontFamily.includes('Material Symbols');
  const hidden = [...root.querySelectorAll('*')]
    .filter(e => e.matches('[data-testid="stIconMaterial"], code') || icon(e));
  const before = hidden.map(e => e.style.display);
  hidden.forEach(e => { e.style.display = 'none'; });
  const text = root.innerText;
  hidden.forEach((e, i) => { e.style.display = before[i]; });
  return text;
}"""
# What CSS draws in place of words (``::before`` / ``::after`` content), where it is seen without hovering: the file
# uploader's button and limit, which Streamlit's frontend writes in English and the layout replaces
# (pages/shared/layout.py, streamlit#13500). A chart's toolbar tooltips show on hover only: not read here.
DRAWN_TEXT = """(selector) => {
  const root = document.querySelector(selector);
  if (!root) return [];
  const shown = style => style.display !== 'none' && style.visibility !== 'hidden' && style.opacity !== '0';
  return [...root.querySelectorAll('*')].filter(e => e.offsetParent !== null)
    .flatMap(e => ['::before', '::after'].map(p => getComputedStyle(e, p)))
    .filter(style => shown(style)).map(style => style.content)
    .filter(c => c && c !== 'none' && c !== 'normal' && c !== '""').map(c => c.replace(/^"|"$/g, ''));
}"""


def _english(page: Any) -> list[str]:
    """The lines of the main area and the sidebar that contain an English word."""
    left = []
    for selector in ("[data-testid='stMain']", "[data-testid='stSidebar']"):
        for line in page.evaluate(VISIBLE_TEXT, selector).splitlines():
            if english_words(line):
                left.append(line.strip())
        for drawn in page.evaluate(DRAWN_TEXT, selector):
            if english_words(drawn):
                left.append(f"drawn by CSS: {drawn}")
    return left


def _usage_problems(page: Any, server: Server) -> list[str]:
    """The Usage page's Polish heading, number and date (the figures the command line gives for the same day)."""
    pl = translator("pl")
    usage = Cli(server.db_url)("usage")
    text = page.get_by_test_id("stMain").inner_text()
    marketing = pl.number(usage["marketing"])
    next_update = pl.day(date.fromisoformat(usage["next_update_date"]))
    checks = {
        f"the heading {USAGE_HEADING!r}": page.locator("[data-testid='stMain'] h1").first.inner_text() == USAGE_HEADING,
        f"the marketing count as {marketing!r}": "\u00a0" in marketing and marketing in text,
        f"the next update date as {next_update!r}": next_update in text,
        "the navigation naming the page in Polish": USAGE_HEADING in page.get_by_test_id("stSidebar").inner_text(),
    }
    return [f"missing {what}" for what, ok in checks.items() if not ok]


def test_a_fresh_polish_start_shows_every_page_in_polish(page: Any, start_server: Callable[..., Server]) -> None:
    server = start_server(env={LANGUAGE_ENV: "pl"})  # a fresh database: the first start creates the demo
    problems: dict[str, list[str]] = {}
    for path in PAGES:
        page.goto(f"{server.url}/{path}")
        settle(page)
        page.wait_for_timeout(800)  # the Contact page has no heading: it opens on its lookup field
        screenshot(page, f"polish-{path or 'usage'}")
        found = _usage_problems(page, server) if path == "" else []
        if path == "import_contacts" and not page.evaluate(DRAWN_TEXT, "[data-testid='stFileUploaderDropzone']"):
            found.append("the file uploader's button and limit are not drawn in Polish")
        found += _english(page)  # the heading included
        if found:
            problems[path or "usage"] = found
    assert problems == {}, "pages not in Polish yet:\n" + "\n".join(f"{p}: {found}" for p, found in problems.items())
