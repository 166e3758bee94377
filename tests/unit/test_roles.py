"""Roles and the Marketing contact access grant (docs/domain.md §6): the permission table, as pure rules."""

from __future__ import annotations

import pytest

from core.rules.roles import Action, Role, check_username, is_internal, marketing_access_by_default, refusal

A = Action
ALLOWED = {
    # role, marketing access -> the actions allowed
    (Role.ADMIN, True): set(Action),
    (Role.ADMIN, False): set(Action) - {A.CHANGE_STATUS},
    (Role.EDITOR, True): {A.EDIT_CONTACTS, A.MANAGE_WORKFLOWS, A.CHANGE_STATUS},
    (Role.EDITOR, False): {A.EDIT_CONTACTS, A.MANAGE_WORKFLOWS},
    (Role.VIEWER, True): set(),
    (Role.VIEWER, False): set(),
}


@pytest.mark.parametrize(("role", "access", "action"), [(r, g, a) for (r, g) in ALLOWED for a in Action])
def test_each_role_may_do_exactly_what_the_permission_table_says(role: Role, access: bool, action: Action) -> None:
    reason = refusal("pat", role, access, action)
    assert (reason is None) == (action in ALLOWED[(role, access)]), reason


def test_a_refusal_without_the_grant_says_how_to_get_it() -> None:
    reason = refusal("pat", Role.EDITOR, False, Action.CHANGE_STATUS)
    assert reason is not None
    assert "Marketing contact access" in reason and "users grant" in reason


def test_a_viewer_is_told_that_viewers_only_read() -> None:
    assert refusal("vic", Role.VIEWER, False, Action.EDIT_CONTACTS) == (
        "vic (viewer) may not create, edit or import contacts and lists: a viewer only reads"
    )


@pytest.mark.parametrize(("role", "granted"), [(Role.ADMIN, True), (Role.EDITOR, True), (Role.VIEWER, False)])
def test_admins_and_editors_get_marketing_access_by_default(role: Role, granted: bool) -> None:
    assert marketing_access_by_default(role) is granted


@pytest.mark.parametrize(
    ("actor", "internal"),
    [("system", True), ("workflow:12", True), ("workflow:", True), ("ada", False), ("systems", False), ("cli", False)],
)
def test_internal_actors_are_the_application_itself(actor: str, internal: bool) -> None:
    assert is_internal(actor) is internal


@pytest.mark.parametrize(("text", "name"), [("Ada", "ada"), (" ops.lead@example.com ", "ops.lead@example.com")])
def test_usernames_are_kept_lower_case(text: str, name: str) -> None:
    assert check_username(text) == name


@pytest.mark.parametrize("text", ["system", "workflow:1", "cli", "dashboard", "", "-x", "a b", "x" * 101, "é"])
def test_reserved_and_malformed_usernames_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        check_username(text)


def test_roles_parse_without_regard_to_case_and_name_the_choices_otherwise() -> None:
    assert Role.parse(" Editor ") == Role.EDITOR
    with pytest.raises(ValueError, match="admin, editor or viewer"):
        Role.parse("owner")
