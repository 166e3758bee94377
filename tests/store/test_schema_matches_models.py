"""The database the migrations build is the one the models describe, on SQLite and on PostgreSQL.

Alembic's ``compare_metadata`` compares tables, columns, types, nullability, server defaults, indexes, unique
constraints and foreign keys (with their ON DELETE). It does not look at what only a table's DDL says:
primary keys, the predicate of a partial index, SQLite's AUTOINCREMENT and WITHOUT ROWID. For those the
migrated database is compared with one that ``create_all`` builds from the models on the same engine, both
read back by the same reflection (so that each dialect's own spelling of a predicate compares equal).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import (
    Column,
    Engine,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
    create_engine,
    inspect,
    text,
)

from core.store.engine import make_engine
from core.store.migrate import upgrade
from core.store.schema import metadata
from tests.conftest import _pg_admin_url

MakeDatabase = Callable[[], Engine]


@pytest.fixture
def new_database(db_url: str, tmp_path: Path) -> Iterator[MakeDatabase]:
    """Makes further empty databases on the engine of ``db_url``: SQLite files, or PostgreSQL schemas."""
    engines: list[Engine] = []
    schemas: list[str] = []

    def make() -> Engine:
        if db_url.startswith("sqlite"):
            url = f"sqlite:///{tmp_path}/extra_{len(engines)}.db"
        else:
            schemas.append(f"t_{uuid.uuid4().hex[:12]}")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schemas[-1]}"'))
            url = re.sub(r"search_path%3D[^&]+", f"search_path%3D{schemas[-1]}", db_url)
        engines.append(make_engine(url))
        return engines[-1]

    admin = None if db_url.startswith("sqlite") else create_engine(str(_pg_admin_url()), isolation_level="AUTOCOMMIT")
    yield make
    for engine in engines:
        engine.dispose()
    if admin is not None:
        with admin.connect() as conn:
            for schema in schemas:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def alembic_differences(migrated: Engine, models: MetaData) -> list[Any]:
    """What ``compare_metadata`` finds between the database and the models, every comparison on.

    ``compare_type`` and ``compare_server_default`` are both on, and nothing is filtered out: no dialect
    quirk needed switching off (on SQLite and PostgreSQL the reflected types and defaults compare equal).
    """
    with migrated.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        return list(compare_metadata(context, models))


def ddl_facts(engine: Engine) -> dict[str, dict[str, Any]]:
    """Per table, what compare_metadata leaves out: primary key, index predicates, SQLite table options."""
    inspector = inspect(engine)
    facts: dict[str, dict[str, Any]] = {}
    for table in inspector.get_table_names():
        if table == "alembic_version":
            continue
        indexes = {
            i["name"]: {k: str(v) for k, v in i.get("dialect_options", {}).items() if k.endswith("_where")}
            for i in inspector.get_indexes(table)
        }
        facts[table] = {"primary key": inspector.get_pk_constraint(table)["constrained_columns"], "indexes": indexes}
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            for name, sql in conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table'"):
                if name in facts:
                    facts[name]["sqlite"] = {
                        "autoincrement": "AUTOINCREMENT" in sql,
                        "rowid": "WITHOUT ROWID" not in sql,
                    }
    return facts


def ddl_differences(migrated: Engine, models: MetaData, new_database: MakeDatabase) -> list[str]:
    built = new_database()
    models.create_all(built)
    ours, theirs = ddl_facts(migrated), ddl_facts(built)
    return [
        f"{table}: {key} is {ours.get(table, {}).get(key)} in the migrated database,"
        f" {theirs.get(table, {}).get(key)} in the models"
        for table in sorted(set(ours) | set(theirs))
        for key in sorted(set(ours.get(table, {})) | set(theirs.get(table, {})))
        if ours.get(table, {}).get(key) != theirs.get(table, {}).get(key)
    ]


def differences(migrated: Engine, models: MetaData, new_database: MakeDatabase) -> list[str]:
    found = [str(d) for d in alembic_differences(migrated, models)]
    return found + ddl_differences(migrated, models, new_database)


def migrated_database(new_database: MakeDatabase) -> Engine:
    engine = new_database()
    assert upgrade(engine)  # the project's own path: what the app and every command run on start
    return engine


def test_an_empty_database_migrated_to_head_is_exactly_the_models(new_database: MakeDatabase) -> None:
    assert differences(migrated_database(new_database), metadata, new_database) == []


def _copy() -> MetaData:
    copy = MetaData()
    for table in metadata.sorted_tables:
        table.to_metadata(copy)
    return copy


def _drop_cascade(models: MetaData) -> None:
    (fk,) = [c for c in models.tables["user_sessions"].constraints if isinstance(c, ForeignKeyConstraint)]
    fk.ondelete = None


def _index(models: MetaData, table: str, name: str) -> Index:
    return next(i for i in models.tables[table].indexes if i.name == name)


def _narrow_primary_key(models: MetaData) -> None:
    table = models.tables["workflow_action_runs"]
    table.c.action_index.primary_key = False
    table.append_constraint(PrimaryKeyConstraint("enrollment_id"))


def _widen_predicate(models: MetaData) -> None:
    index = _index(models, "workflow_enrollments", "ix_workflow_enrollments_open")
    for dialect in ("sqlite", "postgresql"):
        index.dialect_options[dialect]["where"] = text("state IN ('active', 'retrying', 'failed')")


def _sqlite_option(table: str, **options: Any) -> Callable[[MetaData], None]:
    def change(models: MetaData) -> None:
        models.tables[table].dialect_options["sqlite"].update(options)

    return change


CHANGES: dict[str, Callable[[MetaData], None]] = {
    "a table": lambda m: Table("extra", m, Column("id", Integer, primary_key=True)),
    "a column": lambda m: m.tables["contacts"].append_column(Column("extra", Integer)),
    "a type": lambda m: setattr(m.tables["contacts"].c.email, "type", String(200)),
    "nullability": lambda m: setattr(m.tables["contacts"].c.first_name, "nullable", False),
    "a server default": lambda m: setattr(m.tables["saved_views"].c.descending.server_default, "arg", text("false")),
    "an index": lambda m: Index("ix_extra", m.tables["contacts"].c.first_name),
    "an index's uniqueness": lambda m: setattr(_index(m, "users", "ux_users_email"), "unique", False),
    "a unique constraint": lambda m: m.tables["static_lists"].append_constraint(UniqueConstraint("created_by")),
    "a foreign key": lambda m: m.tables["status_events"].append_constraint(
        ForeignKeyConstraint(["contact_id"], ["contacts.id"])
    ),
    "a foreign key's ON DELETE": _drop_cascade,
    "a primary key": _narrow_primary_key,
    "a partial index's predicate": _widen_predicate,
}
SQLITE_CHANGES: dict[str, Callable[[MetaData], None]] = {
    "AUTOINCREMENT": _sqlite_option("contacts", autoincrement=False),
    "WITHOUT ROWID": _sqlite_option("workflow_action_runs", with_rowid=True),
}


def test_the_comparison_reports_each_kind_of_difference(new_database: MakeDatabase, db_url: str) -> None:
    migrated = migrated_database(new_database)
    assert differences(migrated, _copy(), new_database) == []  # the copy alone changes nothing
    changes = CHANGES | (SQLITE_CHANGES if db_url.startswith("sqlite") else {})
    unseen = []
    for what, change in changes.items():
        models = _copy()
        change(models)
        if not differences(migrated, models, new_database):
            unseen.append(what)
    assert unseen == []
