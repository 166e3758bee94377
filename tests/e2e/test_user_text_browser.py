"""User text is text in a real browser (issue 11, finding 9): a contact named like a Markdown link and image makes no
link, no image and no request to any other host than the app's own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.conftest import Cli
from tests.e2e.conftest import Server, settle

pytestmark = pytest.mark.e2e

LINK = "[Verify your account](https://phish.example/login)"
IMAGE = "![x](http://track.example/p.png)"
THEME_HOSTS = {"fonts.gstatic.com", "fonts.googleapis.com"}  # Streamlit's own web font, not data


def _setup(db_url: str) -> None:
    cli = Cli(db_url)
    cli("init", "--start-date", "2026-01-15")
    cli("create-contact", "--source", "manual", "--email", "a@x.com", "--first-name", LINK, "--last-name", IMAGE)


def test_a_contact_named_like_a_link_and_an_image_makes_no_link_image_or_outside_request(
    page: Any, start_server: Callable[..., Server]
) -> None:
    server = start_server(_setup, env={"STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"})
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname or ""))
    page.goto(f"{server.url}/contact")
    settle(page)
    if page.get_by_role("dialog").count():  # a hidden page opened by its address: Streamlit says "not found" first
        page.keyboard.press("Escape")
    page.get_by_label("Open a contact by ID or email").fill("a@x.com")
    page.keyboard.press("Enter")
    settle(page)
    shown = page.get_by_role("heading", level=1).first.inner_text().replace("\u2060", "")  # joiners are invisible
    assert LINK in shown and IMAGE in shown
    page.wait_for_timeout(1_000)  # an image would have been requested by now
    assert page.locator("a[href*='phish.example']").count() == 0
    assert page.locator("img[src*='track.example']").count() == 0
    assert not hosts & {"track.example", "phish.example"}, "user text made the browser fetch from its host"
    others = hosts - {"127.0.0.1", *THEME_HOSTS}
    assert not others, f"requests to other hosts: {sorted(others)}"
