"""The schema. Alembic migrations in ``core/store/migrations`` create it; this is the query model."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)

metadata = MetaData()

account = Table(
    "account",
    metadata,
    Column("id", Integer, primary_key=True),  # always 1: one account per database
    Column("edition", String(20), nullable=False),
    Column("commitment", String(10), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("timezone", String(64), nullable=False, server_default="UTC"),
    Column("billed_tier", Integer, nullable=False),
    Column("included_contacts", Integer, nullable=False),
    Column("increment_size", Integer, nullable=False),
    Column("base_price", Integer, nullable=False),
    Column("increment_price", Integer, nullable=False),
    Column("currency", String(3), nullable=False, server_default="USD"),
    Column("updates_applied_through", Date, nullable=False),
    Column("last_acted_on", Date, nullable=False),  # the latest day a change acted on (docs/domain.md §10)
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

contacts = Table(
    "contacts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False),
    Column("email_lower", String(254), nullable=False),
    Column("first_name", String(100)),
    Column("last_name", String(100)),
    Column("lifecycle_stage", String(40)),
    Column("created_at", DateTime, nullable=False),
    Column("last_activity_at", DateTime),
    Column("hard_bounced", Boolean, nullable=False, server_default=text("false")),
    Column("unsubscribed_all", Boolean, nullable=False, server_default=text("false")),
    Column("source_type", String(40), nullable=False),
    Column("source_id", String(100)),
    Column("hubspot_id", BigInteger),  # HubSpot's Record ID, kept as the contact came with it (migration 0009)
    Index("ux_contacts_email_lower", "email_lower", unique=True),
    Index("ux_contacts_hubspot_id", "hubspot_id", unique=True),
    Index("ix_contacts_created_at", "created_at", "id"),
    Index("ix_contacts_last_activity_at", "last_activity_at", "id"),
    Index("ix_contacts_lifecycle_stage", "lifecycle_stage", "id"),
    Index("ix_contacts_source_type", "source_type"),
    Index("ix_contacts_last_name", "last_name", "id"),
    sqlite_autoincrement=True,  # ids are never reused: events outlive their contact (migration 0006)
)

# A contact's state, apart from its profile (migration 0008_contact_status): a status change rewrites this
# narrow row and its two small indexes, not the wide contact row and its profile indexes. One row per contact,
# always (core.store.states writes both); only core.store.states reads or writes it.
contact_status = Table(
    "contact_status",
    metadata,
    Column(
        "contact_id",
        Integer,
        ForeignKey("contacts.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("marketing_status", String(20), nullable=False),
    Column("pending_non_marketing", Boolean, nullable=False, server_default=text("false")),
    Column("effective_on", Date),  # the update date a pending contact leaves on
    Column("status_source_type", String(40)),
    Column("status_source_id", String(100)),
    Column("status_changed_at", DateTime),
    Index("ix_contact_status_state", "marketing_status", "pending_non_marketing"),
    # "due by D": pending contacts by update date; the few pending rows only, on both engines
    Index(
        "ix_contact_status_due",
        "effective_on",
        postgresql_where=text("pending_non_marketing"),
        sqlite_where=text("pending_non_marketing = 1"),
    ),
    postgresql_with={"fillfactor": 90},  # room on each page for the new row version of a status change
)

# How many contacts are in each state: kept by triggers on contact_status (migration 0013_state_counts), read by
# core.store.states instead of counting the status rows. ``leaves_on``: a pending contact's update date, 9999-12-31
# for every other state.
contact_state_counts = Table(
    "contact_state_counts",
    metadata,
    Column("state", String(20), primary_key=True),
    Column("leaves_on", Date, primary_key=True),
    Column("n", BigInteger, nullable=False),
)

static_lists = Table(
    "static_lists",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
    Column("created_by", String(200), nullable=False),
)

list_members = Table(
    "list_members",
    metadata,
    Column("list_id", Integer, ForeignKey("static_lists.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    Column("added_at", DateTime, nullable=False),
    Index("ix_list_members_contact", "contact_id"),
)

# One row per operation: who asked, when, from where, and the day it acted on. Events point at it.
operations = Table(
    "operations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(40), nullable=False),  # set_status, import, update, create, delete, demo, ...
    Column("requested_at", DateTime, nullable=False),  # the real time it was recorded (account-local)
    Column("acted_on", Date, nullable=False),  # the day it acted on (migration 0007_acted_on)
    Column("actor", String(200), nullable=False),
    Column("source_type", String(40)),
    Column("source_id", String(100)),
    Column("summary", Text),  # JSON with the counts the operation reported
)

# The audit trail: one row per contact per change. No foreign key to contacts: history outlives deletion.
status_events = Table(
    "status_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("contact_id", Integer, nullable=False),
    Column("operation_id", Integer, ForeignKey("operations.id"), nullable=False),
    Column("old_state", String(20)),  # marketing / pending / non_marketing; NULL when created
    Column("new_state", String(20)),  # NULL when deleted
    Column("requested_at", DateTime, nullable=False),
    Column("effective_on", Date, nullable=False),  # the day the change counts from
    Column("source_type", String(40), nullable=False),
    Column("source_id", String(100)),
    Column("actor", String(200), nullable=False),
    Index("ix_status_events_contact", "contact_id", "id"),
)

update_runs = Table(
    "update_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("update_date", Date, nullable=False, unique=True),
    Column("ran_at", DateTime, nullable=False),
    Column("became_non_marketing", Integer, nullable=False),
    Column("marketing_after", Integer, nullable=False),
    Column("actor", String(200), nullable=False),
)

tier_changes = Table(
    "tier_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("effective_on", Date, nullable=False),
    Column("changed_at", DateTime, nullable=False),
    Column("old_limit", Integer, nullable=False),
    Column("new_limit", Integer, nullable=False),
    Column("reason", String(40), nullable=False),  # upgrade, renewal, settings
    Column("marketing", Integer, nullable=False),
    Column("actor", String(200), nullable=False),
)
