"""Contacts feature: saved views and per-tool default status settings.

Revision ID: 0003_contacts
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_contacts"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_views",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("filter_json", sa.Text, nullable=False),
        sa.Column("quick", sa.String(20)),
        sa.Column("sort", sa.String(40), nullable=False),
        sa.Column("descending", sa.Boolean, nullable=False, server_default=sa.text("true")),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "source_settings",
        sa.Column("source_type", sa.String(40), primary_key=True),
        sa.Column("source_id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(200)),
        sa.Column("marketing", sa.Boolean),
        sa.Column("switched_on_at", sa.DateTime),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("source_settings")
    op.drop_table("saved_views")
