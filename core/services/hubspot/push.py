"""Sending a plan to HubSpot (docs/domain.md §12): the selected contacts go into a static list in HubSpot through
its Lists API. HubSpot's API cannot change a marketing status, so the person finishes the change in HubSpot with
"Manage marketing contacts → Use a list"; the next sync brings the result back.

Nothing in Marketable changes: the push is recorded in the audit (who, which list, how many) after HubSpot took it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, select

from core.i18n import N_
from core.rules.requester import Requester
from core.rules.roles import Action
from core.rules.selection import Selection
from core.services.hubspot.client import HubSpotApi, HubSpotError, connect
from core.services.unit import changing
from core.store import engine as db
from core.store.access import authorize
from core.store.schema import contacts
from core.store.selection import where

NEXT_STEP = (
    "Finish it in HubSpot: Contacts → Actions → Manage marketing contacts → Use a list → choose the list "
    "{name!r} → Set as non-marketing. Marketable cannot do this step (HubSpot's API cannot change a marketing "
    "status); the next sync shows the result."
)


@dataclass(frozen=True)
class PushResult:
    list_name: str
    list_id: str
    list_created: bool
    selected: int  # contacts the selection chose here
    sent: int  # of them, those with a HubSpot Record ID
    added: int  # newly in the HubSpot list (the others were in it already)
    not_in_hubspot: int  # chosen contacts HubSpot has never given a Record ID: they cannot be sent
    missing_in_hubspot: list[int]  # Record IDs HubSpot no longer knows (deleted there since the last sync)
    next_step: str
    requests: int
    retries: int

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _name(name: str) -> str:
    value = name.strip()
    if not value:
        raise HubSpotError(N_("give the HubSpot list a name"))
    if len(value) > 200:
        raise HubSpotError(N_("a HubSpot list name is at most 200 characters"))
    return value


def push_list(
    engine: Engine,
    *,
    name: str,
    selection: Selection,
    today: date,
    actor: str,
    api: HubSpotApi | None = None,
) -> PushResult:
    """Put the selected contacts into HubSpot's static list ``name`` (created if missing), for HubSpot's "Use a
    list" step (docs/domain.md §12). Planning a status change needs Marketing contact access."""
    list_name = _name(name)
    selection.check_for_change("send to a HubSpot list")
    with db.read(engine) as conn:
        authorize(conn, actor, Action.CHANGE_STATUS)
        rows = conn.execute(select(contacts.c.hubspot_id).where(where(conn, selection))).scalars().all()
    record_ids = sorted(int(r) for r in rows if r is not None)
    connection = api or connect()
    list_id, created = connection.static_list(list_name)
    added, missing = connection.add_members(list_id, record_ids) if record_ids else (0, [])
    result = PushResult(
        list_name=list_name,
        list_id=list_id,
        list_created=created,
        selected=len(rows),
        sent=len(record_ids),
        added=added,
        not_in_hubspot=len(rows) - len(record_ids),
        missing_in_hubspot=missing,
        next_step=NEXT_STEP.format(name=list_name),
        requests=connection.traffic.requests,
        retries=connection.traffic.retries,
    )
    by = Requester(actor, "integration", "hubspot")
    with changing(engine, by=by, today=today, needs=Action.CHANGE_STATUS, catch_up_first=False) as unit:
        summary = {k: v for k, v in result.as_json().items() if k not in ("next_step", "missing_in_hubspot")}
        unit.finish(unit.start("hubspot_push_list"), {**summary, "selection": selection.describe()})
    return result
