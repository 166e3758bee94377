"""Status transitions of DOMAIN.md §1–§2."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class MarketingStatus(StrEnum):
    MARKETING = "marketing"
    NON_MARKETING = "non_marketing"


class Target(StrEnum):
    """What a status request asks for."""

    MARKETING = "marketing"
    NON_MARKETING = "non_marketing"

    @classmethod
    def parse(cls, text: str) -> Target:
        """Accept ``marketing``, ``non-marketing`` and ``non_marketing``."""
        value = text.strip().lower().replace("-", "_")
        try:
            return cls(value)
        except ValueError:
            raise ValueError(f"unknown status {text!r}: use marketing or non-marketing") from None


class Outcome(StrEnum):
    """What a request did to one contact; the names are the set-status JSON keys."""

    CHANGED = "changed"  # non-marketing -> marketing now, billed from now
    SCHEDULED = "scheduled"  # marketing -> pending until the next update date
    UNDONE = "undone"  # pending -> marketing: the scheduled change is cancelled
    UNCHANGED = "unchanged"  # nothing to do ("not included" for non-marketing requests)


class State(StrEnum):
    """The three states a contact can be in, as stored in events."""

    MARKETING = "marketing"
    PENDING = "pending"
    NON_MARKETING = "non_marketing"

    @classmethod
    def of(cls, status: MarketingStatus | str, pending: bool) -> State:
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


@dataclass(frozen=True)
class Transition:
    old: State
    new: State
    outcome: Outcome


_TABLE: dict[tuple[State, Target], tuple[State, Outcome]] = {
    (State.MARKETING, Target.NON_MARKETING): (State.PENDING, Outcome.SCHEDULED),
    (State.PENDING, Target.NON_MARKETING): (State.PENDING, Outcome.UNCHANGED),
    (State.NON_MARKETING, Target.NON_MARKETING): (State.NON_MARKETING, Outcome.UNCHANGED),
    (State.NON_MARKETING, Target.MARKETING): (State.MARKETING, Outcome.CHANGED),
    (State.PENDING, Target.MARKETING): (State.MARKETING, Outcome.UNDONE),
    (State.MARKETING, Target.MARKETING): (State.MARKETING, Outcome.UNCHANGED),
}


def transition(state: State, target: Target) -> Transition:
    """Apply one request to one contact per DOMAIN.md §2 (non-marketing is always deferred)."""
    new, outcome = _TABLE[(state, target)]
    return Transition(state, new, outcome)


def states_changed_by(target: Target) -> dict[State, Outcome]:
    """For set-based SQL: which current states a request changes, and how."""
    return {s: t.outcome for s in State if (t := transition(s, target)).outcome != Outcome.UNCHANGED}


def apply_update(state: State) -> State:
    """On an update date a due pending contact becomes non-marketing; nothing else changes."""
    return State.NON_MARKETING if state == State.PENDING else state
