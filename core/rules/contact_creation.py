"""What creating (or re-submitting) one contact from a tool does to its status, and why (DOMAIN.md §5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.rules.sources import (
    ALWAYS_NON_MARKETING,
    SourceType,
    default_for_new_contact,
    submission_makes_existing_marketing,
)
from core.rules.status import State


@dataclass(frozen=True)
class Outcome:
    status: str  # marketing / pending / non_marketing after the request
    previous: str | None  # None: the contact is new
    reason: str

    @property
    def changed(self) -> bool:
        return self.status != self.previous


@dataclass(frozen=True)
class ToolSetting:
    """A form's, chatflow's or app's switch: None = never set (the default applies)."""

    value: bool | None
    switched_on_at: datetime | None = None


def _tool_name(kind: SourceType, tool_id: str | None) -> str:
    name = {SourceType.INTEGRATION: "connected app"}.get(kind, kind.value)
    return f"{name} {tool_id}" if tool_id else name


def _new_contact(kind: SourceType, setting: ToolSetting | None, marketing: bool | None, tool_id: str | None) -> Outcome:
    if kind in ALWAYS_NON_MARKETING:
        return Outcome("non_marketing", None, f"{kind.value} always creates non-marketing contacts")
    if kind == SourceType.MANUAL:
        chosen = "marketing" if marketing else "non-marketing"
        return Outcome("marketing" if marketing else "non_marketing", None, f"created by hand as {chosen}")
    if kind == SourceType.IMPORT:
        decision = default_for_new_contact(kind, tool_setting=marketing)
        why = "the import sets all contacts as marketing" if marketing else "imports create non-marketing contacts"
        return Outcome("marketing" if decision.marketing else "non_marketing", None, why)
    value = setting.value if setting else None
    decision = default_for_new_contact(kind, tool_setting=value)
    state = "marketing" if decision.marketing else "non-marketing"
    if value is None:
        how = "by default"
    elif value and setting and setting.switched_on_at:
        how = f"since its setting was switched on ({setting.switched_on_at:%Y-%m-%d %H:%M})"
    else:
        how = f"since its setting was switched {'on' if value else 'off'}"
    return Outcome(
        "marketing" if decision.marketing else "non_marketing",
        None,
        f"new contacts from {_tool_name(kind, tool_id)} are {state} {how}",
    )


def decide(
    kind: SourceType,
    *,
    existing: State | None,
    setting: ToolSetting | None = None,
    marketing: bool | None = None,
    tool_id: str | None = None,
) -> Outcome:
    """New contacts get the tool's default; an existing one changes only through a form whose switch is on."""
    if existing is None:
        return _new_contact(kind, setting, marketing, tool_id)
    before = existing.value
    tool = _tool_name(kind, tool_id)
    if kind == SourceType.FORM:
        if not submission_makes_existing_marketing(kind, tool_setting=setting.value if setting else None):
            return Outcome(before, before, f"{tool} is set to non-marketing: an existing contact keeps its status")
        if existing == State.MARKETING:
            return Outcome(before, before, "already a marketing contact")
        if existing == State.PENDING:
            return Outcome("marketing", before, f"submitting {tool} (set to marketing) undoes the pending change")
        return Outcome("marketing", before, f"submitting {tool} (set to marketing) makes the contact marketing")
    if kind == SourceType.INTEGRATION:
        why = "an app's setting affects only contacts it creates: the existing contact keeps its status"
        return Outcome(before, before, why)
    return Outcome(before, before, f"the contact already exists: {tool} leaves its status as it is")
