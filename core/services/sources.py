"""Default status by creation source (DOMAIN.md §5): per-tool settings, and creating one contact by a tool."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, update

from core.clock import moment
from core.errors import DomainError, TierUpgradeRequired
from core.rules import csvformat as fmt
from core.rules import tiers
from core.rules.contact_creation import decide
from core.rules.sources import ALWAYS_NON_MARKETING, SourceType, parse_source
from core.services.updates import catch_up
from core.store import contact_writes, tool_settings
from core.store import engine as db
from core.store.access import Action, authorize
from core.store.account import load_account, marketing_count, raise_tier_to_fit
from core.store.events import finish_operation, start_operation
from core.store.schema import source_settings
from core.store.tool_settings import SourceSetting

PER_TOOL = (SourceType.FORM, SourceType.CHATFLOW, SourceType.INTEGRATION)
TOOL_NAMES = {SourceType.FORM: "form", SourceType.CHATFLOW: "chatflow", SourceType.INTEGRATION: "connected app"}
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
        raise DomainError("the source ID is longer than 100 characters")
    if kind in PER_TOOL and not value:
        raise DomainError(f"a {TOOL_NAMES[kind]} needs its ID (--source-id)")
    return value or None


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
        raise DomainError(f"{kind.value} has no per-tool setting; only forms, chatflows and connected apps do")
    tool_id = str(_tool_id(source_id, kind))
    with db.write(engine) as conn:
        authorize(conn, actor, Action.MANAGE_SETTINGS)
        now = moment(today, load_account(conn).timezone)
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
        op = start_operation(
            conn, kind="source_setting", now=now, actor=actor, source_type=kind.value, source_id=tool_id
        )
        after = tool_settings.register(conn, kind, tool_id, name=None, now=now, actor=actor)
        finish_operation(conn, op, {"before": before.marketing, "after": after.marketing, "name": after.name})
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
) -> CreateResult:
    """Create (or re-submit) a contact from a tool per DOMAIN.md §5; the result says its status and why.

    Forms, chatflows and apps raise the tier when they must (nobody is there to ask); a person creating a
    marketing contact by hand must consent to an upgrade (``allow_tier_upgrade``).
    """
    kind = _kind(source)
    if marketing is not None and kind not in (SourceType.MANUAL, SourceType.IMPORT):
        raise DomainError("--marketing applies to manual creation (or an import's 'set all as marketing') only")
    try:
        email = fmt.parse_email(email)
    except fmt.CellError as exc:
        raise DomainError(str(exc).capitalize()) from None
    fields = contact_writes.name_fields(first_name, last_name, lifecycle_stage)
    tool_id = _tool_id(source_id, kind)
    with db.write(engine) as conn:
        authorize(conn, actor, Action.EDIT_CONTACTS)
        now = moment(today, load_account(conn).timezone)
        catch_up(conn, today=today, now=now)
        acct = load_account(conn)
        setting = None
        if kind in PER_TOOL and tool_id is not None:
            setting = tool_settings.register(conn, kind, tool_id, name=None, now=now, actor=actor).as_rule()
        row = contact_writes.by_email(conn, email)
        if row is not None and must_be_new:
            raise DomainError(f"A contact with the email {email} already exists (ID {row['id']})")
        outcome = decide(
            kind, existing=contact_writes.state_of(row), setting=setting, marketing=marketing, tool_id=tool_id
        )
        adds = outcome.status == "marketing" and outcome.previous in (None, "non_marketing")
        if kind == SourceType.MANUAL and adds:
            authorize(conn, actor, Action.CHANGE_STATUS)
        count = marketing_count(conn) + (1 if adds else 0)
        tier_after = tiers.tier_after_change(acct.pricing, acct.billed_tier, count)
        if tier_after > acct.billed_tier and kind == SourceType.MANUAL and not allow_tier_upgrade:
            raise TierUpgradeRequired(
                {"email": email, "tier_limit_before": acct.billed_tier, "tier_limit_after": tier_after}
            )
        op = start_operation(
            conn, kind="create_contact", now=now, actor=actor, source_type=kind.value, source_id=tool_id
        )
        contact_id = contact_writes.store(
            conn, row, outcome, fields, email=email, source_type=kind.value, source_id=tool_id, now=now
        )
        if outcome.changed:
            contact_writes.record(
                conn,
                contact_id,
                outcome,
                operation_id=op,
                now=now,
                today=today,
                source_type=kind.value,
                source_id=tool_id,
                actor=actor,
            )
        raise_tier_to_fit(conn, acct, marketing=count, today=today, now=now, actor=actor)
        result = CreateResult(
            contact_id,
            email,
            row is None,
            outcome.status,
            outcome.previous,
            outcome.changed,
            outcome.reason,
            kind.value,
            tool_id,
            acct.billed_tier,
            tier_after,
        )
        finish_operation(conn, op, result.as_json())
        return result
