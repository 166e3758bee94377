"""Issue 13, point 8: a laptop (1280×720) and a phone (390×844). Every page is screenshotted at both sizes
(screenshots/layout-<size>-<page>.png, looked at by a person); no button or tab label is cut, the Contacts
table's status column is on screen, and on the phone the sidebar does not cover the page after navigating."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from core.rules.roles import Role
from core.services import users
from core.services.setup import init
from core.store.engine import make_engine
from tests.conftest import TODAY
from tests.e2e.conftest import Server, screenshot, settle

pytestmark = pytest.mark.e2e
PASSWORD = "Browser-Test-Pa55word"
SIZES = {"laptop": (1280, 720), "phone": (390, 844)}
PAGES = {  # url path -> the page's heading
    "": "Usage & limits",
    "contacts": "Contacts",
    "import_contacts": "Import contacts",
    "sources": "Default status by source",
    "workflows": "Workflows",
    "settings": "Account settings",
    "audit": "Audit",
    "users": "Users",
}
PAGES_PL = {  # the same pages in Polish (MARKETABLE_LANGUAGE=pl): Polish labels are longer, and must not be cut either
    "": "Użycie i limity",
    "contacts": "Kontakty",
    "import_contacts": "Importuj kontakty",
    "sources": "Domyślny status według źródła",
    "workflows": "Przepływy pracy",
    "settings": "Ustawienia konta",
    "audit": "Dziennik zmian",
    "users": "Użytkownicy",
}
SIGN_IN = {"en": ("Username", "Password", "Sign in"), "pl": ("Nazwa użytkownika", "Hasło", "Zaloguj się")}
# Labels whose text the browser had to cut (an ellipsis): buttons, tabs, popovers, page links, radio options,
# metric values.
CUT_LABELS = """() => [...document.querySelectorAll(
    '[data-testid="stMain"] button, [data-testid="stMain"] [role="tab"], [data-testid="stMain"] a,'
    + ' [data-testid="stMain"] label, [data-testid="stMain"] [data-testid="stMarkdownContainer"] p,'
    + ' [data-testid="stMain"] [data-testid="stSelectbox"] [data-baseweb="select"] > div,'
    + ' [data-testid="stMain"] [data-testid="stMetricValue"]')]
  .filter(e => e.offsetParent !== null)
  .flatMap(e => [e, ...e.querySelectorAll('*')])
  .filter(e => !e.closest('[data-testid="stIconMaterial"]'))
  .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).textOverflow === 'ellipsis')
  .map(e => e.innerText.trim()).filter(t => t)"""

# Words the browser broke across two lines inside a button ("Poprze- / dnia"): a label must wrap between words.
BROKEN_WORDS = """() => {
  const broken = [];
  for (const button of document.querySelectorAll('[data-testid="stMain"] button')) {
    const box = button.getBoundingClientRect();
    const shown = button.checkVisibility({opacityProperty: true, visibilityProperty: true});
    if (!shown || !box.width || !box.height || button.closest('details:not([open])')) continue;  // drawn, not hidden
    const walker = document.createTreeWalker(button, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('[data-testid="stIconMaterial"]')) continue;
      for (const word of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        if (new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1) broken.push(word[0]);
      }
    }
  }
  return broken;
}"""


def _with_admin(db_url: str) -> None:
    engine = make_engine(db_url)
    init(engine, today=TODAY, actor="test", demo=3_000, seed=4)
    users.add_user(engine, username="ada", role=Role.ADMIN, actor="test", today=TODAY, password=PASSWORD)
    engine.dispose()


def _sign_in(page: Any, server: Server, language: str = "en") -> None:
    username, password, sign_in = SIGN_IN[language]
    page.goto(server.url)
    settle(page)
    page.get_by_role("textbox", name=username).fill("ada")
    page.get_by_role("textbox", name=password).fill(PASSWORD)
    page.get_by_role("button", name=sign_in).click()
    settle(page)
    page.get_by_role("heading", name=(PAGES if language == "en" else PAGES_PL)[""]).wait_for()
    page.wait_for_timeout(1_000)  # the session cookie


def _whole_page(page: Any, name: str) -> None:
    """Screenshot the whole page at this width: the main area scrolls inside the window, so the window is made
    as tall as the page for the picture, then put back."""
    size = page.viewport_size
    tall = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(tall), 6_000))})
    page.wait_for_timeout(300)
    screenshot(page, name)
    page.set_viewport_size(size)


def _sidebar_covers_main(page: Any) -> bool:
    sidebar = page.get_by_test_id("stSidebar")
    if sidebar.count() == 0 or not sidebar.is_visible():
        return False
    box = sidebar.bounding_box()
    return bool(box and box["x"] + box["width"] > 40 and page.evaluate("window.innerWidth") < 700)


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_fits_a_laptop_and_a_phone(
    page: Any, start_server: Callable[..., Server], size: str, language: str
) -> None:
    width, height = SIZES[size]
    server = start_server(setup=_with_admin, env={"MARKETABLE_LANGUAGE": language})
    page.set_viewport_size({"width": width, "height": height})
    _sign_in(page, server, language)
    cut: dict[str, list[str]] = {}
    suffix = "" if language == "en" else f"-{language}"
    for path, heading in (PAGES if language == "en" else PAGES_PL).items():
        page.goto(f"{server.url}/{path}")
        settle(page)
        page.get_by_role("heading", name=heading, exact=True).first.wait_for()
        page.wait_for_timeout(500)
        screenshot(page, f"layout-{size}{suffix}-{path or 'usage'}-window")
        _whole_page(page, f"layout-{size}{suffix}-{path or 'usage'}")
        assert not _sidebar_covers_main(page), f"{path or 'usage'}: the sidebar covers the page at {size} size"
        if found := page.evaluate(CUT_LABELS):
            cut[path or "usage"] = found
        if split := page.evaluate(BROKEN_WORDS):
            cut[f"{path or 'usage'} (words broken)"] = split
    assert cut == {}, f"labels cut at {width}px: {cut}"


@pytest.mark.parametrize("size", list(SIZES))
def test_the_contacts_status_column_is_on_screen(page: Any, start_server: Callable[..., Server], size: str) -> None:
    width, height = SIZES[size]
    server = start_server(setup=_with_admin)
    page.set_viewport_size({"width": width, "height": height})
    _sign_in(page, server)
    page.goto(f"{server.url}/contacts")
    settle(page)
    grid = page.get_by_test_id("stDataFrame")
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(1_000)
    box = grid.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width + 1, "the grid fits the screen"
    shown = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=\"stDataFrame\"] th')].map(e => e.innerText.trim())"
    )  # the grid names only the columns it draws on screen
    assert shown[:2] == ["Marketing status", "Email"], shown
    screenshot(page, f"layout-{size}-contacts-table")


def test_on_a_phone_the_sidebar_closes_after_navigating(page: Any, start_server: Callable[..., Server]) -> None:
    server = start_server(setup=_with_admin)
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, server)
    for name, heading in (("Contacts", "Contacts"), ("Workflows", "Workflows"), ("Usage & limits", "Usage & limits")):
        page.get_by_test_id("stExpandSidebarButton").click()
        page.get_by_test_id("stSidebar").get_by_role("link", name=name, exact=True).click()
        settle(page)
        page.get_by_role("heading", name=heading, exact=True).first.wait_for()
        page.wait_for_timeout(800)
        screenshot(page, f"layout-phone-after-navigating-{heading.split()[0].lower()}")
        assert not _sidebar_covers_main(page), f"after opening {name} the sidebar still covers the page"
