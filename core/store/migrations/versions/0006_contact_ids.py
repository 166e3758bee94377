"""Contact ids are never reused on SQLite: a new contact must not inherit a deleted contact's history.

SQLite hands out ``max(id) + 1`` for a plain ``INTEGER PRIMARY KEY``, so deleting the newest contact and
creating another gave the new one the old id, and with it the old status events (events outlive their
contact on purpose). ``AUTOINCREMENT`` keeps the highest id ever used in ``sqlite_sequence``; the table is
rebuilt once (``core.store.migrate`` turns foreign keys off around it, as SQLite's procedure asks, so list
memberships are kept), and the sequence starts above every id the event log has seen. PostgreSQL's
sequences never reuse a value: nothing to do there.

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
    with op.batch_alter_table("contacts", recreate="always", table_kwargs={"sqlite_autoincrement": True}):
        pass
    highest = bind.exec_driver_sql(
        "SELECT max(coalesce((SELECT max(id) FROM contacts), 0), "
        "coalesce((SELECT max(contact_id) FROM status_events), 0))"
    ).scalar_one()
    bind.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = 'contacts'")
    bind.exec_driver_sql("INSERT INTO sqlite_sequence (name, seq) VALUES ('contacts', ?)", (highest,))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    with op.batch_alter_table("contacts", recreate="always", table_kwargs={"sqlite_autoincrement": False}):
        pass
