"""Reading and registering the per-tool default status settings (forms, chatflows, connected apps)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from core.rules.contact_creation import ToolSetting
from core.rules.sources import ADJUSTABLE_DEFAULTS, SourceType
from core.store.schema import source_settings


@dataclass(frozen=True)
class SourceSetting:
    source_type: str
    source_id: str
    name: str | None
    marketing: bool  # what new contacts from this tool get (the setting, else the default)
    is_default: bool  # never set: the source type's default applies
    switched_on_at: datetime | None

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


def all_settings(conn: Connection) -> list[SourceSetting]:
    query = select(source_settings).order_by(source_settings.c.source_type, source_settings.c.source_id)
    return [as_setting(r) for r in conn.execute(query).mappings()]


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
