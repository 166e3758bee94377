"""Roles and what each may do (docs/domain.md §6: changing status needs the Marketing contact access grant). PURE."""

from __future__ import annotations

import re
from enum import StrEnum


class Action(StrEnum):
    CHANGE_STATUS = "change_status"  # needs the Marketing contact access grant
    EDIT_CONTACTS = "edit_contacts"  # create, edit, delete contacts; lists; saved views; imports
    MANAGE_WORKFLOWS = "manage_workflows"
    MANAGE_SETTINGS = "manage_settings"  # account settings, default status by source
    MANAGE_USERS = "manage_users"


class Role(StrEnum):
    ADMIN = "admin"  # everything, including account settings and users
    EDITOR = "editor"  # contacts, lists, imports and workflows
    VIEWER = "viewer"  # reads only

    @classmethod
    def parse(cls, text: str) -> Role:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise ValueError(f"unknown role {text!r}: use admin, editor or viewer") from None


ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.EDITOR: frozenset({Action.EDIT_CONTACTS, Action.MANAGE_WORKFLOWS, Action.CHANGE_STATUS}),
    Role.VIEWER: frozenset(),
}

ACTION_TEXT = {
    Action.CHANGE_STATUS: "change marketing contact status",
    Action.EDIT_CONTACTS: "create, edit or import contacts and lists",
    Action.MANAGE_WORKFLOWS: "manage workflows",
    Action.MANAGE_SETTINGS: "change account settings",
    Action.MANAGE_USERS: "manage users",
}

# Actors the application itself uses (update dates, workflow runs); no user may take these names.
INTERNAL_ACTORS = frozenset({"system"})
INTERNAL_PREFIXES = ("workflow:",)
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@+-]{0,99}$")


def is_internal(actor: str) -> bool:
    """The application acting on its own (catch-up of update dates, a workflow's action), not a person."""
    return actor in INTERNAL_ACTORS or actor.startswith(INTERNAL_PREFIXES)


def marketing_access_by_default(role: Role) -> bool:
    """Admins and editors get the Marketing contact access grant unless an admin revokes it."""
    return role in (Role.ADMIN, Role.EDITOR)


def refusal(username: str, role: Role, marketing_access: bool, action: Action) -> str | None:
    """Why this user may not perform ``action``, or None when they may."""
    if action not in ROLE_ACTIONS[role]:
        why = "a viewer only reads" if role == Role.VIEWER else "only admins may"
        return f"{username} ({role.value}) may not {ACTION_TEXT[action]}: {why}"
    if action == Action.CHANGE_STATUS and not marketing_access:
        return (
            f"{username} may not {ACTION_TEXT[action]}: the Marketing contact access permission is not granted "
            "(an admin can grant it on the Users page or with `python -m core users grant`)"
        )
    return None


def check_username(text: str) -> str:
    """Usernames are compared without regard to case, so they are kept lower-case; internal names are reserved."""
    name = text.strip().lower()
    if not _USERNAME.match(name):
        raise ValueError(
            f"invalid username {text!r}: 1 to 100 characters, letters, digits and . _ @ + - (starting with a letter "
            "or digit)"
        )
    if is_internal(name) or name in ("cli", "dashboard", "demo", "anonymous"):
        raise ValueError(f"the username {name!r} is reserved")
    return name
