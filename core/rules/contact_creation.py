"""What creating (or re-submitting) one contact from a tool does to its status, and why (docs/domain.md §5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.rules.sources import (
    ALWAYS_NON_MARKETING,
    SourceType,
    default_for_new_contact,
    submission_makes_existing_marketing,
)
from core.rules.status import MarketingStatus, Outcome, State, transition


@dataclass(frozen=True)
class Creation:
    """What a tool's request does to one contact: its state after, before (None: the contact is new), and why."""

    state: State
    previous: State | None
    reason: str

    @property
    def changed(self) -> bool:
        return self.state != self.previous


@dataclass(frozen=True)
class ToolSetting:
    """A form's, chatflow's or app's switch: None = never set (the default applies)."""

    value: bool | None
    switched_on_at: datetime | None = None


def _tool_name(kind: SourceType, tool_id: str | None) -> str:
    name = {SourceType.INTEGRATION: "connected app"}.get(kind, kind.value)
    return f"{name} {tool_id}" if tool_id else name


def _new_contact(
    kind: SourceType, setting: ToolSetting | None, marketing: bool | None, tool_id: str | None
) -> Creation:
    chosen = marketing if kind in (SourceType.MANUAL, SourceType.IMPORT) else setting.value if setting else None
    state = State.MARKETING if default_for_new_contact(kind, tool_setting=chosen) else State.NON_MARKETING
    if kind in ALWAYS_NON_MARKETING:
        return Creation(state, None, f"{kind.value} always creates non-marketing contacts")
    said = state.value.replace("_", "-")
    if kind == SourceType.MANUAL:
        return Creation(state, None, f"created by hand as {said}")
    if kind == SourceType.IMPORT:
        why = "the import sets all contacts as marketing" if marketing else "imports create non-marketing contacts"
        return Creation(state, None, why)
    if chosen is None:
        how = "by default"
    elif chosen and setting and setting.switched_on_at:
        how = f"since its setting was switched on ({setting.switched_on_at:%Y-%m-%d %H:%M})"
    else:
        how = f"since its setting was switched {'on' if chosen else 'off'}"
    return Creation(state, None, f"new contacts from {_tool_name(kind, tool_id)} are {said} {how}")


_RESUBMITTED = {
    Outcome.UNCHANGED: "already a marketing contact",
    Outcome.UNDONE: "submitting {tool} (set to marketing) undoes the pending change",
    Outcome.CHANGED: "submitting {tool} (set to marketing) makes the contact marketing",
}


def decide(
    kind: SourceType,
    *,
    existing: State | None,
    setting: ToolSetting | None = None,
    marketing: bool | None = None,
    tool_id: str | None = None,
) -> Creation:
    """New contacts get the tool's default; an existing one changes only through a form whose switch is on,
    which sets it marketing as the transition table says (a pending change is undone)."""
    if existing is None:
        return _new_contact(kind, setting, marketing, tool_id)
    tool = _tool_name(kind, tool_id)
    if kind == SourceType.FORM:
        if not submission_makes_existing_marketing(kind, tool_setting=setting.value if setting else None):
            return Creation(existing, existing, f"{tool} is set to non-marketing: an existing contact keeps its status")
        move = transition(existing, MarketingStatus.MARKETING)
        return Creation(move.new, existing, _RESUBMITTED[move.outcome].format(tool=tool))
    if kind == SourceType.INTEGRATION:
        why = "an app's setting affects only contacts it creates: the existing contact keeps its status"
        return Creation(existing, existing, why)
    return Creation(existing, existing, f"the contact already exists: {tool} leaves its status as it is")
