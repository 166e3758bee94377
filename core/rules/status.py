"""A contact's marketing state and what moves it (docs/domain.md §1–§3): the one transition table. PURE.

Three things move a contact: a request to set it marketing, a request to set it non-marketing, and the
update date. ``transition`` answers for one contact; ``changes`` lists the moves a request makes, which
``core.store.states`` turns into set-based SQL (a test compares the two on both engines).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from core.errors import InvalidValue
from core.i18n import N_


class MarketingStatus(StrEnum):
    """The stored status (HubSpot: ``hs_marketable_status``), and what a status request asks for."""

    MARKETING = "marketing"
    NON_MARKETING = "non_marketing"

    @classmethod
    def parse(cls, text: str) -> MarketingStatus:
        """Accept ``marketing``, ``non-marketing`` and ``non_marketing``."""
        value = text.strip().lower().replace("-", "_")
        try:
            return cls(value)
        except ValueError:
            raise InvalidValue(N_("unknown status {text}: use marketing or non-marketing"), text=repr(text)) from None

    @property
    def option(self) -> str:
        """As the command line writes it: ``marketing`` / ``non-marketing``."""
        return self.value.replace("_", "-")


class UpdateDate(StrEnum):
    """The third thing that moves a contact: its update date has come (§3)."""

    COME = "update_date"


Request = MarketingStatus | UpdateDate


class Outcome(StrEnum):
    """What a move did to one contact; the names are the set-status and apply-updates JSON keys."""

    CHANGED = "changed"  # non-marketing -> marketing now, billed from now
    SCHEDULED = "scheduled"  # marketing -> pending until the next update date
    UNDONE = "undone"  # pending -> marketing: the scheduled change is cancelled
    LEFT = "became_non_marketing"  # pending -> non-marketing on its update date
    UNCHANGED = "unchanged"  # nothing to do ("not included" for non-marketing requests)


class State(StrEnum):
    """The three states a contact can be in, as stored in events."""

    MARKETING = "marketing"
    PENDING = "pending"
    NON_MARKETING = "non_marketing"

    @classmethod
    def of(cls, status: MarketingStatus | str, pending: bool) -> State:
        """The state of a contact's stored fields (a stray pending flag on a non-marketing contact is ignored)."""
        if MarketingStatus(status) == MarketingStatus.NON_MARKETING:
            return cls.NON_MARKETING
        return cls.PENDING if pending else cls.MARKETING

    @classmethod
    def on(cls, status: MarketingStatus | str, pending: bool, effective_on: date | None, day: date | None) -> State:
        """A stored contact's state on ``day`` (None: as stored). A pending contact is non-marketing from its
        update date on, even before that date has been applied (§2): what "Simulate as of" shows."""
        state = cls.of(status, pending)
        if state == cls.PENDING and day is not None and effective_on is not None and effective_on <= day:
            return cls.NON_MARKETING
        return state

    @property
    def is_billed(self) -> bool:
        return self != State.NON_MARKETING

    @property
    def status(self) -> MarketingStatus:
        """The stored status of this state (a pending contact is still a marketing contact)."""
        return MarketingStatus.NON_MARKETING if self == State.NON_MARKETING else MarketingStatus.MARKETING


# One name per state, HubSpot's wording (its property "Marketing contact until next update"), everywhere a state
# is shown: the Contacts table, its quick filters and counts, a contact's page, the Usage page (docs/domain.md §1).
# Marked N_: translated where shown; the command line and the audit trail keep the English.
STATE_LABELS: dict[State, str] = {
    State.MARKETING: N_("Marketing contact"),
    State.PENDING: N_("Marketing contact until next update"),
    State.NON_MARKETING: N_("Non-marketing contact"),
}
STATE_PLURALS: dict[State, str] = {
    State.MARKETING: N_("Marketing contacts"),
    State.PENDING: N_("Marketing contacts until next update"),
    State.NON_MARKETING: N_("Non-marketing contacts"),
}


@dataclass(frozen=True)
class Transition:
    old: State
    new: State
    outcome: Outcome


_M, _P, _N = State.MARKETING, State.PENDING, State.NON_MARKETING
_TABLE: dict[tuple[State, Request], tuple[State, Outcome]] = {
    (_M, MarketingStatus.NON_MARKETING): (_P, Outcome.SCHEDULED),
    (_P, MarketingStatus.NON_MARKETING): (_P, Outcome.UNCHANGED),
    (_N, MarketingStatus.NON_MARKETING): (_N, Outcome.UNCHANGED),
    (_N, MarketingStatus.MARKETING): (_M, Outcome.CHANGED),
    (_P, MarketingStatus.MARKETING): (_M, Outcome.UNDONE),
    (_M, MarketingStatus.MARKETING): (_M, Outcome.UNCHANGED),
    (_P, UpdateDate.COME): (_N, Outcome.LEFT),
    (_M, UpdateDate.COME): (_M, Outcome.UNCHANGED),
    (_N, UpdateDate.COME): (_N, Outcome.UNCHANGED),
}


def transition(state: State, request: Request) -> Transition:
    """Apply one request to one contact per §2 (non-marketing is always deferred) or its update date (§3)."""
    new, outcome = _TABLE[(state, request)]
    return Transition(state, new, outcome)


def changes(request: Request) -> tuple[Transition, ...]:
    """The moves ``request`` makes (unchanged states left out), in table order: what set-based SQL applies."""
    return tuple(t for s in State if (t := transition(s, request)).outcome != Outcome.UNCHANGED)


def adds_billing(request: Request) -> bool:
    """Whether ``request`` can make a contact billed that was not (only then can the billed tier rise)."""
    return any(m.new.is_billed and not m.old.is_billed for m in changes(request))
