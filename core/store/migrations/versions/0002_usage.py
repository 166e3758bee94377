"""Usage & limits: indexes for the history, forecast and as-of-a-day counts (no new table).

Revision ID: 0002_usage
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0002_usage"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_status_events_effective_on", "status_events", ["effective_on", "old_state", "new_state"])
    op.create_index("ix_contacts_effective_pending", "contacts", ["effective_on", "pending_non_marketing"])


def downgrade() -> None:
    op.drop_index("ix_contacts_effective_pending", table_name="contacts")
    op.drop_index("ix_status_events_effective_on", table_name="status_events")
