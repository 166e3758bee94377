"""Binding confirmations (docs/domain.md §10): what a person confirmed about one change, and how it differs from
what the change would do now.

A confirmation (a typed count, a tier consent) is a promise about one change: the contacts that change and the
billed tier and monthly price after it. When the change is applied, the service computes its figures again inside
its transaction; if any confirmed figure differs, in either direction, nothing is written and the person sees the
new figures. A confirmed tier is also the consent to raise the billed tier to exactly that tier, no further.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.errors import ConfirmationOutdated, DomainError


@dataclass(frozen=True)
class Figures:
    """What one change would do now: how many contacts it changes, and the billed tier and monthly price after it
    (``tier_limit_before`` only words the difference: "rise to" or "stay at")."""

    changes: int
    tier_limit: int
    monthly_price: int
    tier_limit_before: int


@dataclass(frozen=True)
class Confirmed:
    """The figures a person confirmed for one change; None leaves a figure out of the promise."""

    changes: int | None = None
    tier_limit: int | None = None
    monthly_price: int | None = None

    def __post_init__(self) -> None:
        for name in ("changes", "tier_limit", "monthly_price"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise DomainError(f"a confirmed {name.replace('_', ' ')} must be a whole number, 0 or more")

    @classmethod
    def of(cls, figures: Figures) -> Confirmed:
        """Confirm every figure a preview showed."""
        return cls(figures.changes, figures.tier_limit, figures.monthly_price)

    def consents_to(self, tier_limit: int) -> bool:
        """A confirmed tier is the consent to exactly that tier."""
        return self.tier_limit is not None and self.tier_limit == tier_limit

    def as_json(self) -> dict[str, int | None]:
        return {"changes": self.changes, "tier_limit": self.tier_limit, "monthly_price": self.monthly_price}


def _contacts(n: int) -> str:
    return f"{n:,} contact" if n == 1 else f"{n:,} contacts"


def differences(confirmed: Confirmed, now: Figures, *, currency: str = "", verb: str = "change") -> list[str]:
    """Each confirmed figure the change would no longer match, in words for the person who confirmed it
    (``verb``: what the counted contacts do, "change" or, for a workflow, "enroll")."""
    found: list[str] = []
    if confirmed.changes is not None and confirmed.changes != now.changes:
        were = "was" if confirmed.changes == 1 else "were"
        found.append(f"{_contacts(confirmed.changes)} {were} confirmed, {now.changes:,} would now {verb}")
    if confirmed.tier_limit is not None and confirmed.tier_limit != now.tier_limit:
        moves = "rise to" if now.tier_limit > now.tier_limit_before else "stay at"
        found.append(f"the billed tier would {moves} {now.tier_limit:,}, {confirmed.tier_limit:,} was agreed to")
    if confirmed.monthly_price is not None and confirmed.monthly_price != now.monthly_price:
        unit = f" {currency}" if currency else ""
        found.append(
            f"the monthly price would be {now.monthly_price:,}{unit}, {confirmed.monthly_price:,}{unit} was agreed to"
        )
    return found


def hold_to(
    confirmed: Confirmed | None, now: Figures, *, payload: dict[str, Any], currency: str = "", verb: str = "change"
) -> None:
    """Refuse the change (``ConfirmationOutdated``, with the new figures) when it differs from what was confirmed."""
    if confirmed is None:
        return
    found = differences(confirmed, now, currency=currency, verb=verb)
    if found:
        raise ConfirmationOutdated(found, payload | {"differences": found, "confirmed": confirmed.as_json()})
