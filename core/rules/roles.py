"""Roles and what each may do (docs/domain.md §6: changing status needs the Marketing contact access grant). PURE."""

from __future__ import annotations

import re
from enum import StrEnum

from core.errors import InvalidValue, Sentence
from core.i18n import N_


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
            raise InvalidValue(N_("unknown role {text}: use admin, editor or viewer"), text=repr(text)) from None


ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.EDITOR: frozenset({Action.EDIT_CONTACTS, Action.MANAGE_WORKFLOWS, Action.CHANGE_STATUS}),
    Role.VIEWER: frozenset(),
}

# Why a role may not perform an action, as whole sentences (a language says "may not <do this>" its own way).
_NOT_IN_ROLE = {
    (True, Action.CHANGE_STATUS): N_(
        "{username} ({role}) may not change marketing contact status: a viewer only reads"
    ),
    (True, Action.EDIT_CONTACTS): N_(
        "{username} ({role}) may not create, edit or import contacts and lists: a viewer only reads"
    ),
    (True, Action.MANAGE_WORKFLOWS): N_("{username} ({role}) may not manage workflows: a viewer only reads"),
    (True, Action.MANAGE_SETTINGS): N_("{username} ({role}) may not change account settings: a viewer only reads"),
    (True, Action.MANAGE_USERS): N_("{username} ({role}) may not manage users: a viewer only reads"),
    (False, Action.CHANGE_STATUS): N_("{username} ({role}) may not change marketing contact status: only admins may"),
    (False, Action.EDIT_CONTACTS): N_(
        "{username} ({role}) may not create, edit or import contacts and lists: only admins may"
    ),
    (False, Action.MANAGE_WORKFLOWS): N_("{username} ({role}) may not manage workflows: only admins may"),
    (False, Action.MANAGE_SETTINGS): N_("{username} ({role}) may not change account settings: only admins may"),
    (False, Action.MANAGE_USERS): N_("{username} ({role}) may not manage users: only admins may"),
}
ROLE_NAMES = {Role.ADMIN: N_("admin"), Role.EDITOR: N_("editor"), Role.VIEWER: N_("viewer")}

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


def refusal(username: str, role: Role, marketing_access: bool, action: Action) -> Sentence | None:
    """Why this user may not perform ``action``, or None when they may (an English ``Sentence``: ``text(t)`` says
    it in another language)."""
    if action not in ROLE_ACTIONS[role]:
        return Sentence(_NOT_IN_ROLE[(role == Role.VIEWER, action)], username=username, role=Sentence(ROLE_NAMES[role]))
    if action == Action.CHANGE_STATUS and not marketing_access:
        return Sentence(
            N_(
                "{username} may not change marketing contact status: the Marketing contact access permission is "
                "not granted (an admin can grant it on the Users page or with `python -m core users grant`)"
            ),
            username=username,
        )
    return None


def check_username(text: str) -> str:
    """Usernames are compared without regard to case, so they are kept lower-case; internal names are reserved."""
    name = text.strip().lower()
    if not _USERNAME.match(name):
        raise InvalidValue(
            N_(
                "invalid username {text}: 1 to 100 characters, letters, digits and . _ @ + - (starting with a letter "
                "or digit)"
            ),
            text=repr(text),
        )
    if is_internal(name) or name in ("cli", "dashboard", "demo", "anonymous"):
        raise InvalidValue(N_("the username {name} is reserved"), name=repr(name))
    return name
