"""Tables of the Contacts feature: saved views and the per-tool default status settings (docs/domain.md §5).

Static lists use ``static_lists`` / ``list_members`` of ``core.store.schema``. Migration: 0003_contacts.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, String, Table, Text, text

from core.store.schema.tables import metadata

# A named filter of the Contacts index: the filter model's JSON, a quick filter and a sort.
saved_views = Table(
    "saved_views",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("filter_json", Text, nullable=False),
    Column("quick", String(20)),  # marketing / pending / non_marketing / unengaged, or NULL
    Column("sort", String(40), nullable=False),
    Column("descending", Boolean, nullable=False, server_default=text("true")),
    Column("created_at", DateTime, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

# One row per form, chatflow or connected app that has been seen or configured.
source_settings = Table(
    "source_settings",
    metadata,
    Column("source_type", String(40), primary_key=True),  # form / chatflow / integration
    Column("source_id", String(100), primary_key=True),
    Column("name", String(200)),
    Column("marketing", Boolean),  # NULL: never set, the source type's default applies
    Column("switched_on_at", DateTime),  # when it was last switched on; apps affect contacts created after it
    Column("updated_at", DateTime, nullable=False),
    Column("updated_by", String(200), nullable=False),
)
