"""A contact's state in its own narrow table, ``contact_status``, apart from its profile (issue 14).

Until now the state columns (``marketing_status``, ``pending_non_marketing``, ``effective_on`` and who last
changed it) lived in ``contacts``, beside eleven indexes. On PostgreSQL every status change wrote a new version
of the whole wide row and an entry in every one of those indexes (no HOT update): at 1,000,000 contacts the
UPDATE of a bulk change took 12.4 s, against 2.4 s on a narrow table with two indexes. The state moves to
``contact_status`` (one row per contact, ``contact_id`` its primary key and a foreign key to ``contacts`` ON
DELETE CASCADE), with only the indexes pages and filters need: ``(marketing_status, pending_non_marketing)``
for counts and status filters, and a partial index of the pending rows by update date for "due by D". On
PostgreSQL the table keeps 10 % of each page free (fillfactor 90) so that a status change's new row version
can stay on its page. ``contacts`` loses the state columns and their four indexes.

The same migration runs on both engines. The data is copied first, then the indexes are built (faster than
filling indexed tables). On SQLite dropping columns rebuilds ``contacts`` (Alembic's batch mode;
``core.store.migrate`` turns foreign keys off around it, so list memberships and the new status rows are
kept); the rebuilt table keeps AUTOINCREMENT and its ``sqlite_sequence`` entry is put back, so ids of deleted
contacts are still never reused (migration 0006).

Revision ID: 0008_contact_status
Revises: 0007_acted_on
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_contact_status"
down_revision = "0007_acted_on"
branch_labels = None
depends_on = None

STATE = ("marketing_status", "pending_non_marketing", "effective_on")
SOURCE = ("status_source_type", "status_source_id", "status_changed_at")
OLD_INDEXES = {  # the indexes of the state columns on contacts (0001, 0002)
    "ix_contacts_status": ["marketing_status", "pending_non_marketing"],
    "ix_contacts_effective_on": ["effective_on"],
    "ix_contacts_status_source_type": ["status_source_type"],
    "ix_contacts_effective_pending": ["effective_on", "pending_non_marketing"],
}


def _columns() -> list[sa.Column[object]]:
    return [
        sa.Column("marketing_status", sa.String(20), nullable=False),
        sa.Column("pending_non_marketing", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("effective_on", sa.Date),
        sa.Column("status_source_type", sa.String(40)),
        sa.Column("status_source_id", sa.String(100)),
        sa.Column("status_changed_at", sa.DateTime),
    ]


def _sequence(bind: sa.Connection) -> int | None:
    """SQLite: the highest contact id ever given out (AUTOINCREMENT), deleted contacts included."""
    if bind.dialect.name != "sqlite":
        return None
    return bind.exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name = 'contacts'").scalar()


def _restore_sequence(bind: sa.Connection, seq: int | None) -> None:
    if bind.dialect.name != "sqlite":
        return
    highest = bind.exec_driver_sql("SELECT coalesce(max(id), 0) FROM contacts").scalar_one()
    bind.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = 'contacts'")
    bind.exec_driver_sql("INSERT INTO sqlite_sequence (name, seq) VALUES ('contacts', ?)", (max(seq or 0, highest),))


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "contact_status",
        sa.Column(
            "contact_id",
            sa.Integer,
            sa.ForeignKey("contacts.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        *_columns(),
        postgresql_with={"fillfactor": 90},
    )
    names = ", ".join((*STATE, *SOURCE))
    op.execute(f"INSERT INTO contact_status (contact_id, {names}) SELECT id, {names} FROM contacts")
    op.create_index("ix_contact_status_state", "contact_status", ["marketing_status", "pending_non_marketing"])
    op.create_index(
        "ix_contact_status_due",
        "contact_status",
        ["effective_on"],
        postgresql_where=sa.text("pending_non_marketing"),
        sqlite_where=sa.text("pending_non_marketing = 1"),
    )
    for name in OLD_INDEXES:
        op.drop_index(name, table_name="contacts")
    seq = _sequence(bind)
    with op.batch_alter_table("contacts", table_kwargs={"sqlite_autoincrement": True}) as batch:
        for name in (*STATE, *SOURCE):
            batch.drop_column(name)
    _restore_sequence(bind, seq)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and bind.exec_driver_sql("PRAGMA foreign_keys").scalar_one():
        raise RuntimeError("downgrade through core.store.migrate.downgrade(), which turns foreign keys off")
    seq = _sequence(bind)
    with op.batch_alter_table("contacts", table_kwargs={"sqlite_autoincrement": True}) as batch:
        for column in _columns():
            if column.name == "marketing_status":  # filled from contact_status below, then NOT NULL
                column = sa.Column("marketing_status", sa.String(20), nullable=True)
            batch.add_column(column)
    _restore_sequence(bind, seq)
    for name in (*STATE, *SOURCE):
        op.execute(
            f"UPDATE contacts SET {name} = (SELECT s.{name} FROM contact_status s WHERE s.contact_id = contacts.id)"
        )
    with op.batch_alter_table("contacts", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.alter_column("marketing_status", existing_type=sa.String(20), nullable=False)
    _restore_sequence(bind, seq)
    for name, columns in OLD_INDEXES.items():
        op.create_index(name, "contacts", columns)
    op.drop_table("contact_status")
