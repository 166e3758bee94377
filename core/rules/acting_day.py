"""The day a change may act on (docs/domain.md §10, the clock). PURE: ``today`` is the deployment's day.

A change acts on today. It never acts on a day after today (the future is what simulation is for), never on a day
before the last day a change acted on (update dates and renewals already applied cannot be contradicted), and only
an admin may act on a day other than today. The application's own actors (``system``, ``workflow:<id>``) and local
mode (no user yet: everyone is an admin) pass ``role=None``.
"""

from __future__ import annotations

from datetime import date

from core.errors import Sentence
from core.i18n import N_
from core.rules.roles import ROLE_NAMES, Role


def refusal(day: date, *, today: date, last_acted_on: date) -> Sentence | None:
    """Why no change may act on ``day``, whoever asks, or None when it may."""
    if day > today:
        return Sentence(
            N_("{day} is in the future; changes act on today ({today}) — use simulate to look ahead"),
            day=day.isoformat(),
            today=today.isoformat(),
        )
    if day < last_acted_on:
        return Sentence(
            N_(
                "{day} is before {last}, the last day a change acted on; "
                "a change never acts on a day before one already acted on"
            ),
            day=day.isoformat(),
            last=last_acted_on.isoformat(),
        )
    return None


def other_day_refusal(day: date, *, today: date, username: str, role: Role | None) -> Sentence | None:
    """Why this user may not act on ``day`` when it is not today (only an admin may), or None when they may."""
    if day == today or role is None or role == Role.ADMIN:
        return None
    return Sentence(
        N_("{username} ({role}) may not act on {day}: only an admin may act on a day other than today ({today})"),
        username=username,
        role=Sentence(ROLE_NAMES[role]),
        day=day.isoformat(),
        today=today.isoformat(),
    )
