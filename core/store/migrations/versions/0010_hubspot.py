"""The HubSpot connection's sync state (docs/domain.md §12): one row per sync, with its cursor and progress.

A new table only: nothing existing changes. The access token is never stored.

Revision ID: 0010_hubspot
Revises: 0009_record_ids
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_hubspot"
down_revision = "0009_record_ids"
branch_labels = None
depends_on = None

COUNTS = ("pages", "fetched", "created", "updated", "unchanged", "stale", "conflicts", "errors", "requests", "retries")


def upgrade() -> None:
    op.create_table(
        "hubspot_syncs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("mode", sa.String(12), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("since_ms", sa.BigInteger),
        sa.Column("window_ms", sa.BigInteger),
        sa.Column("after", sa.String(200)),
        sa.Column("next_since_ms", sa.BigInteger),
        sa.Column("total", sa.Integer),
        *(sa.Column(name, sa.Integer, nullable=False) for name in COUNTS),
        sa.Column("details", sa.Text),
        sa.Column("operation_id", sa.Integer, sa.ForeignKey("operations.id")),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime),
        sa.Column("actor", sa.String(200), nullable=False),
    )
    op.create_index("ix_hubspot_syncs_status", "hubspot_syncs", ["status", "id"])


def downgrade() -> None:
    op.drop_index("ix_hubspot_syncs_status", table_name="hubspot_syncs")
    op.drop_table("hubspot_syncs")
