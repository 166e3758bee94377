"""Workflows: definitions, enrollments, applied actions (the exactly-once guard), attempts and runs.

Revision ID: 0004_workflows
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_workflows"
down_revision = "0001"
branch_labels = None
depends_on = None

FALSE = sa.text("false")
OPEN_SQL = "state IN ('active', 'retrying')"


def upgrade() -> None:
    op.create_table(
        "workflows",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("enabled", sa.Boolean, nullable=False, server_default=FALSE),
        sa.Column("criteria", sa.Text, nullable=False),
        sa.Column("actions", sa.Text, nullable=False),
        sa.Column("reenroll", sa.Boolean, nullable=False, server_default=FALSE),
        sa.Column("revision", sa.Integer, nullable=False, server_default=sa.text("1")),
        sa.Column("max_tier", sa.Integer),
        sa.Column("blocked", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("enabled_at", sa.DateTime),
        sa.Column("enabled_by", sa.String(200)),
    )
    op.create_table(
        "workflow_enrollments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workflow_id", sa.Integer, sa.ForeignKey("workflows.id", ondelete="CASCADE"), nullable=False),
        sa.Column("contact_id", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False, server_default=sa.text("1")),
        sa.Column("enrolled_at", sa.DateTime, nullable=False),
        sa.Column("next_action", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("finished_at", sa.DateTime),
        sa.Column("rearmed", sa.Boolean, nullable=False, server_default=FALSE),
        sa.UniqueConstraint("workflow_id", "contact_id", "seq", name="ux_workflow_enrollments_contact"),
    )
    op.create_index(
        "ix_workflow_enrollments_open",
        "workflow_enrollments",
        ["workflow_id", "next_action", "id"],
        sqlite_where=sa.text(OPEN_SQL),
        postgresql_where=sa.text(OPEN_SQL),
    )
    op.create_table(
        "workflow_action_runs",
        sa.Column(
            "enrollment_id",
            sa.Integer,
            sa.ForeignKey("workflow_enrollments.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("action_index", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("workflow_id", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("applied_at", sa.DateTime, nullable=False),
        sa.Column("attempt_id", sa.Integer, nullable=False),
        sa.Column("error", sa.Text),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "workflow_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_key", sa.String(32), nullable=False),
        sa.Column("batch_key", sa.String(32), nullable=False),
        sa.Column("workflow_id", sa.Integer, sa.ForeignKey("workflows.id", ondelete="CASCADE"), nullable=False),
        sa.Column("action_index", sa.Integer),
        sa.Column("action", sa.String(300), nullable=False),
        sa.Column("first_enrollment", sa.Integer),
        sa.Column("last_enrollment", sa.Integer),
        sa.Column("enrollments", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime, nullable=False),
        sa.Column("duration_ms", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("applied", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("error", sa.Text),
        sa.Column("actor", sa.String(200), nullable=False),
    )
    op.create_index("ix_workflow_attempts_workflow", "workflow_attempts", ["workflow_id", "id"])
    op.create_index("ix_workflow_attempts_batch", "workflow_attempts", ["batch_key"])
    op.create_table(
        "workflow_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_key", sa.String(32), nullable=False, unique=True),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("summary", sa.Text),
    )


def downgrade() -> None:
    for name in ("workflow_runs", "workflow_attempts", "workflow_action_runs", "workflow_enrollments", "workflows"):
        op.drop_table(name)
