"""Who may do what. Every service that changes data calls ``authorize`` inside its unit of work.

Until the users feature exists (or while no user is configured: local mode), everyone may act.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Connection


class Action(StrEnum):
    CHANGE_STATUS = "change_status"  # needs the Marketing contact access grant
    EDIT_CONTACTS = "edit_contacts"  # create, edit, delete contacts; lists; saved views; imports
    MANAGE_WORKFLOWS = "manage_workflows"
    MANAGE_SETTINGS = "manage_settings"  # account settings, default status by source
    MANAGE_USERS = "manage_users"


def authorize(conn: Connection, actor: str, action: Action) -> None:
    """Raise PermissionDenied when ``actor`` may not perform ``action`` (DOMAIN.md §6: Marketing contact access)."""
    return None
