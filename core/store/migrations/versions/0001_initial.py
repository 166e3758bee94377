"""Initial schema: account, contacts, lists, operations, status events, update runs, tier changes.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("edition", sa.String(20), nullable=False),
        sa.Column("commitment", sa.String(10), nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False, server_default="UTC"),
        sa.Column("billed_tier", sa.Integer, nullable=False),
        sa.Column("included_contacts", sa.Integer, nullable=False),
        sa.Column("increment_size", sa.Integer, nullable=False),
        sa.Column("base_price", sa.Integer, nullable=False),
        sa.Column("increment_price", sa.Integer, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False, server_default="USD"),
        sa.Column("updates_applied_through", sa.Date, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("email_lower", sa.String(254), nullable=False),
        sa.Column("first_name", sa.String(100)),
        sa.Column("last_name", sa.String(100)),
        sa.Column("lifecycle_stage", sa.String(40)),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_activity_at", sa.DateTime),
        sa.Column("hard_bounced", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("unsubscribed_all", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("source_type", sa.String(40), nullable=False),
        sa.Column("source_id", sa.String(100)),
        sa.Column("marketing_status", sa.String(20), nullable=False),
        sa.Column("pending_non_marketing", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("status_source_type", sa.String(40)),
        sa.Column("status_source_id", sa.String(100)),
        sa.Column("status_changed_at", sa.DateTime),
        sa.Column("effective_on", sa.Date),
    )
    op.create_index("ux_contacts_email_lower", "contacts", ["email_lower"], unique=True)
    op.create_index("ix_contacts_status", "contacts", ["marketing_status", "pending_non_marketing"])
    op.create_index("ix_contacts_effective_on", "contacts", ["effective_on"])
    op.create_index("ix_contacts_created_at", "contacts", ["created_at", "id"])
    op.create_index("ix_contacts_last_activity_at", "contacts", ["last_activity_at", "id"])
    op.create_index("ix_contacts_lifecycle_stage", "contacts", ["lifecycle_stage", "id"])
    op.create_index("ix_contacts_source_type", "contacts", ["source_type"])
    op.create_index("ix_contacts_status_source_type", "contacts", ["status_source_type"])
    op.create_index("ix_contacts_last_name", "contacts", ["last_name", "id"])
    op.create_table(
        "static_lists",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "list_members",
        sa.Column("list_id", sa.Integer, sa.ForeignKey("static_lists.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("contact_id", sa.Integer, sa.ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("added_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_list_members_contact", "list_members", ["contact_id"])
    op.create_table(
        "operations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("requested_at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("source_type", sa.String(40)),
        sa.Column("source_id", sa.String(100)),
        sa.Column("summary", sa.Text),
    )
    op.create_table(
        "status_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("contact_id", sa.Integer, nullable=False),
        sa.Column("operation_id", sa.Integer, sa.ForeignKey("operations.id"), nullable=False),
        sa.Column("old_state", sa.String(20)),
        sa.Column("new_state", sa.String(20)),
        sa.Column("requested_at", sa.DateTime, nullable=False),
        sa.Column("effective_on", sa.Date, nullable=False),
        sa.Column("source_type", sa.String(40), nullable=False),
        sa.Column("source_id", sa.String(100)),
        sa.Column("actor", sa.String(200), nullable=False),
    )
    op.create_index("ix_status_events_contact", "status_events", ["contact_id", "id"])
    op.create_table(
        "update_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("update_date", sa.Date, nullable=False, unique=True),
        sa.Column("ran_at", sa.DateTime, nullable=False),
        sa.Column("became_non_marketing", sa.Integer, nullable=False),
        sa.Column("marketing_after", sa.Integer, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
    )
    op.create_table(
        "tier_changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("effective_on", sa.Date, nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
        sa.Column("old_limit", sa.Integer, nullable=False),
        sa.Column("new_limit", sa.Integer, nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("marketing", sa.Integer, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    for name in ("tier_changes", "update_runs", "status_events", "operations", "list_members", "static_lists"):
        op.drop_table(name)
    op.drop_table("contacts")
    op.drop_table("account")
