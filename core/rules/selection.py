"""Which contacts a request is about: ids, emails, a filter, a static list, the unengaged, or all. PURE."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.rules.filters import Condition


@dataclass(frozen=True)
class Selection:
    """Exactly one way of choosing contacts; all fields empty means every contact."""

    ids: tuple[int, ...] | None = None
    emails: tuple[str, ...] | None = None
    conditions: tuple[Condition, ...] | None = None
    list_name: str | None = None
    unengaged: bool = False
    extra: tuple[Condition, ...] = field(default=())  # further conditions that must also hold
    any_of: tuple[Selection, ...] | None = None  # a union, e.g. the wizard's unengaged + filters + lists

    def describe(self) -> str:
        if self.any_of is not None:
            return " or ".join(s.describe() for s in self.any_of) or "no contacts"
        if self.ids is not None:
            return f"{len(self.ids):,} contact(s) by id"
        if self.emails is not None:
            return f"{len(self.emails):,} contact(s) by email"
        if self.list_name is not None:
            return f"list {self.list_name!r}"
        if self.unengaged:
            return "unengaged contacts (hard bounced or unsubscribed from all email)"
        if self.conditions:
            return "filter: " + "; ".join(c.describe() for c in self.conditions)
        return "all contacts"
