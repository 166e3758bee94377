"""The whole schema in one place: every table of every feature joins ``metadata`` here (what Alembic compares).

Migrations in ``core/store/migrations`` create it; these tables are the query model.
"""

from core.store.schema.contact_settings import saved_views, source_settings
from core.store.schema.hubspot import hubspot_syncs
from core.store.schema.indexes import events_by_day
from core.store.schema.jobs import jobs
from core.store.schema.preferences import user_preferences
from core.store.schema.tables import (
    account,
    contact_state_counts,
    contact_status,
    contacts,
    list_members,
    metadata,
    operations,
    static_lists,
    status_events,
    tier_changes,
    update_runs,
)
from core.store.schema.users import user_sessions, users
from core.store.schema.workflows import (
    ACTIVE,
    COMPLETED,
    FAILED,
    OPEN_SQL,
    OPEN_STATES,
    RETRYING,
    workflow_action_runs,
    workflow_attempts,
    workflow_enrollments,
    workflow_runs,
    workflows,
)

__all__ = [
    "ACTIVE",
    "COMPLETED",
    "FAILED",
    "OPEN_SQL",
    "OPEN_STATES",
    "RETRYING",
    "account",
    "contact_state_counts",
    "contact_status",
    "contacts",
    "events_by_day",
    "hubspot_syncs",
    "jobs",
    "list_members",
    "metadata",
    "operations",
    "saved_views",
    "source_settings",
    "static_lists",
    "status_events",
    "tier_changes",
    "update_runs",
    "user_preferences",
    "user_sessions",
    "users",
    "workflow_action_runs",
    "workflow_attempts",
    "workflow_enrollments",
    "workflow_runs",
    "workflows",
]
