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


def _starts(marketing: bool | None) -> State:
    return State.MARKETING if marketing else State.NON_MARKETING


def _new_contact(
    kind: SourceType, setting: ToolSetting | None, marketing: bool | None, tool_id: str | None
) -> Creation:
    if kind in ALWAYS_NON_MARKETING:
        return Creation(State.NON_MARKETING, None, f"{kind.value} always creates non-marketing contacts")
    if kind == SourceType.MANUAL:
        chosen = "marketing" if marketing else "non-marketing"
        return Creation(_starts(marketing), None, f"created by hand as {chosen}")
    if kind == SourceType.IMPORT:
        decision = default_for_new_contact(kind, tool_setting=marketing)
        why = "the import sets all contacts as marketing" if marketing else "imports create non-marketing contacts"
        return Creation(_starts(decision.marketing), None, why)
    value = setting.value if setting else None
    decision = default_for_new_contact(kind, tool_setting=value)
    state = "marketing" if decision.marketing else "non-marketing"
    if value is None:
        how = "by default"
    elif value and setting and setting.switched_on_at:
        how = f"since its setting was switched on ({setting.switched_on_at:%Y-%m-%d %H:%M})"
    else:
        how = f"since its setting was switched {'on' if value else 'off'}"
    return Creation(
        _starts(decision.marketing), None, f"new contacts from {_tool_name(kind, tool_id)} are {state} {how}"
    )


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
