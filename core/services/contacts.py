"""The Contacts index: pages by keyset under a filter and a sort, counts, and single-contact changes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, delete, func, select, update

from core.errors import DomainError
from core.i18n import N_
from core.rules import contact_fields, email_address
from core.rules.confirmation import Confirmed, Figures, hold_to
from core.rules.filters import STATE_CONDITIONS, Condition, FilterError
from core.rules.hubspot_labels import stage_options
from core.rules.requester import Requester
from core.rules.selection import Selection
from core.rules.sources import SourceType
from core.rules.status import STATE_PLURALS, State
from core.rules.workflows import Touch
from core.services.sources import CreateResult, create_contact
from core.services.unit import Unit, changing
from core.services.workflows.feeds import require_grant_if_feeding
from core.store import engine as db
from core.store import states
from core.store.access import Action
from core.store.account import load_account, marketing_count
from core.store.contact_pages import SORT_KEYS, Cursor, page
from core.store.counts import counts_on, state_breakdown
from core.store.events import record_events
from core.store.schema import contacts
from core.store.selection import where

PAGE_SIZE = 50
QUICK_FILTERS: dict[str, str] = {
    "marketing": STATE_PLURALS[State.MARKETING],
    "pending": STATE_PLURALS[State.PENDING],
    "non_marketing": STATE_PLURALS[State.NON_MARKETING],
    "unengaged": N_("Unengaged"),
}  # the audit trail keeps these English; a page translates them where it shows them
SORT_LABELS: dict[str, str] = {
    "created_at": N_("Create date"),
    "last_activity_at": N_("Last activity"),
    "last_name": N_("Last name"),
    "email": N_("Email"),
    "lifecycle_stage": N_("Lifecycle stage"),
}


class FieldRefused(DomainError):
    """A contact's field that cannot be stored (``contact_fields.FieldError``), its field's name translated too."""

    def __init__(self, error: contact_fields.FieldError) -> None:
        super().__init__(error.sentence)


@dataclass(frozen=True)
class ContactQuery:
    """What the index shows: the filter model's conditions, a quick filter, and an indexed sort."""

    conditions: tuple[Condition, ...] = ()
    quick: str | None = None
    sort: str = "created_at"
    descending: bool = True

    def __post_init__(self) -> None:
        if self.sort not in SORT_KEYS:
            raise FilterError(
                N_("cannot sort by {sort}; use one of {known}"), sort=repr(self.sort), known=", ".join(SORT_KEYS)
            )
        if self.quick is not None and self.quick not in QUICK_FILTERS:
            raise FilterError(
                N_("unknown quick filter {quick}; use one of {known}"),
                quick=repr(self.quick),
                known=", ".join(QUICK_FILTERS),
            )

    def selection(self) -> Selection:
        """The contacts this query matches, as a Selection the other services accept."""
        if self.quick == "unengaged":
            return Selection(unengaged=True, extra=self.conditions)
        extra = (STATE_CONDITIONS[self.quick],) if self.quick else ()
        return Selection(conditions=self.conditions + extra)

    def filter_json(self) -> str:
        """The filter as the command line's ``--filter`` JSON (quick filter included where expressible)."""
        extra = [STATE_CONDITIONS[self.quick]] if self.quick in STATE_CONDITIONS else []
        return json.dumps([c.as_dict() for c in (*self.conditions, *extra)])


@dataclass(frozen=True)
class ContactPage:
    rows: list[dict[str, Any]]  # contacts columns plus ``state`` (marketing / pending / non_marketing)
    next_cursor: Cursor | None


@dataclass(frozen=True)
class MatchCounts:
    total: int
    marketing: int  # billed: pending included
    pending: int
    non_marketing: int


def _state(row: dict[str, Any], as_of: date | None = None) -> str:
    return State.on(row["marketing_status"], row["pending_non_marketing"], row["effective_on"], as_of).value


def _simulated_day(conn: Connection, today: date | None) -> date | None:
    """``today`` when it is later than the day stored statuses are applied through ("Simulate as of", or
    update dates not applied yet): status filters and states then describe that day. Else None: the stored
    statuses, whose indexes keep a page of a million contacts fast."""
    if today is None or today <= load_account(conn).updates_applied_through:
        return None
    return today


def page_of_contacts(
    engine: Engine,
    *,
    query: ContactQuery,
    after: Cursor | None = None,
    limit: int = PAGE_SIZE,
    today: date | None = None,
) -> ContactPage:
    """One page of matching contacts in sort order (empty values last), read by keyset on the sort index.

    ``today``: the day the statuses are shown for (a simulated day moves pending contacts whose update date
    has come to non-marketing, in the filter and in each row's state)."""
    selection = query.selection()
    with db.read(engine) as conn:
        as_of = _simulated_day(conn, today)
        rows, cursor = page(
            conn,
            where(conn, selection, as_of=as_of),
            sort=query.sort,
            descending=query.descending,
            after=after,
            limit=limit,
            filtered=selection != Selection(conditions=()),
        )
    return ContactPage([{**r, "state": _state(r, as_of)} for r in rows], cursor)


def count_matching(engine: Engine, *, selection: Selection, today: date) -> MatchCounts:
    """How many contacts match, and how many of them are marketing, pending and non-marketing as of today."""
    with db.read(engine) as conn:
        if selection in (Selection(), Selection(conditions=())):
            counts = counts_on(conn, today)
            return MatchCounts(counts.total, counts.marketing, counts.pending, counts.non_marketing)
        states = state_breakdown(conn, where(conn, selection, as_of=_simulated_day(conn, today)), today)
    billed = states["marketing"] + states["pending"]
    return MatchCounts(sum(states.values()), billed, states["pending"], states["non_marketing"])


EDITABLE = ("email", "first_name", "last_name", "lifecycle_stage", "hard_bounced", "unsubscribed_all")


@dataclass(frozen=True)
class DeleteResult:
    deleted: int
    marketing_before: int
    marketing_after: int
    tier_limit: int  # unchanged: the billed tier never drops before renewal

    def as_json(self) -> dict[str, int]:
        return dict(self.__dict__)


def _clean_fields(conn: Connection, contact_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainError(N_("cannot edit {fields}"), fields=", ".join(sorted(unknown)))
    values: dict[str, Any] = {}
    for name, value in changes.items():
        if name in ("hard_bounced", "unsubscribed_all"):
            values[name] = bool(value)
            continue
        text = (value or "").strip()
        if name == "email":
            try:
                text = email_address.parse(text)
            except email_address.EmailError as exc:
                message, params = exc.capitalized()
                raise DomainError(message, **params) from None
            key = email_address.match_key(text)
            other = conn.execute(
                select(contacts.c.id).where(contacts.c.email_lower == key, contacts.c.id != contact_id)
            ).scalar()
            if other is not None:
                raise DomainError(
                    N_("Another contact (ID {id}) already has the email {email}"), id=str(other), email=text
                )
            values["email_lower"] = key
            values[name] = text
            continue
        try:
            values[name] = contact_fields.clean(name, text)
        except contact_fields.FieldError as exc:
            raise FieldRefused(exc) from None
    if values.get("email") is None and "email" in values:
        raise DomainError(N_("Missing email"))
    return values


def update_contact(engine: Engine, *, contact_id: int, changes: dict[str, Any], today: date, actor: str) -> int:
    """Edit a contact's fields (not its status): the email must stay valid and unique; returns fields changed.

    An edit that would enroll the contact in an enabled status workflow needs Marketing contact access
    (docs/domain.md §6)."""
    by = Requester(actor, "manual", str(contact_id))
    with changing(engine, by=by, today=today, needs=Action.EDIT_CONTACTS, catch_up_first=False) as unit:
        current = unit.conn.execute(select(contacts).where(contacts.c.id == contact_id)).mappings().first()
        if current is None:
            raise DomainError(N_("no contact with id {id}"), id=str(contact_id))
        values = _clean_fields(unit.conn, contact_id, changes)
        changed = {k: v for k, v in values.items() if current[k] != v}
        if not changed:
            return 0
        op = unit.start("edit")
        unit.conn.execute(update(contacts).where(contacts.c.id == contact_id).values(**changed))
        shown = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in changed.items() if k != "email_lower"}
        require_grant_if_feeding(unit, Touch(frozenset(shown)), contacts.c.id == contact_id)
        unit.finish(op, {"contact_id": contact_id, "changed": shown})
        return len(shown)


def _hold_to_count(unit: Unit, clause: ColumnElement[bool], confirmed: Confirmed | None, marketing: int) -> None:
    """A delete confirmed for N contacts deletes N or nothing (docs/domain.md §10); its tier does not move."""
    if confirmed is None:
        return
    n = int(unit.conn.execute(select(func.count()).select_from(states.rows_for(clause)).where(clause)).scalar_one())
    tier = unit.account.billed_tier
    figures = Figures(n, tier, unit.account.pricing.monthly_price(tier), tier)
    payload = {"will_change": n, "marketing_before": marketing, "tier_limit": tier}
    hold_to(confirmed, figures, payload=payload, currency=unit.account.currency, verb="be deleted")


def delete_contacts(
    engine: Engine, *, selection: Selection, today: date, actor: str, confirmed: Confirmed | None = None
) -> DeleteResult:
    """Delete contacts: they leave the marketing count at once, the billed tier stays until renewal.
    ``confirmed``: the number of contacts the person confirmed (its ``changes``); if another number would now be
    deleted, nothing is, and ``ConfirmationOutdated`` says how many."""
    selection.check_for_change("delete")
    with changing(engine, by=Requester(actor, "manual"), today=today, needs=Action.EDIT_CONTACTS) as unit:
        before = marketing_count(unit.conn)
        clause = where(unit.conn, selection)
        _hold_to_count(unit, clause, confirmed, before)
        op = unit.start("delete")
        deleted = record_events(
            unit.conn,
            where=clause,
            operation_id=op,
            old_state=states.stored_state(),
            new_state=None,
            at=unit.now,
            effective_on=today,
            by=unit.by,
            rows=states.ROWS,
        )
        unit.conn.execute(delete(contacts).where(states.matching(clause)))  # status rows go with them (CASCADE)
        result = DeleteResult(deleted, before, marketing_count(unit.conn), unit.account.billed_tier)
        unit.finish(op, result.as_json())
    return result


def create_contact_by_hand(
    engine: Engine,
    *,
    email: str,
    today: date,
    actor: str,
    first_name: str | None = None,
    last_name: str | None = None,
    lifecycle_stage: str | None = None,
    marketing: bool = False,
    allow_tier_upgrade: bool = False,
    confirmed: Confirmed | None = None,
) -> CreateResult:
    """A person creates one contact: non-marketing unless they tick "marketing contact"; the email must be new.
    ``confirmed``: the tier (and price) the person agreed to; if creating it would now differ, nothing is written."""
    return create_contact(
        engine,
        source=SourceType.MANUAL,
        source_id=None,
        email=email,
        today=today,
        actor=actor,
        first_name=first_name,
        last_name=last_name,
        lifecycle_stage=lifecycle_stage,
        marketing=marketing,
        must_be_new=True,
        allow_tier_upgrade=allow_tier_upgrade,
        confirmed=confirmed,
    )


_MOST_STAGES = 500


def lifecycle_stages(engine: Engine) -> list[tuple[str, str]]:
    """The lifecycle stages to choose from, as (stored value, label): HubSpot's default stages in their order,
    then the custom stages the account's contacts have. Those are read by a loose index scan (a recursive query that
    jumps from one value of the indexed column to the next), so the cost grows with the number of stages, not of
    contacts; at most ``_MOST_STAGES`` are offered."""
    stage = contacts.c.lifecycle_stage
    first = select(func.min(stage).label("value")).cte("stages", recursive=True)
    following = select(select(func.min(stage)).where(stage > first.c.value).scalar_subquery())
    stages = first.union_all(following.where(first.c.value.is_not(None)))
    query = select(stages.c.value).where(stages.c.value.is_not(None)).limit(_MOST_STAGES)
    with db.read(engine) as conn:
        stored = [str(value) for (value,) in conn.execute(query)]
    return stage_options(stored)
