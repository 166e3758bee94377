"""Migration 0010_hubspot adds the sync state table and touches nothing else, on both engines."""

from __future__ import annotations

from datetime import date

from sqlalchemy import inspect

from core.services.setup import init
from core.store.engine import make_engine
from core.store.migrate import current_revisions, downgrade, head_revisions, upgrade
from tests.conftest import TODAY, Cli
from tests.factories import add_contacts, snapshot


def test_the_hubspot_migration_adds_its_table_keeps_every_row_and_steps_back(db_url: str) -> None:
    engine = make_engine(db_url)
    init(engine, today=TODAY, actor="test", start_date=date(2026, 1, 15))
    add_contacts(engine, 3, state="pending")
    Cli(db_url)("set-status", "--to", "marketing", "--emails", "c0@example.com")
    downgrade(engine, "0009_record_ids")
    assert "hubspot_syncs" not in inspect(engine).get_table_names()
    before = snapshot(engine)
    assert upgrade(engine)
    assert current_revisions(engine) == head_revisions()
    assert "hubspot_syncs" in inspect(engine).get_table_names()
    after = snapshot(engine)
    assert after.pop("hubspot_syncs") == []
    assert after.pop("alembic_version") == [("0010_hubspot",)] and before.pop("alembic_version")
    assert after == before
    Cli(db_url)("hubspot", "status")  # the app's start migrates: the table answers
    downgrade(engine, "0009_record_ids")  # and back
    assert "hubspot_syncs" not in inspect(engine).get_table_names()
    engine.dispose()
