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
from core.i18n import ENGLISH, N_, Translator


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
                raise DomainError(_NOT_A_COUNT[name])

    @classmethod
    def of(cls, figures: Figures) -> Confirmed:
        """Confirm every figure a preview showed."""
        return cls(figures.changes, figures.tier_limit, figures.monthly_price)

    def consents_to(self, tier_limit: int) -> bool:
        """A confirmed tier is the consent to exactly that tier."""
        return self.tier_limit is not None and self.tier_limit == tier_limit

    def as_json(self) -> dict[str, int | None]:
        return {"changes": self.changes, "tier_limit": self.tier_limit, "monthly_price": self.monthly_price}


_NOT_A_COUNT = {
    "changes": N_("a confirmed changes must be a whole number, 0 or more"),
    "tier_limit": N_("a confirmed tier limit must be a whole number, 0 or more"),
    "monthly_price": N_("a confirmed monthly price must be a whole number, 0 or more"),
}


def _changes(confirmed: int, now: int, verb: str, t: Translator) -> str:
    """ "N contacts were confirmed, M would now <verb>": one whole sentence per verb, so that each language words
    it its own way."""
    if verb == "change":
        return t.ngettext(
            "{n} contact was confirmed, {now} would now change",
            "{n} contacts were confirmed, {now} would now change",
            confirmed,
            now=now,
        )
    if verb == "be deleted":
        return t.ngettext(
            "{n} contact was confirmed, {now} would now be deleted",
            "{n} contacts were confirmed, {now} would now be deleted",
            confirmed,
            now=now,
        )
    if verb == "enroll":
        return t.ngettext(
            "{n} contact was confirmed, {now} would now enroll",
            "{n} contacts were confirmed, {now} would now enroll",
            confirmed,
            now=now,
        )
    were = "contact was" if confirmed == 1 else "contacts were"  # a verb no sentence is written for: English
    return f"{confirmed:,} {were} confirmed, {now:,} would now {verb}"


def differences(
    confirmed: Confirmed, now: Figures, *, currency: str = "", verb: str = "change", t: Translator = ENGLISH
) -> list[str]:
    """Each confirmed figure the change would no longer match, in words for the person who confirmed it
    (``verb``: what the counted contacts do, "change" or, for a workflow, "enroll"), in ``t``'s language (the
    command line's JSON: English)."""
    found: list[str] = []
    if confirmed.changes is not None and confirmed.changes != now.changes:
        found.append(_changes(confirmed.changes, now.changes, verb, t))
    if confirmed.tier_limit is not None and confirmed.tier_limit != now.tier_limit:
        rises = now.tier_limit > now.tier_limit_before
        moves = (
            N_("the billed tier would rise to {tier}, {agreed} was agreed to")
            if rises
            else N_("the billed tier would stay at {tier}, {agreed} was agreed to")
        )
        found.append(t(moves, tier=now.tier_limit, agreed=confirmed.tier_limit))
    if confirmed.monthly_price is not None and confirmed.monthly_price != now.monthly_price:
        price, agreed = (
            (t.money(now.monthly_price, currency), t.money(confirmed.monthly_price, currency))
            if currency
            else (t.number(now.monthly_price), t.number(confirmed.monthly_price))
        )
        found.append(t(N_("the monthly price would be {price}, {agreed} was agreed to"), price=price, agreed=agreed))
    return found


class FiguresOutdated(ConfirmationOutdated):
    """``ConfirmationOutdated`` that keeps what was confirmed and the figures now, so that a page can say what
    differs in its own language (``differences_in``); ``differences`` and the payload stay English."""

    def __init__(
        self, confirmed: Confirmed, now: Figures, payload: dict[str, Any], *, currency: str = "", verb: str = "change"
    ) -> None:
        found = differences(confirmed, now, currency=currency, verb=verb)
        super().__init__(found, payload | {"differences": found, "confirmed": confirmed.as_json()})
        self.confirmed, self.now, self.currency, self.verb = confirmed, now, currency, verb

    def differences_in(self, t: Translator) -> list[str]:
        return differences(self.confirmed, self.now, currency=self.currency, verb=self.verb, t=t)

    def text(self, t: Translator) -> str:
        return t(self.message, differences="; ".join(self.differences_in(t)))


def differences_in(refused: ConfirmationOutdated, t: Translator) -> list[str]:
    """What differs from what was confirmed, in ``t``'s language (as the error says it when it cannot)."""
    return refused.differences_in(t) if isinstance(refused, FiguresOutdated) else list(refused.differences)


def hold_to(
    confirmed: Confirmed | None, now: Figures, *, payload: dict[str, Any], currency: str = "", verb: str = "change"
) -> None:
    """Refuse the change (``ConfirmationOutdated``, with the new figures) when it differs from what was confirmed."""
    if confirmed is None:
        return
    if differences(confirmed, now, currency=currency, verb=verb):
        raise FiguresOutdated(confirmed, now, payload, currency=currency, verb=verb)
