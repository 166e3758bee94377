"""Record IDs (docs/domain.md §11): a contact keeps HubSpot's Record ID, the one it came with.

``contacts.hubspot_id`` is HubSpot's Record ID (a 64-bit integer), empty for a contact HubSpot has not given
one; a unique index finds a contact by it and keeps two contacts from claiming the same one (several empty
ones are allowed on both engines). Existing contacts get none: before this revision the import ignored the
column, and the ids earlier exports wrote were Marketable's own, not HubSpot's. Adding a nullable column
rewrites no rows (SQLite's ADD COLUMN, PostgreSQL's catalog-only change), so it is safe on a live database.

Lifecycle stages are stored by HubSpot's internal name from now on (docs/domain.md §11). Imports used to store
a HubSpot export's label in lower case, so "Marketing Qualified Lead" became ``marketing qualified lead``, a
second stage beside ``marketingqualifiedlead``; those values are rewritten to the internal name (the labels of
the other default stages are their internal names once lowered). The spellings are listed here, not imported:
a migration means what it meant when it was written.

Revision ID: 0009_record_ids
Revises: 0008_contact_status
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_record_ids"
down_revision = "0008_contact_status"
branch_labels = None
depends_on = None


_STAGE_SPELLINGS = {
    "marketingqualifiedlead": ("marketing qualified lead", "marketing_qualified_lead", "marketing-qualified-lead"),
    "salesqualifiedlead": ("sales qualified lead", "sales_qualified_lead", "sales-qualified-lead"),
}


def upgrade() -> None:
    op.add_column("contacts", sa.Column("hubspot_id", sa.BigInteger, nullable=True))
    op.create_index("ux_contacts_hubspot_id", "contacts", ["hubspot_id"], unique=True)
    contacts = sa.table("contacts", sa.column("lifecycle_stage", sa.String))
    for name, spellings in _STAGE_SPELLINGS.items():
        op.execute(contacts.update().where(contacts.c.lifecycle_stage.in_(spellings)).values(lifecycle_stage=name))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and bind.exec_driver_sql("PRAGMA foreign_keys").scalar_one():
        # Rebuilding contacts would cascade to list memberships.
        raise RuntimeError("downgrade through core.store.migrate.downgrade(), which turns foreign keys off")
    op.drop_index("ux_contacts_hubspot_id", table_name="contacts")
    # On SQLite the table is rebuilt: keep AUTOINCREMENT and the highest id ever given out, which dropping
    # the old table forgets (ids are never reused, 0006_contact_ids).
    sqlite = bind.dialect.name == "sqlite"
    seq = "SELECT seq FROM sqlite_sequence WHERE name = 'contacts'"
    highest = bind.exec_driver_sql(seq).scalar() if sqlite else None
    with op.batch_alter_table("contacts", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("hubspot_id")
    if highest is not None:
        bind.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = 'contacts'")
        bind.exec_driver_sql("INSERT INTO sqlite_sequence (name, seq) VALUES ('contacts', ?)", (highest,))
