"""What a person may do, asked before they try: the reasons the pages show beside a disabled control.

The answer comes from the same check every change runs inside its unit of work (``refused`` beside
``authorize`` in core/store/access.py, the rule in core/rules/roles.py), so a control is disabled exactly when
the change behind it would be refused (docs/domain.md §6)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine

from core.errors import PermissionDenied
from core.i18n import ENGLISH, Translator, message_text
from core.rules.roles import Action
from core.store import engine as db
from core.store.access import authorize


@dataclass(frozen=True)
class Permissions:
    """For one actor: why each action is refused (absent when it is allowed)."""

    actor: str
    refusals: dict[Action, PermissionDenied] = field(default_factory=dict)

    def why_not(self, action: Action, t: Translator = ENGLISH) -> str | None:
        """Why ``action`` would be refused (in ``t``'s language), or None when the actor may perform it."""
        refusal = self.refusals.get(action)
        return None if refusal is None else message_text(refusal, t)

    def may(self, action: Action) -> bool:
        return action not in self.refusals


def permissions(engine: Engine, *, actor: str) -> Permissions:
    """Every action's refusal for ``actor``, read in one transaction (local mode: everything is allowed)."""
    with db.read(engine) as conn:
        found = {action: reason for action in Action if (reason := _refusal(conn, actor, action)) is not None}
    return Permissions(actor, found)


def _refusal(conn: Connection, actor: str, action: Action) -> PermissionDenied | None:
    """The refusal ``authorize`` raises (the same rule as ``core.store.access.refused``), kept whole: it carries its
    English sentence and fields, so a page shows it in its reader's language."""
    try:
        authorize(conn, actor, action)
    except PermissionDenied as exc:
        return exc
    return None
