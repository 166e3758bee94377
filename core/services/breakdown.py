"""Why is my count this number: marketing contacts by what made them marketing and by lifecycle stage.

What made a contact marketing is the source of its last event that made it billed (created marketing, or moved
from non-marketing to marketing): never the tool that later scheduled it to leave, nor one that undid that. The
contact's own page (``contact_detail.made_marketing``) reads the same rule from the same events."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Engine, FromClause, func, or_, select

from core.i18n import ENGLISH, N_, Translator
from core.store import engine as db
from core.store import states
from core.store.schema import contacts, status_events

# The events that make a contact marketing: billed after, not billed before (created, or from non-marketing).
MADE_TO = ("marketing", "pending")


def made_from(events: FromClause) -> list[ColumnElement[bool]]:
    return [events.c.old_state.is_(None), events.c.old_state == "non_marketing"]


UNKNOWN = "unknown"

# How the page names what made contacts marketing: the stored source type, its "_" read as a space ("mobile app").
SOURCE_LABELS: dict[str, str] = {
    "form": N_("form"),
    "import": N_("import"),
    "chatflow": N_("chatflow"),
    "integration": N_("integration"),
    "manual": N_("manual"),
    "mobile_app": N_("mobile app"),
    "logged_email": N_("logged email"),
    "connected_inbox": N_("connected inbox"),
    "document": N_("document"),
    "meeting_link": N_("meeting link"),
    "email_extension": N_("email extension"),
    "multi_object_import": N_("multi object import"),
    "bulk_action": N_("bulk action"),
    "usage_wizard": N_("usage wizard"),
    "workflow": N_("workflow"),
    "update": N_("update"),
    "demo": N_("demo"),
    UNKNOWN: N_("unknown"),
}


def source_label(name: str, t: Translator = ENGLISH) -> str:
    """What made contacts marketing, as the page names it in ``t``'s language (an unknown code as stored)."""
    label = SOURCE_LABELS.get(name)
    return t(label) if label else name.replace("_", " ")


@dataclass(frozen=True)
class Breakdown:
    on: date
    marketing: int
    by_source: list[tuple[str, int]]  # status_source_type: form, import, workflow, manual, integration, ...
    by_stage: list[tuple[str, int]]  # lifecycle stage


def _ranked(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def marketing_breakdown(engine: Engine, *, today: date) -> Breakdown:
    """Marketing contacts on ``today`` by what made them marketing and by lifecycle stage (one GROUP BY)."""
    made = status_events.alias("made")
    last_made = (
        select(func.max(made.c.id))
        .where(made.c.contact_id == contacts.c.id, made.c.new_state.in_(MADE_TO), or_(*made_from(made)))
        .scalar_subquery()
    )
    # A contact without such an event (older data) was made marketing by the tool that created it.
    source = func.coalesce(status_events.c.source_type, contacts.c.source_type, UNKNOWN)
    stage = func.coalesce(contacts.c.lifecycle_stage, UNKNOWN)
    joined = states.ROWS.outerjoin(status_events, status_events.c.id == last_made)
    query = (
        select(source, stage, func.count()).select_from(joined).where(states.billed_on(today)).group_by(source, stage)
    )
    by_source: dict[str, int] = defaultdict(int)
    by_stage: dict[str, int] = defaultdict(int)
    with db.read(engine) as conn:
        for source_type, lifecycle_stage, n in conn.execute(query):  # at most sources x stages rows
            by_source[str(source_type)] += int(n)
            by_stage[str(lifecycle_stage)] += int(n)
    return Breakdown(today, sum(by_source.values()), _ranked(by_source), _ranked(by_stage))
