"""Each person's own settings: the dashboard's language, remembered per user (issue 15).

A new table keyed by the actor's name (a signed-in username or the local-mode actor); nothing existing is touched.

Revision ID: 0012_preferences
Revises: 0011_jobs
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_preferences"
down_revision = "0011_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_preferences",
        sa.Column("actor", sa.String(100), primary_key=True),
        sa.Column("language", sa.String(10)),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("user_preferences")
