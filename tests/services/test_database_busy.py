"""A change that meets SQLite's write lock held by another change (an import or a bulk change running in the
background) past the busy timeout is refused with one clear sentence, on the command line and on a page, and writes
nothing. Before, the page showed SQLAlchemy's traceback ("database is locked") and the command line its raw text."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.errors import DatabaseBusy
from core.rules.selection import Selection
from core.rules.status import MarketingStatus
from core.services.status import set_status
from core.store.engine import make_engine
from tests.conftest import TODAY, Cli
from tests.factories import add_contacts, snapshot

BUSY = "the database is busy with another change"


def test_a_change_that_meets_another_writer_is_refused_clearly_and_writes_nothing(
    sqlite_url: str, locked: Callable[[], None]
) -> None:
    cli = Cli(sqlite_url)
    cli("init")
    engine = make_engine(sqlite_url)
    ids = add_contacts(engine, 3)
    before = snapshot(engine)
    locked()
    with pytest.raises(DatabaseBusy, match=BUSY) as raised:
        set_status(
            engine, selection=Selection(ids=tuple(ids)), to=MarketingStatus.NON_MARKETING, today=TODAY, actor="test"
        )
    assert "database is locked" in str(raised.value.__cause__), "the driver's error is kept as the cause"
    cli("set-status", "--to", "non-marketing", "--all", expect=2)
    assert cli.message.startswith(BUSY) and "\n" not in cli.message
    engine.dispose()
    engine = make_engine(sqlite_url)  # the lock is still held: read only
    assert snapshot(engine) == before
    engine.dispose()
