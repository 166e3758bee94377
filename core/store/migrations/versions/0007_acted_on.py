"""The honest clock (docs/domain.md §10): the day each operation acted on, and the last day a change acted on.

``operations.acted_on`` is the day an operation acted on, beside ``requested_at``, which from now on is the real
time it was recorded. Until now ``requested_at`` was the day acted on at the time of day of the request, so the
date of an existing row's ``requested_at`` is exactly the day it acted on. ``account.last_acted_on`` is the latest
day a change acted on: no change may act on a day before it. For an existing account it is the later of the day
update dates were applied through and the latest day an operation acted on. Columns are added nullable, filled,
then made NOT NULL (on SQLite through Alembic's batch mode, which rebuilds the table; ``core.store.migrate`` turns
foreign keys off around it, so the status events that point at operations are kept).

Revision ID: 0007_acted_on
Revises: 0006_contact_ids
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_acted_on"
down_revision = "0006_contact_ids"
branch_labels = None
depends_on = None


def upgrade() -> None:
    day_of = "date(requested_at)" if op.get_bind().dialect.name == "sqlite" else "CAST(requested_at AS DATE)"
    with op.batch_alter_table("operations") as batch:
        batch.add_column(sa.Column("acted_on", sa.Date, nullable=True))
    op.execute(f"UPDATE operations SET acted_on = {day_of}")
    with op.batch_alter_table("operations") as batch:
        batch.alter_column("acted_on", existing_type=sa.Date, nullable=False)

    with op.batch_alter_table("account") as batch:
        batch.add_column(sa.Column("last_acted_on", sa.Date, nullable=True))
    latest = "(SELECT max(acted_on) FROM operations)"
    op.execute("UPDATE account SET last_acted_on = updates_applied_through")
    op.execute(f"UPDATE account SET last_acted_on = {latest} WHERE {latest} > last_acted_on")
    with op.batch_alter_table("account") as batch:
        batch.alter_column("last_acted_on", existing_type=sa.Date, nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.drop_column("last_acted_on")
    with op.batch_alter_table("operations") as batch:
        batch.drop_column("acted_on")
