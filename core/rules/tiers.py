"""Tiers, prices and alerts of docs/domain.md §4."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.errors import Sentence
from core.i18n import N_


class Edition(StrEnum):
    STARTER = "starter"
    PROFESSIONAL = "professional"
    ENTERPRISE = "enterprise"


INCLUDED_CONTACTS: dict[Edition, int] = {
    Edition.STARTER: 1_000,
    Edition.PROFESSIONAL: 2_000,
    Edition.ENTERPRISE: 10_000,
}

# Commonly cited, not confirmed by HubSpot: account settings start from these and stay editable.
DEFAULT_INCREMENT: dict[Edition, int] = {
    Edition.STARTER: 1_000,
    Edition.PROFESSIONAL: 5_000,
    Edition.ENTERPRISE: 10_000,
}
DEFAULT_BASE_PRICE: dict[Edition, int] = {
    Edition.STARTER: 20,
    Edition.PROFESSIONAL: 890,
    Edition.ENTERPRISE: 3_600,
}
DEFAULT_INCREMENT_PRICE: dict[Edition, int] = {
    Edition.STARTER: 50,
    Edition.PROFESSIONAL: 250,
    Edition.ENTERPRISE: 100,
}

ALERT_THRESHOLDS: tuple[int, ...] = (75, 90, 98)


@dataclass(frozen=True)
class Pricing:
    """An account's contact tier settings: included contacts, increment size and monthly prices."""

    included: int
    increment: int
    base_price: int
    increment_price: int

    @classmethod
    def default(cls, edition: Edition) -> Pricing:
        return cls(
            included=INCLUDED_CONTACTS[edition],
            increment=DEFAULT_INCREMENT[edition],
            base_price=DEFAULT_BASE_PRICE[edition],
            increment_price=DEFAULT_INCREMENT_PRICE[edition],
        )

    def fitting_tier(self, marketing: int) -> int:
        """The smallest tier (included + k increments) that holds ``marketing`` contacts."""
        if marketing <= self.included:
            return self.included
        extra = marketing - self.included
        return self.included + -(-extra // self.increment) * self.increment

    def is_tier(self, limit: int) -> bool:
        """Whether ``limit`` is a tier one can be billed for under these settings."""
        return limit >= self.included and (limit - self.included) % self.increment == 0

    def monthly_price(self, tier: int) -> int:
        """Base price plus one increment price per increment above the included contacts."""
        increments = max(0, -(-(tier - self.included) // self.increment))
        return self.base_price + increments * self.increment_price


def tier_after_change(pricing: Pricing, billed: int, marketing: int) -> int:
    """Going over the billed tier upgrades it at once to the smallest that fits; it never drops here."""
    return max(billed, pricing.fitting_tier(marketing))


def tier_at_renewal(pricing: Pricing, marketing: int) -> int:
    """At renewal the tier is lowered (or kept) to the smallest that fits that day's count (our rule)."""
    return pricing.fitting_tier(marketing)


@dataclass(frozen=True)
class Alert:
    threshold: int
    level: str  # "warning" or "error"
    message: str  # English (the JSON); a ``core.errors.Sentence``: ``translated(message, t)`` in another language

    def as_dict(self) -> dict[str, object]:
        return {"threshold": self.threshold, "level": self.level, "message": self.message}


def percent_of_tier(marketing: int, tier: int) -> float:
    """Marketing contacts as a percentage of the billed tier, rounded to 0.1."""
    return round(100.0 * marketing / tier, 1) if tier else 0.0


def alerts(marketing: int, tier: int) -> list[Alert]:
    """Alerts at 75 %, 90 % and 98 % of the tier, and an error once the tier is exceeded."""
    found = [
        Alert(
            t,
            "warning",
            Sentence(
                N_("Marketing contacts are at {percent} % of the tier or more ({marketing} of {tier})."),
                percent=t,
                marketing=marketing,
                tier=tier,
            ),
        )
        for t in ALERT_THRESHOLDS
        if tier and marketing * 100 >= t * tier
    ]
    if marketing > tier:
        exceeded = N_("Marketing contacts exceed the tier ({marketing} of {tier}).")
        found.append(Alert(100, "error", Sentence(exceeded, marketing=marketing, tier=tier)))
    return found
