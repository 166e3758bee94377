"""Contact and workflow ids are never reused on SQLite: nothing new inherits a deleted one's history.

SQLite hands out ``max(id) + 1`` for a plain ``INTEGER PRIMARY KEY``, so deleting the newest contact and
creating another gave the new one the old id, and with it the old status events (events outlive their
contact on purpose). ``AUTOINCREMENT`` keeps the highest id ever used in ``sqlite_sequence``; the table is
rebuilt once (``core.store.migrate`` turns foreign keys off around it, as SQLite's procedure asks, so list
memberships are kept), and the sequence starts above every id the event log has seen. PostgreSQL's
sequences never reuse a value: nothing to do there. Workflows get the same treatment: events name the
workflow that changed a contact by its id, and a deleted workflow's id must not come to mean another one.

Revision ID: 0006_contact_ids
Revises: 0002_usage, 0003_contacts, 0004_workflows, 0005_users
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0006_contact_ids"
down_revision = ("0002_usage", "0003_contacts", "0004_workflows", "0005_users")
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    seen = {  # the highest id each table has ever given out, deleted rows included, as far as history knows
        "contacts": "SELECT max(coalesce((SELECT max(id) FROM contacts), 0),"
        " coalesce((SELECT max(contact_id) FROM status_events), 0))",
        "workflows": "SELECT max(coalesce((SELECT max(id) FROM workflows), 0),"
        " coalesce((SELECT max(CAST(source_id AS INTEGER)) FROM status_events WHERE source_type = 'workflow'), 0),"
        " coalesce((SELECT max(CAST(source_id AS INTEGER)) FROM operations WHERE source_type = 'workflow'), 0))",
    }
    for table, highest_sql in seen.items():
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": True}):
            pass
        highest = bind.exec_driver_sql(highest_sql).scalar_one()
        bind.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
        bind.exec_driver_sql("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, highest))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar_one():
        # Dropping the old tables would cascade to list memberships and workflow history.
        raise RuntimeError("downgrade through core.store.migrate.downgrade(), which turns foreign keys off")
    for table in ("workflows", "contacts"):
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": False}):
            pass
