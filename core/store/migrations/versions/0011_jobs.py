"""Background jobs: long changes run off the page and scheduled runs of the worker (issue 14).

One row per job: its kind, who asked, its state (queued, running, done, failed), its progress and current step,
the JSON result or the error, and for a scheduled run its slot, unique per kind so that two workers never run the
same slot. A new table: nothing existing is touched.

Revision ID: 0011_jobs
Revises: 0010_hubspot
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_jobs"
down_revision = "0010_hubspot"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("requested_by", sa.String(100), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("params", sa.Text, nullable=False, server_default="{}"),
        sa.Column("progress", sa.Float, nullable=False, server_default=sa.text("0")),
        sa.Column("step", sa.String(200)),
        sa.Column("result", sa.Text),
        sa.Column("error", sa.Text),
        sa.Column("slot", sa.String(40)),
        sa.Column("claimed_by", sa.String(100)),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("started_at", sa.DateTime),
        sa.Column("heartbeat_at", sa.DateTime),
        sa.Column("finished_at", sa.DateTime),
        sa.UniqueConstraint("kind", "slot", name="uq_jobs_kind_slot"),
    )
    op.create_index("ix_jobs_state", "jobs", ["state", "id"])
    op.create_index("ix_jobs_requested_by", "jobs", ["requested_by", "id"])


def downgrade() -> None:
    op.drop_index("ix_jobs_requested_by", table_name="jobs")
    op.drop_index("ix_jobs_state", table_name="jobs")
    op.drop_table("jobs")
