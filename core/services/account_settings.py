"""Account settings (edition, commitment, subscription start, billed tier, increments and prices), validated."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date

from sqlalchemy import Connection, Engine, update

from core.errors import DomainError
from core.i18n import N_, Translator
from core.rules.calendar import Commitment
from core.rules.requester import Requester
from core.rules.tiers import INCLUDED_CONTACTS, Edition, Pricing
from core.services.unit import changing
from core.store import engine as db
from core.store.access import Action
from core.store.account import load_account, marketing_count, set_billed_tier
from core.store.schema import account

MAX_INCREMENT = 1_000_000
MAX_PRICE = 10_000_000
MAX_TIER = 1_000_000_000


class InvalidSettings(DomainError):
    """Settings that cannot be saved; ``problems`` lists every reason, one sentence each (``reasons``: the same as
    errors a page shows in its reader's language)."""

    def __init__(self, reasons: list[DomainError]) -> None:
        self.reasons = reasons
        self.problems = [str(reason) for reason in reasons]
        super().__init__(" ".join(self.problems))

    def text(self, t: Translator) -> str:
        return " ".join(reason.text(t) for reason in self.reasons)


_CHOICE = {
    "edition": N_("The edition must be {choices} or {last}, not {value}."),
    "commitment": N_("The commitment must be {choices} or {last}, not {value}."),
}
_WHOLE = {
    "billed tier": N_("The billed tier must be a whole number from {low} to {high}, not {value}."),
    "increment size": N_("The increment size must be a whole number from {low} to {high}, not {value}."),
    "base price": N_("The base price must be a whole number from {low} to {high}, not {value}."),
    "increment price": N_("The increment price must be a whole number from {low} to {high}, not {value}."),
}


@dataclass(frozen=True)
class SettingsInput:
    """What the Settings page lets one change (included contacts follow the edition)."""

    edition: str
    commitment: str
    start_date: date
    billed_tier: int
    increment_size: int
    base_price: int
    increment_price: int


@dataclass(frozen=True)
class AccountSettings(SettingsInput):
    included: int
    currency: str
    marketing: int  # billed contacts now: the billed tier must hold them
    changed: list[str] = field(default_factory=list)  # after an update: the fields that changed

    def as_input(self) -> SettingsInput:
        return SettingsInput(**{k: getattr(self, k) for k in SettingsInput.__dataclass_fields__})


def _settings_in(conn: Connection) -> AccountSettings:
    acct = load_account(conn)
    p = acct.pricing
    return AccountSettings(
        edition=acct.edition.value,
        commitment=acct.commitment.value,
        start_date=acct.start_date,
        billed_tier=acct.billed_tier,
        increment_size=p.increment,
        base_price=p.base_price,
        increment_price=p.increment_price,
        included=p.included,
        currency=acct.currency,
        marketing=marketing_count(conn),
    )


def current_settings(engine: Engine) -> AccountSettings:
    """The account's settings and its marketing count now."""
    with db.read(engine) as conn:
        return _settings_in(conn)


def defaults_for(edition: str) -> Pricing:
    """The edition's included contacts and the commonly cited increment and prices (editable)."""
    return Pricing.default(Edition(edition))


def _choice(value: str, kind: type[Edition] | type[Commitment], what: str, problems: list[DomainError]) -> bool:
    allowed = [v.value for v in kind]
    if value in allowed:
        return True
    problems.append(DomainError(_CHOICE[what], choices=", ".join(allowed[:-1]), last=allowed[-1], value=repr(value)))
    return False


def _whole(value: object, what: str, low: int, high: int, problems: list[DomainError]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.append(DomainError(_WHOLE[what], low=low, high=high, value=repr(value)))
        return low
    return value


def _tier_problem(pricing: Pricing, tier: int, marketing: int) -> DomainError | None:
    included, size = pricing.included, pricing.increment
    if not pricing.is_tier(tier):
        return DomainError(
            N_(
                "The billed tier must be the {included} included contacts plus whole increments of {size} "
                "(e.g. {first}, {second}, {third}), not {tier}."
            ),
            included=included,
            size=size,
            first=included,
            second=included + size,
            third=included + 2 * size,
            tier=tier,
        )
    if tier < pricing.fitting_tier(marketing):
        return DomainError(
            N_("The billed tier must hold the {marketing} marketing contacts: {fitting} or more, not {tier}."),
            marketing=marketing,
            fitting=pricing.fitting_tier(marketing),
            tier=tier,
        )
    return None


def validate(wanted: SettingsInput, *, marketing: int, today: date) -> Pricing:
    """Check every field; raise InvalidSettings naming every problem at once."""
    problems: list[DomainError] = []
    edition_ok = _choice(wanted.edition, Edition, "edition", problems)
    _choice(wanted.commitment, Commitment, "commitment", problems)
    if not isinstance(wanted.start_date, date) or wanted.start_date > today:
        problems.append(
            DomainError(
                N_("The subscription start date ({day}) must be a date no later than today."),
                day=str(wanted.start_date),
            )
        )
    tier = _whole(wanted.billed_tier, "billed tier", 1, MAX_TIER, problems)
    size = _whole(wanted.increment_size, "increment size", 1, MAX_INCREMENT, problems)
    base = _whole(wanted.base_price, "base price", 0, MAX_PRICE, problems)
    extra = _whole(wanted.increment_price, "increment price", 0, MAX_PRICE, problems)
    pricing = Pricing(INCLUDED_CONTACTS[Edition(wanted.edition)] if edition_ok else 0, size, base, extra)
    problem = _tier_problem(pricing, tier, marketing) if edition_ok and not problems else None
    if problem:
        problems.append(problem)
    if problems:
        raise InvalidSettings(problems)
    return pricing


def update_settings(engine: Engine, wanted: SettingsInput, *, today: date, actor: str) -> AccountSettings:
    """Save validated settings; a different billed tier is recorded as a tier change ("settings")."""
    # due update dates first (the unit catches up), under the settings they were due with
    with changing(engine, by=Requester(actor, "settings"), today=today, needs=Action.MANAGE_SETTINGS) as unit:
        conn, now = unit.conn, unit.now
        before = asdict(_settings_in(conn).as_input())
        marketing = marketing_count(conn)
        pricing = validate(wanted, marketing=marketing, today=today)
        set_billed_tier(
            conn,
            old=before["billed_tier"],
            new=wanted.billed_tier,
            reason="settings",
            effective_on=today,
            now=now,
            marketing=marketing,
            actor=actor,
        )
        after = asdict(wanted)
        changed = [name for name in after if before[name] != after[name]]
        values = {name: after[name] for name in changed if name != "billed_tier"}
        conn.execute(
            update(account)
            .where(account.c.id == 1)
            .values(included_contacts=pricing.included, updated_at=now, **values)
        )
        if changed:  # the audit trail: who changed which setting from what to what
            op = unit.start("settings")
            unit.finish(op, {name: [before[name], after[name]] for name in changed})
        return replace(_settings_in(conn), changed=changed)
