"""Which contacts a request is about: ids, emails, a filter, a static list, the unengaged, or all. PURE."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.errors import DomainError
from core.i18n import ENGLISH, N_, Translator
from core.rules.filters import Condition
from core.rules.record_id import RecordId


@dataclass(frozen=True)
class Selection:
    """Exactly one way of choosing contacts. Nothing chosen matches every contact: reading may do that, but a
    change or a deletion needs ``everyone=True`` said explicitly (docs/domain.md §10: nothing by accident)."""

    ids: tuple[int, ...] | None = None
    record_ids: tuple[RecordId, ...] | None = None  # Record IDs as the export writes them (docs/domain.md §11)
    emails: tuple[str, ...] | None = None
    conditions: tuple[Condition, ...] | None = None
    list_name: str | None = None
    unengaged: bool = False
    extra: tuple[Condition, ...] = field(default=())  # further conditions that must also hold
    any_of: tuple[Selection, ...] | None = None  # a union, e.g. the wizard's unengaged + filters + lists
    everyone: bool = False  # every contact, chosen on purpose (--all; the page's own confirmation)

    @property
    def narrows(self) -> bool:
        """Whether something narrows the selection; if not, it matches every contact."""
        if self.any_of is not None:
            return all(s.narrows for s in self.any_of)
        chosen = (self.ids, self.record_ids, self.emails, self.list_name)
        return any(v is not None for v in chosen) or self.unengaged or bool(self.conditions) or bool(self.extra)

    def check_for_change(self, what: str = "change") -> None:
        """Refuse a change of every contact that was not asked for as such (an empty filter is not "all")."""
        if not self.narrows and not self.everyone:
            raise DomainError(
                N_(
                    "choose the contacts to {what}: this selection matches every contact (an empty filter is not a "
                    "choice); to act on all contacts say so explicitly (--all on the command line)"
                ),
                what=what,
            )

    def describe(self, t: Translator = ENGLISH) -> str:
        """The selection in words (the audit trail keeps the English; a page passes its language's ``t``)."""
        if self.any_of is not None:
            return t(N_(" or ")).join(s.describe(t) for s in self.any_of) or t(N_("no contacts"))
        if self.ids is not None:
            return t.ngettext("{n} contact(s) by id", "{n} contact(s) by id", len(self.ids))
        if self.record_ids is not None:  # as before Record IDs: audit summaries keep it
            return t.ngettext("{n} contact(s) by id", "{n} contact(s) by id", len(self.record_ids))
        if self.emails is not None:
            return t.ngettext("{n} contact(s) by email", "{n} contact(s) by email", len(self.emails))
        if self.list_name is not None:
            return t(N_("list {name}"), name=repr(self.list_name))
        if self.unengaged:
            return t(N_("unengaged contacts (hard bounced or unsubscribed from all email)"))
        if self.conditions:
            return t(N_("filter: {conditions}"), conditions="; ".join(c.describe(t) for c in self.conditions))
        return t(N_("all contacts"))


ALL = Selection(everyone=True)
