"""Reads several parts of the Contacts pages share, made once per script run (``session.per_run``)."""

from __future__ import annotations

from core.services import lists
from core.services.history import data_version
from core.services.lists import ListInfo
from pages.shared import session


def static_lists() -> list[ListInfo]:
    """The static lists, read once per run however many parts of the page show them."""
    return session.run(lambda: session.per_run("lists", lambda: lists.list_lists(session.engine()))) or []


def data_version_now() -> str:
    """Changes recorded so far (any session or the command line), read once per run."""
    return session.per_run("data_version", lambda: data_version(session.engine()))
