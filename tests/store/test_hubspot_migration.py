"""Migration 0010_hubspot adds the sync state table and touches nothing else, on both engines."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import Engine, inspect

from core.services.setup import init
from core.store.engine import make_engine
from core.store.migrate import _config, downgrade, upgrade
from tests.conftest import TODAY, Cli
from tests.factories import add_contacts, snapshot


def _upgrade_to(engine: Engine, revision: str) -> None:
    cfg = _config()
    with engine.connect().execution_options(write=True) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        conn.commit()


def test_the_hubspot_migration_adds_its_table_keeps_every_row_and_steps_back(db_url: str) -> None:
    engine = make_engine(db_url)
    init(engine, today=TODAY, actor="test", start_date=date(2026, 1, 15))
    add_contacts(engine, 3, state="pending")
    Cli(db_url)("set-status", "--to", "marketing", "--emails", "c0@example.com")
    downgrade(engine, "0009_record_ids")
    assert "hubspot_syncs" not in inspect(engine).get_table_names()
    before = snapshot(engine)
    _upgrade_to(engine, "0010_hubspot")
    after = snapshot(engine)
    assert after.pop("hubspot_syncs") == []
    assert after.pop("alembic_version") == [("0010_hubspot",)] and before.pop("alembic_version")
    assert after == before
    assert upgrade(engine)  # on to the head, as the app and every command do on start
    Cli(db_url)("hubspot", "status")  # the table answers
    downgrade(engine, "0009_record_ids")  # and back
    assert "hubspot_syncs" not in inspect(engine).get_table_names()
    engine.dispose()
