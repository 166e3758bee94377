"""Manage marketing contacts (docs/domain.md §6.1): the wizard's counts, its selection, its review and its update.

The Review step shows ``preview_status_change`` for the wizard's selection, so its counts equal
``set-status --to non-marketing --dry-run`` for the same contacts; Update contacts is ``set_status``
with ``usage_wizard`` as the source. Nothing is written before that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, case, func, select

from core.rules.confirmation import Confirmed
from core.rules.filters import parse_filter
from core.rules.selection import Selection
from core.rules.status import MarketingStatus, State
from core.services.selection_errors import user_errors
from core.services.status import StatusChange, preview_status_change, set_status
from core.services.whatif import WhatIf, what_if
from core.store import engine as db
from core.store import states
from core.store.filters import UNENGAGED
from core.store.schema import contacts, static_lists

SOURCE_TYPE = "usage_wizard"


@dataclass(frozen=True)
class Unengaged:
    """Contacts that hard bounced or unsubscribed from all email, by state today."""

    hard_bounced: int  # marketing (not yet pending) contacts that hard bounced
    unsubscribed: int  # ... that unsubscribed from all email
    marketing: int  # ... either of the two: what Next includes
    not_included: int  # unengaged contacts already pending or non-marketing


@dataclass(frozen=True)
class Review:
    change: StatusChange  # equals set-status --dry-run for the same selection
    effect: WhatIf  # the next update date and the renewal, before and after


def unengaged_counts(engine: Engine, *, today: date) -> Unengaged:
    """Count the unengaged contacts the wizard preselects (one pass over the contacts, in SQL)."""
    marketing = states.is_state_on(State.MARKETING, today)
    query = (
        select(
            func.coalesce(func.sum(case((marketing & contacts.c.hard_bounced.is_(True), 1), else_=0)), 0),
            func.coalesce(func.sum(case((marketing & contacts.c.unsubscribed_all.is_(True), 1), else_=0)), 0),
            func.coalesce(func.sum(case((marketing, 1), else_=0)), 0),
            func.count(),
        )
        .select_from(states.ROWS)
        .where(UNENGAGED)
    )
    with db.read(engine) as conn:
        bounced, unsubscribed, either, total = conn.execute(query).one()
    return Unengaged(int(bounced), int(unsubscribed), int(either), int(total) - int(either))


def static_list_names(engine: Engine) -> list[str]:
    """The static lists one can pick, by name."""
    with db.read(engine) as conn:
        return [str(n) for n in conn.execute(select(static_lists.c.name).order_by(static_lists.c.name)).scalars()]


def wizard_selection(
    *, unengaged: bool, conditions: Sequence[dict[str, Any]] = (), lists: Sequence[str] = ()
) -> Selection:
    """Unengaged contacts (if kept), or contacts matching every filter condition, or in any picked list."""
    parts: list[Selection] = [Selection(unengaged=True)] if unengaged else []
    if conditions:
        with user_errors():
            parsed = parse_filter(list(conditions))
        parts.append(Selection(conditions=parsed))  # only when non-empty: an empty filter would match everyone
    parts.extend(Selection(list_name=name) for name in lists)
    return Selection(any_of=tuple(parts))


def preview(engine: Engine, *, selection: Selection, today: date) -> StatusChange:
    """What setting the selection non-marketing would do (the live count and the Review counts)."""
    with user_errors():
        return preview_status_change(engine, selection=selection, to=MarketingStatus.NON_MARKETING, today=today)


def review(engine: Engine, *, selection: Selection, today: date) -> Review:
    """The Review step: the status change preview and its effect on the next update date and the renewal."""
    return Review(preview(engine, selection=selection, today=today), what_if(engine, selection=selection, today=today))


def update_contacts(
    engine: Engine, *, selection: Selection, today: date, actor: str, confirmed: Confirmed | None = None
) -> StatusChange:
    """Update contacts: the selected marketing contacts become non-marketing on the next update date.

    ``confirmed``: the Review's figures (``review.change.figures``); if the change would now differ, nothing is
    written and ``ConfirmationOutdated`` says how (docs/domain.md §10)."""
    with user_errors():
        return set_status(
            engine,
            selection=selection,
            to=MarketingStatus.NON_MARKETING,
            today=today,
            actor=actor,
            source_type=SOURCE_TYPE,
            confirmed=confirmed,
        )
