"""Alembic environment: always run programmatically with a connection (see core.store.migrate)."""

from __future__ import annotations

from alembic import context

from core.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
