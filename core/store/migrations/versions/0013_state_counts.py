"""How many contacts are in each state, kept by the database itself (issue 14).

Until now every count of the account (the Usage page, ``usage``, the money of a confirmation, the marketing count an
update date records) was a GROUP BY over ``contact_status``: at 10,000,000 contacts 0.34 s each, and inside a change
that had just rewritten millions of status rows far more (their index entries are not yet visible to everyone, so
each is checked in the table). ``contact_state_counts`` holds one row per (state, update date): how many contacts
are marketing, non-marketing, and pending to leave on each update date. A count is a sum over a few rows.

Triggers on ``contact_status`` keep it, so every writer is counted: the application, a hand edit in SQL, the
cascade of a deleted contact. PostgreSQL: one statement-level trigger per INSERT, UPDATE and DELETE, reading the
statement's transition tables (one aggregate per statement, not per row; COPY and foreign-key cascades included),
and TRUNCATE empties the counts. SQLite has row triggers only: one upsert per inserted, deleted or re-stated row.

A row's state is the one ``core.rules.status.State.of`` gives: non-marketing whatever the flag, else pending when
flagged, else marketing. ``leaves_on`` is a pending contact's update date, and 9999-12-31 ("never") for every other
row and for a pending row without a date (which no "due by D" ever counts either). Writers are serialised on the
account row (``core.store.engine.write``), so the counter rows are never a point of contention between them.

Keep in mind: SQLite drops a table's triggers when a later migration rebuilds it (batch mode). A migration that
rebuilds ``contact_status`` must create these triggers again.

Revision ID: 0013_state_counts
Revises: 0012_preferences
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_state_counts"
down_revision = "0012_preferences"
branch_labels = None
depends_on = None

NEVER = "9999-12-31"


def state(row: str) -> str:
    return (
        f"CASE WHEN {row}.marketing_status = 'non_marketing' THEN 'non_marketing' "
        f"WHEN {row}.pending_non_marketing THEN 'pending' ELSE 'marketing' END"
    )


def leaves_on(row: str) -> str:
    return (
        f"CASE WHEN {row}.marketing_status <> 'non_marketing' AND {row}.pending_non_marketing "
        f"THEN coalesce({row}.effective_on, '{NEVER}') ELSE '{NEVER}' END"
    )


def _add(rows: str) -> str:
    """PostgreSQL: add the signed counts of ``rows`` (a SELECT of state, leaves_on, n) to the table."""
    return (
        "INSERT INTO contact_state_counts AS c (state, leaves_on, n) "
        f"SELECT state, leaves_on, sum(n) FROM ({rows}) AS d GROUP BY state, leaves_on HAVING sum(n) <> 0 "
        "ON CONFLICT (state, leaves_on) DO UPDATE SET n = c.n + excluded.n"
    )


def _signed(table: str, sign: int) -> str:
    return f"SELECT {state('r')} AS state, {leaves_on('r')}::date AS leaves_on, {sign} AS n FROM {table} AS r"


PG_FUNCTIONS = {
    "INSERT": _add(_signed("new_rows", 1)),
    "UPDATE": _add(f"{_signed('new_rows', 1)} UNION ALL {_signed('old_rows', -1)}"),
    "DELETE": _add(_signed("old_rows", -1)),
}
PG_TABLES = {"INSERT": "NEW TABLE AS new_rows", "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}
PG_TABLES["DELETE"] = "OLD TABLE AS old_rows"
# the counts table is found where it was created, whatever the writing session's search_path (pg_restore empties it)
SCHEMA = "SET search_path FROM CURRENT"


def _sqlite_add(row: str) -> str:
    return (
        f"INSERT INTO contact_state_counts (state, leaves_on, n) VALUES ({state(row)}, {leaves_on(row)}, 1) "
        "ON CONFLICT (state, leaves_on) DO UPDATE SET n = n + 1;"
    )


def _sqlite_remove(row: str) -> str:
    return f"UPDATE contact_state_counts SET n = n - 1 WHERE state = {state(row)} AND leaves_on = {leaves_on(row)};"


SQLITE_TRIGGERS = {
    "insert": f"AFTER INSERT ON contact_status BEGIN {_sqlite_add('NEW')} END",
    "delete": f"AFTER DELETE ON contact_status BEGIN {_sqlite_remove('OLD')} END",
    "update": (
        "AFTER UPDATE OF marketing_status, pending_non_marketing, effective_on ON contact_status "
        f"WHEN {state('OLD')} <> {state('NEW')} OR {leaves_on('OLD')} <> {leaves_on('NEW')} "
        f"BEGIN {_sqlite_remove('OLD')} {_sqlite_add('NEW')} END"
    ),
}


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "contact_state_counts",
        sa.Column("state", sa.String(20), primary_key=True),
        sa.Column("leaves_on", sa.Date, primary_key=True),
        sa.Column("n", sa.BigInteger, nullable=False),
    )
    if bind.dialect.name == "sqlite":
        for event, body in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER contact_state_counts_{event} {body}")
    else:
        for event, statement in PG_FUNCTIONS.items():
            name = f"contact_state_counts_{event.lower()}"
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql {SCHEMA} AS $$ BEGIN {statement}; "
                "RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON contact_status REFERENCING {PG_TABLES[event]} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )
        op.execute(
            f"CREATE FUNCTION contact_state_counts_truncate() RETURNS trigger LANGUAGE plpgsql {SCHEMA} AS $$ BEGIN "
            "DELETE FROM contact_state_counts; RETURN NULL; END $$"
        )
        op.execute(
            "CREATE TRIGGER contact_state_counts_truncate AFTER TRUNCATE ON contact_status "
            "FOR EACH STATEMENT EXECUTE FUNCTION contact_state_counts_truncate()"
        )
    cast = "" if bind.dialect.name == "sqlite" else "::date"
    op.execute(  # the contacts there are now; from here on the triggers count every change
        f"INSERT INTO contact_state_counts (state, leaves_on, n) SELECT {state('r')}, {leaves_on('r')}{cast}, "
        "count(*) FROM contact_status AS r GROUP BY 1, 2"
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for event in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER contact_state_counts_{event}")
    else:
        for event in (*PG_FUNCTIONS, "TRUNCATE"):
            name = f"contact_state_counts_{event.lower()}"
            op.execute(f"DROP TRIGGER {name} ON contact_status")
            op.execute(f"DROP FUNCTION {name}()")
    op.drop_table("contact_state_counts")
