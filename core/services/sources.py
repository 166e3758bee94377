"""Default status by creation source (docs/domain.md §5): per-tool settings, and creating one contact by a tool."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, update

from core.errors import DomainError, TierUpgradeRequired
from core.i18n import N_
from core.rules import email_address, tiers
from core.rules.confirmation import Confirmed, Figures, hold_to
from core.rules.contact_creation import Creation, ToolSetting, decide
from core.rules.requester import Requester
from core.rules.sources import ALWAYS_NON_MARKETING, SourceType, parse_source
from core.rules.status import MarketingStatus, State
from core.rules.workflows import WHOLE_CONTACTS, Touch
from core.services.unit import Unit, changing
from core.services.workflows.feeds import require_grant_if_feeding
from core.store import contact_writes, tool_settings
from core.store import engine as db
from core.store.access import Action
from core.store.account import load_account, marketing_count, raise_tier_to_fit
from core.store.schema import contacts, source_settings
from core.store.tool_settings import SourceSetting

PER_TOOL = (SourceType.FORM, SourceType.CHATFLOW, SourceType.INTEGRATION)
NEEDS_ID = {  # per kind of tool, whole sentences: each can be translated (a tool's name changes the words around it)
    SourceType.FORM: N_("a form needs its ID (--source-id)"),
    SourceType.CHATFLOW: N_("a chatflow needs its ID (--source-id)"),
    SourceType.INTEGRATION: N_("a connected app needs its ID (--source-id)"),
}
FIXED_SOURCES = tuple(sorted(s.value for s in ALWAYS_NON_MARKETING))

__all__ = ["FIXED_SOURCES", "PER_TOOL", "CreateResult", "Headroom", "SourceSetting", "create_contact"]


@dataclass(frozen=True)
class CreateResult:
    contact_id: int
    email: str
    created: bool
    status: str  # the resulting state: marketing / pending / non_marketing
    previous_status: str | None  # None when the contact was created
    changed: bool  # created, made marketing, or a pending change undone
    reason: str
    source_type: str
    source_id: str | None
    tier_limit_before: int
    tier_limit_after: int

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _kind(source: SourceType | str) -> SourceType:
    return parse_source(source) if isinstance(source, str) else source


def _tool_id(source_id: str | None, kind: SourceType) -> str | None:
    value = (source_id or "").strip()
    if len(value) > 100:
        raise DomainError(N_("the source ID is longer than 100 characters"))
    if kind in PER_TOOL and not value:
        raise DomainError(NEEDS_ID[kind])
    return value or None


def _email_refused(said: str, email: str) -> DomainError:
    """The address rule's refusal, capitalised, as an error the dashboard can translate (same English)."""
    for known in (
        DomainError(N_("Missing email")),
        DomainError(N_("Invalid email {email}"), email=repr(email.strip()).lower()),
    ):
        if str(known) == said:
            return known
    return DomainError(said)


def list_source_settings(engine: Engine) -> list[SourceSetting]:
    """Every form, chatflow and connected app seen or configured, with what its new contacts get."""
    with db.read(engine) as conn:
        return tool_settings.all_settings(conn)


def set_source_default(
    engine: Engine,
    *,
    source: SourceType | str,
    source_id: str,
    marketing: bool | None,
    today: date,
    actor: str,
    name: str | None = None,
) -> SourceSetting:
    """Switch what new contacts from one form, chatflow or app get; None adds the tool with its default.

    Switching never changes existing contacts: an app's setting affects only contacts created after it.
    """
    kind = _kind(source)
    if kind not in PER_TOOL:
        raise DomainError(
            N_("{source} has no per-tool setting; only forms, chatflows and connected apps do"), source=kind.value
        )
    tool_id = str(_tool_id(source_id, kind))
    by = Requester(actor, kind.value, tool_id)
    with changing(engine, by=by, today=today, needs=Action.MANAGE_SETTINGS, catch_up_first=False) as unit:
        conn, now = unit.conn, unit.now
        before = tool_settings.register(conn, kind, tool_id, name=name, now=now, actor=actor)
        values: dict[str, Any] = {"updated_at": now, "updated_by": actor}
        if name and name.strip():
            values["name"] = name.strip()[:200]
        if marketing is not None:
            values["marketing"] = marketing
            values["switched_on_at"] = (before.switched_on_at if before.marketing else now) if marketing else None
        conn.execute(
            update(source_settings)
            .where(source_settings.c.source_type == kind.value, source_settings.c.source_id == tool_id)
            .values(**values)
        )
        op = unit.start("source_setting")
        after = tool_settings.register(conn, kind, tool_id, name=None, now=now, actor=actor)
        unit.finish(op, {"before": before.marketing, "after": after.marketing, "name": after.name})
        return after


@dataclass(frozen=True)
class Headroom:
    """How far the marketing count is from a tier upgrade (shown before switching a default on)."""

    marketing: int
    tier_limit: int
    left_before_upgrade: int
    next_tier: int
    monthly_price: int
    next_monthly_price: int
    currency: str


def headroom(engine: Engine) -> Headroom:
    """Marketing contacts, the billed tier, how many more fit, and the next tier with its monthly price."""
    with db.read(engine) as conn:
        acct = load_account(conn)
        count = marketing_count(conn)
    tier = acct.billed_tier
    following = acct.pricing.fitting_tier(max(count, tier) + 1)
    price = acct.pricing.monthly_price
    return Headroom(count, tier, max(0, tier - count), following, price(tier), price(following), acct.currency)


def create_contact(
    engine: Engine,
    *,
    source: SourceType | str,
    source_id: str | None,
    email: str,
    today: date,
    actor: str,
    first_name: str | None = None,
    last_name: str | None = None,
    lifecycle_stage: str | None = None,
    marketing: bool | None = None,
    must_be_new: bool = False,
    allow_tier_upgrade: bool = False,
    confirmed: Confirmed | None = None,
) -> CreateResult:
    """Create (or re-submit) a contact from a tool per docs/domain.md §5; the result says its status and why.

    A person always acts (docs/domain.md §6): in Marketable no tool submits on its own, so ``source`` is what the
    contact came through and ``actor`` who entered it. Whatever the source, an outcome that makes the contact
    marketing or undoes its pending change needs the actor's Marketing contact access, and so does a contact
    that an enabled status workflow would enroll because of it. Forms, chatflows and apps raise the tier when
    they must; a person creating a marketing contact by hand must consent to an upgrade (``allow_tier_upgrade``,
    or the tier in ``confirmed``). ``confirmed`` binds (docs/domain.md §10): its ``changes`` is 1 when the
    contact is created or its status changes, else 0; if the request would now differ, nothing is written
    (``ConfirmationOutdated``).
    """
    kind = _kind(source)
    if marketing is not None and kind not in (SourceType.MANUAL, SourceType.IMPORT):
        raise DomainError(N_("--marketing applies to manual creation (or an import's 'set all as marketing') only"))
    try:
        email = email_address.parse(email)
    except email_address.EmailError as exc:
        raise _email_refused(str(exc).capitalize(), email) from None
    fields = contact_writes.name_fields(first_name, last_name, lifecycle_stage)
    by = Requester(actor, kind.value, _tool_id(source_id, kind))
    with changing(engine, by=by, today=today, needs=Action.EDIT_CONTACTS) as unit:
        row = contact_writes.by_email(unit.conn, email)
        if row is not None and must_be_new:
            raise DomainError(
                N_("A contact with the email {email} already exists (ID {id})"), email=email, id=str(row["id"])
            )
        outcome = decide(
            kind,
            existing=contact_writes.state_of(row),
            setting=_tool_setting(unit, kind),
            marketing=marketing,
            tool_id=by.source_id,
        )
        tier_after = _tier_check(
            unit, kind, outcome, email=email, allow_tier_upgrade=allow_tier_upgrade, confirmed=confirmed
        )
        op = unit.start("create_contact")
        contact_id = _store(unit, row, outcome, fields, email=email, operation_id=op)
        touch = WHOLE_CONTACTS if row is None else Touch(frozenset(k for k, v in fields.items() if row[k] != v))
        require_grant_if_feeding(unit, touch, contacts.c.id == contact_id)
        result = CreateResult(
            contact_id,
            email,
            row is None,
            outcome.state.value,
            outcome.previous.value if outcome.previous else None,
            outcome.changed,
            outcome.reason,
            kind.value,
            by.source_id,
            unit.account.billed_tier,
            tier_after,
        )
        raise_tier_to_fit(
            unit.conn, unit.account, marketing=marketing_count(unit.conn), today=today, now=unit.now, actor=actor
        )
        unit.finish(op, result.as_json())
        return result


def _tool_setting(unit: Unit, kind: SourceType) -> ToolSetting | None:
    """A form's, chatflow's or app's switch (the tool is registered on first sight)."""
    if kind not in PER_TOOL or unit.by.source_id is None:
        return None
    return tool_settings.register(
        unit.conn, kind, unit.by.source_id, name=None, now=unit.now, actor=unit.by.actor
    ).as_rule()


def _tier_check(
    unit: Unit,
    kind: SourceType,
    outcome: Creation,
    *,
    email: str,
    allow_tier_upgrade: bool,
    confirmed: Confirmed | None,
) -> int:
    """The tier after the contact is created; it must be what was confirmed. Making the contact marketing, or
    undoing its pending change, needs the grant whatever the source; a person creating by hand must also
    consent to a rise."""
    adds = outcome.state.is_billed and (outcome.previous is None or not outcome.previous.is_billed)
    if outcome.state == State.MARKETING and outcome.previous != State.MARKETING:
        unit.require(Action.CHANGE_STATUS)
    acct = unit.account
    count = marketing_count(unit.conn) + (1 if adds else 0)
    tier_after = tiers.tier_after_change(acct.pricing, acct.billed_tier, count)
    price = acct.pricing.monthly_price
    figures = {
        "email": email,
        "will_change": int(outcome.changed),
        "tier_limit_before": acct.billed_tier,
        "tier_limit_after": tier_after,
        "monthly_price_before": price(acct.billed_tier),
        "monthly_price_after": price(tier_after),
    }
    now = Figures(int(outcome.changed), tier_after, price(tier_after), acct.billed_tier)
    hold_to(confirmed, now, payload=figures, currency=acct.currency)
    consented = allow_tier_upgrade or (confirmed is not None and confirmed.consents_to(tier_after))
    if tier_after > acct.billed_tier and kind == SourceType.MANUAL and not consented:
        raise TierUpgradeRequired(figures)
    return tier_after


def _store(unit: Unit, row: Any, outcome: Creation, fields: dict[str, Any], *, email: str, operation_id: int) -> int:
    """Insert the new contact with its creation event, or update the existing one's fields and, when the tool
    makes it marketing, its status through the transition table."""
    conn = unit.conn
    if row is None:
        contact_id = contact_writes.insert_new(
            conn, email=email, fields=fields, state=outcome.state, by=unit.by, at=unit.now
        )
        contact_writes.record_created(
            conn, contact_id, outcome.state, operation_id=operation_id, at=unit.now, day=unit.today, by=unit.by
        )
        return contact_id
    contact_id = int(row["id"])
    if fields:
        conn.execute(update(contacts).where(contacts.c.id == contact_id).values(**fields))
    if outcome.changed:
        unit.move(contacts.c.id == contact_id, MarketingStatus.MARKETING, operation_id=operation_id)
    return contact_id
