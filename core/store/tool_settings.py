"""Reading and registering the per-tool default status settings (forms, chatflows, connected apps)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from core.rules.contact_creation import ToolSetting
from core.rules.sources import ADJUSTABLE_DEFAULTS, SourceType
from core.store.schema import contacts, source_settings

PER_TOOL = (SourceType.FORM, SourceType.CHATFLOW, SourceType.INTEGRATION)


@dataclass(frozen=True)
class SourceSetting:
    source_type: str
    source_id: str
    name: str | None
    marketing: bool  # what new contacts from this tool get (the setting, else the default)
    is_default: bool  # never set: the source type's default applies
    switched_on_at: datetime | None
    contacts: int = 0  # contacts this tool created (counted from the contacts, not from the setting)

    def as_rule(self) -> ToolSetting:
        return ToolSetting(None if self.is_default else self.marketing, self.switched_on_at)


def _row(conn: Connection, kind: SourceType, source_id: str) -> Any:
    query = select(source_settings).where(
        source_settings.c.source_type == kind.value, source_settings.c.source_id == source_id
    )
    return conn.execute(query).mappings().first()


def as_setting(row: Any) -> SourceSetting:
    kind = SourceType(row["source_type"])
    value = row["marketing"]
    return SourceSetting(
        kind.value,
        row["source_id"],
        row["name"],
        ADJUSTABLE_DEFAULTS[kind] if value is None else bool(value),
        value is None,
        row["switched_on_at"],
    )


def _created_by_tool(conn: Connection) -> dict[tuple[str, str], int]:
    """How many contacts each form, chatflow and connected app created (one GROUP BY on the indexed source)."""
    query = (
        select(contacts.c.source_type, contacts.c.source_id, func.count())
        .where(contacts.c.source_type.in_([k.value for k in PER_TOOL]), contacts.c.source_id.is_not(None))
        .group_by(contacts.c.source_type, contacts.c.source_id)
    )
    return {(kind, tool): n for kind, tool, n in conn.execute(query)}


def all_settings(conn: Connection) -> list[SourceSetting]:
    """Every tool configured or that contacts came from (a tool never registered gets its type's default),
    with how many contacts it created; by type, then ID."""
    query = select(source_settings).order_by(source_settings.c.source_type, source_settings.c.source_id)
    created = _created_by_tool(conn)
    found = {(s.source_type, s.source_id): s for s in map(as_setting, conn.execute(query).mappings())}
    for kind, tool in created.keys() - found.keys():
        default = ADJUSTABLE_DEFAULTS[SourceType(kind)]
        found[kind, tool] = SourceSetting(kind, tool, None, default, True, None)
    return [replace(found[key], contacts=created.get(key, 0)) for key in sorted(found)]


def register(
    conn: Connection, kind: SourceType, source_id: str, *, name: str | None, now: datetime, actor: str
) -> SourceSetting:
    """The tool's setting, adding the tool (with its type's default) the first time it is seen."""
    row = _row(conn, kind, source_id)
    if row is None:
        conn.execute(
            insert(source_settings).values(
                source_type=kind.value,
                source_id=source_id,
                name=name,
                marketing=None,
                switched_on_at=now if ADJUSTABLE_DEFAULTS[kind] else None,
                updated_at=now,
                updated_by=actor,
            )
        )
        row = _row(conn, kind, source_id)
    return as_setting(row)
