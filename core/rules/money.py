"""The money effect of a decision: the monthly price now, from the next update date and from renewal (docs/domain.md
§4, §10 "Money"). Pure values and words; the figures are computed by ``core.services.money``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from core.i18n import ENGLISH, N_, Translator

# Shown beside the money sentence (pages/shared/money.py): why the price at renewal can differ from the next update's.
LOWER_TIER_NOTE = N_("The tier is never lowered before renewal (docs/domain.md §4).")


@dataclass(frozen=True)
class PriceOn:
    """The marketing count, the billed tier and its monthly price on one day, without and with the change."""

    on: date
    marketing_before: int
    marketing_after: int
    tier_before: int
    tier_after: int
    price_before: int
    price_after: int

    @property
    def price_change(self) -> int:
        return self.price_after - self.price_before

    def as_json(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "marketing_before": self.marketing_before,
            "marketing_after": self.marketing_after,
            "tier_limit_before": self.tier_before,
            "tier_limit_after": self.tier_after,
            "monthly_price_before": self.price_before,
            "monthly_price_after": self.price_after,
            "monthly_price_change": self.price_change,
        }


@dataclass(frozen=True)
class MoneyEffect:
    """What a change does to the bill: today, from the next update date (when scheduled contacts leave) and from
    renewal, the first day a lower tier can apply (the tier is never lowered before renewal)."""

    currency: str
    now: PriceOn
    next_update: PriceOn
    renewal: PriceOn

    @property
    def lower_tier_from(self) -> date:
        """The first day a lower tier could apply: the renewal date (docs/domain.md §4)."""
        return self.renewal.on

    def as_json(self) -> dict[str, Any]:
        return {
            "currency": self.currency,
            "now": self.now.as_json(),
            "next_update": self.next_update.as_json(),
            "renewal": self.renewal.as_json(),
            "lower_tier_from": self.lower_tier_from.isoformat(),
        }


def amount(value: int, currency: str, t: Translator = ENGLISH) -> str:
    """``1,140 USD`` (``890,00 USD`` in Polish)."""
    return t.money(value, currency)


def _change(point: PriceOn, currency: str, t: Translator) -> str:
    price = amount(point.price_after, currency, t)
    if point.price_change == 0:
        return t(N_("{price} a month (unchanged)"), price=price)
    sign = "+" if point.price_change > 0 else "−"
    change = f"{sign}{amount(abs(point.price_change), currency, t)}"
    return t(N_("{price} a month ({change}; tier {tier})"), price=price, change=change, tier=point.tier_after)


def describe(effect: MoneyEffect, t: Translator = ENGLISH) -> str:
    """One sentence a confirmation shows next to its counts: the price now, from the next update date and from
    renewal, and the date from which a lower tier could apply (in ``t``'s language; English by default)."""
    c = effect.currency
    sentence = t(
        N_("Money: now {now}; from the update date {update_day} {update}; from renewal {renewal_day} {renewal}."),
        now=_change(effect.now, c, t),
        update_day=effect.next_update.on,
        update=_change(effect.next_update, c, t),
        renewal_day=effect.renewal.on,
        renewal=_change(effect.renewal, c, t),
    )
    if effect.renewal.tier_after < effect.now.tier_after:
        after = t(N_("A lower tier applies from {day}, not before."), day=effect.lower_tier_from)
    else:
        after = t(N_("A lower tier could apply from {day} at the earliest."), day=effect.lower_tier_from)
    return f"{sentence} {after}"
