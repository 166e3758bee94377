"""Who asks for a change and through what (docs/domain.md §1–§2): recorded on every operation and event. PURE."""

from __future__ import annotations

from dataclasses import dataclass

SYSTEM = "system"  # the application itself: update dates and renewals that have come


@dataclass(frozen=True)
class Requester:
    """The actor and the tool a change comes from (HubSpot's ``hs_marketable_reason_type`` / ``_id``)."""

    actor: str
    source_type: str = "manual"
    source_id: str | None = None

    def via(self, source_type: str, source_id: str | None = None) -> Requester:
        """The same actor acting through another tool (a workflow, an import, the usage wizard)."""
        return Requester(self.actor, source_type, source_id)
