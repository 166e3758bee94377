"""Account settings (edition, commitment, subscription start, billed tier, increments and prices), validated."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date

from sqlalchemy import Connection, Engine, update

from core.errors import DomainError
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
    """Settings that cannot be saved; ``problems`` lists every reason, one sentence each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


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


def _choice(value: str, kind: type[Edition] | type[Commitment], what: str, problems: list[str]) -> bool:
    allowed = [v.value for v in kind]
    if value in allowed:
        return True
    problems.append(f"The {what} must be {', '.join(allowed[:-1])} or {allowed[-1]}, not {value!r}.")
    return False


def _whole(value: object, what: str, low: int, high: int, problems: list[str]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.append(f"The {what} must be a whole number from {low:,} to {high:,}, not {value!r}.")
        return low
    return value


def _tier_problem(pricing: Pricing, tier: int, marketing: int) -> str | None:
    included, size = pricing.included, pricing.increment
    if not pricing.is_tier(tier):
        return (
            f"The billed tier must be the {included:,} included contacts plus whole increments of {size:,} "
            f"(e.g. {included:,}, {included + size:,}, {included + 2 * size:,}), not {tier:,}."
        )
    if tier < pricing.fitting_tier(marketing):
        return (
            f"The billed tier must hold the {marketing:,} marketing contacts: "
            f"{pricing.fitting_tier(marketing):,} or more, not {tier:,}."
        )
    return None


def validate(wanted: SettingsInput, *, marketing: int, today: date) -> Pricing:
    """Check every field; raise InvalidSettings naming every problem at once."""
    problems: list[str] = []
    edition_ok = _choice(wanted.edition, Edition, "edition", problems)
    _choice(wanted.commitment, Commitment, "commitment", problems)
    if not isinstance(wanted.start_date, date) or wanted.start_date > today:
        problems.append(f"The subscription start date ({wanted.start_date}) must be a date no later than today.")
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
