"""What a person may do, asked before they try: the reasons the pages show beside a disabled control.

The answer comes from the same check every change runs inside its unit of work (``refused`` beside
``authorize`` in core/store/access.py, the rule in core/rules/roles.py), so a control is disabled exactly when
the change behind it would be refused (docs/domain.md §6)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from core.i18n import ENGLISH, Translator
from core.rules.roles import Action
from core.store import engine as db
from core.store.access import refused


@dataclass(frozen=True)
class Permissions:
    """For one actor: why each action is refused (absent when it is allowed)."""

    actor: str
    refusals: dict[Action, str] = field(default_factory=dict)

    def why_not(self, action: Action, t: Translator = ENGLISH) -> str | None:
        """Why ``action`` would be refused, or None when the actor may perform it. A refusal core wrote as a
        translatable sentence (one with ``text(t)``) is said in ``t``'s language."""
        reason = self.refusals.get(action)
        if reason is None:
            return None
        render = getattr(reason, "text", None)
        return str(render(t)) if callable(render) else reason

    def may(self, action: Action) -> bool:
        return action not in self.refusals


def permissions(engine: Engine, *, actor: str) -> Permissions:
    """Every action's refusal for ``actor``, read in one transaction (local mode: everything is allowed)."""
    with db.read(engine) as conn:
        found = {action: reason for action in Action if (reason := refused(conn, actor, action)) is not None}
    return Permissions(actor, found)
