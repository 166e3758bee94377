"""Storage: SQLAlchemy 2.x tables, engine and set-based queries (SQLite and PostgreSQL)."""
