"""Each person's own settings (for now the dashboard's language), keyed by the name they act as: a signed-in
username, or the local-mode actor."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, String, Table

from core.store.schema.tables import metadata

user_preferences = Table(
    "user_preferences",
    metadata,
    Column("actor", String(100), primary_key=True),
    Column("language", String(10)),  # en, pl; NULL: the deployment's (MARKETABLE_LANGUAGE)
    Column("updated_at", DateTime, nullable=False),  # UTC
)
