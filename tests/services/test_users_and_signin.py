"""Users, roles and grants; local sign-in with argon2, lockout and idle expiry; OIDC email mapping; all audited."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from core.errors import DomainError, PermissionDenied
from core.rules.roles import Role
from core.services import signin, users
from core.services.audit import AuditFilter, list_audit
from core.store.schema import operations, user_sessions
from core.store.schema import users as users_table
from tests.conftest import TODAY

PASSWORD = "correct horse battery"
T0 = datetime(2026, 11, 26, 9, 0, 0)


def _admin(engine: Engine) -> None:
    users.add_user(engine, username="Ada", role=Role.ADMIN, actor="cli", today=TODAY, password=PASSWORD)


def _kinds(engine: Engine) -> list[str]:
    return [e.kind for e in reversed(list_audit(engine, page_size=1000).entries)]


def test_the_first_user_must_be_an_admin(engine: Engine) -> None:
    with pytest.raises(DomainError, match="first user must be an admin"):
        users.add_user(engine, username="ed", role=Role.EDITOR, actor="cli", today=TODAY)
    assert users.list_users(engine) == []


def test_usernames_and_emails_are_unique_without_regard_to_case(engine: Engine) -> None:
    _admin(engine)
    with pytest.raises(DomainError, match="already exists"):
        users.add_user(engine, username="ADA", role=Role.ADMIN, actor="ada", today=TODAY)
    users.add_user(engine, username="ed", role=Role.EDITOR, actor="ada", today=TODAY, email="Ed@Example.com")
    with pytest.raises(DomainError, match=r"already has the email ed@example\.com"):
        users.add_user(engine, username="ed2", role=Role.EDITOR, actor="ada", today=TODAY, email="ED@example.COM")


@pytest.mark.parametrize(
    "email",
    [
        pytest.param("@", id="nothing around the at sign"),
        pytest.param("ed@", id="no domain"),
        pytest.param("ed@example", id="a domain of one label"),
        pytest.param("ed@@example.com", id="two at signs"),
        pytest.param("ed\x00@example.com", id="a NUL character"),
        pytest.param("e" * 250 + "@example.com", id="longer than 254 characters"),
    ],
)
def test_a_users_email_follows_the_same_rule_as_a_contacts(engine: Engine, email: str) -> None:
    _admin(engine)
    with pytest.raises(DomainError, match="invalid email"):
        users.add_user(engine, username="ed", role=Role.EDITOR, actor="ada", today=TODAY, email=email)
    assert [u.username for u in users.list_users(engine)] == ["ada"]


def test_passwords_are_stored_only_as_argon2_hashes(engine: Engine) -> None:
    _admin(engine)
    with engine.connect() as conn:
        stored = conn.execute(select(users_table.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    with pytest.raises(DomainError, match="8 to 1024 characters"):
        users.add_user(engine, username="short", role=Role.EDITOR, actor="ada", today=TODAY, password="1234567")


def test_signing_in_opens_a_session_that_signing_out_ends(engine: Engine) -> None:
    _admin(engine)
    session = signin.sign_in(engine, username=" ADA ", password=PASSWORD, today=TODAY, now=T0)
    assert (session.username, session.role, session.marketing_access) == ("ada", "admin", True)
    assert signin.resume(engine, token=session.token, now=T0 + timedelta(minutes=5)) == session
    with engine.connect() as conn:
        assert conn.execute(select(user_sessions.c.token_hash)).scalar_one() != session.token, "only a hash is kept"
    signin.sign_out(engine, token=session.token, today=TODAY, now=T0 + timedelta(minutes=6))
    assert signin.resume(engine, token=session.token, now=T0 + timedelta(minutes=7)) is None
    assert _kinds(engine) == ["user_added", "sign_in", "sign_out"]


def test_a_session_ends_after_thirty_minutes_without_activity_but_activity_keeps_it_open(engine: Engine) -> None:
    _admin(engine)
    session = signin.sign_in(engine, username="ada", password=PASSWORD, today=TODAY, now=T0)
    for minutes in (20, 40, 60):  # each visit less than 30 minutes after the last one
        assert signin.resume(engine, token=session.token, now=T0 + timedelta(minutes=minutes)) is not None
    assert signin.resume(engine, token=session.token, now=T0 + timedelta(minutes=91)) is None
    assert signin.resume(engine, token=session.token, now=T0 + timedelta(minutes=92)) is None, "it stays ended"
    assert signin.resume(engine, token="made-up-token", now=T0) is None


def test_five_failed_attempts_lock_the_account_for_fifteen_minutes(engine: Engine) -> None:
    _admin(engine)
    for attempt in range(5):
        with pytest.raises(signin.SignInRefused, match="wrong username or password"):
            signin.sign_in(engine, username="ada", password=f"guess {attempt}", today=TODAY, now=T0)
    with pytest.raises(signin.SignInRefused, match="wrong username or password"):
        signin.sign_in(engine, username="ada", password=PASSWORD, today=TODAY, now=T0 + timedelta(seconds=30))
    with pytest.raises(signin.SignInRefused, match="wrong username or password"):
        signin.sign_in(engine, username="ada", password=PASSWORD, today=TODAY, now=T0 + timedelta(minutes=14))
    assert signin.sign_in(engine, username="ada", password=PASSWORD, today=TODAY, now=T0 + timedelta(minutes=15))
    assert _kinds(engine).count("sign_in_failed") == 7


def test_a_success_resets_the_count_of_failed_attempts(engine: Engine) -> None:
    _admin(engine)
    for _ in range(2):
        for attempt in range(4):
            with pytest.raises(signin.SignInRefused):
                signin.sign_in(engine, username="ada", password=f"guess {attempt}", today=TODAY, now=T0)
        signin.sign_in(engine, username="ada", password=PASSWORD, today=TODAY, now=T0)


def test_a_failed_sign_in_leaves_no_password_in_the_audit_trail(engine: Engine) -> None:
    _admin(engine)
    secrets = ["Typed-In-The-Wrong-Box-1", "hunter2-but-longer"]
    with pytest.raises(signin.SignInRefused):
        signin.sign_in(engine, username=secrets[0], password=PASSWORD, today=TODAY)  # password in the name field
    with pytest.raises(signin.SignInRefused):
        signin.sign_in(engine, username="ada", password=secrets[1], today=TODAY)
    with engine.connect() as conn:
        rows = [" ".join(str(v) for v in r) for r in conn.execute(select(operations))]
    text = " ".join(rows).lower()
    assert all(s.lower() not in text for s in [*secrets, PASSWORD])
    assert list_audit(engine, criteria=AuditFilter(kinds=("sign_in_failed",))).total == 2


def test_a_disabled_user_cannot_sign_in_and_their_open_sessions_end(engine: Engine) -> None:
    _admin(engine)
    users.add_user(engine, username="ed", role=Role.EDITOR, actor="ada", today=TODAY, password=PASSWORD)
    session = signin.sign_in(engine, username="ed", password=PASSWORD, today=TODAY)
    users.set_disabled(engine, username="ed", disabled=True, actor="ada", today=TODAY)
    assert signin.resume(engine, token=session.token) is None
    with pytest.raises(signin.SignInRefused):
        signin.sign_in(engine, username="ed", password=PASSWORD, today=TODAY)
    users.set_disabled(engine, username="ed", disabled=False, actor="ada", today=TODAY)
    assert signin.sign_in(engine, username="ed", password=PASSWORD, today=TODAY).username == "ed"


def test_the_last_enabled_admin_can_be_neither_disabled_nor_demoted(engine: Engine) -> None:
    _admin(engine)
    with pytest.raises(DomainError, match="last enabled admin"):
        users.set_disabled(engine, username="ada", disabled=True, actor="ada", today=TODAY)
    with pytest.raises(DomainError, match="last enabled admin"):
        users.set_role(engine, username="ada", role=Role.EDITOR, actor="ada", today=TODAY)
    users.add_user(engine, username="bo", role=Role.ADMIN, actor="ada", today=TODAY)
    assert users.set_role(engine, username="ada", role=Role.EDITOR, actor="bo", today=TODAY).role == "editor"


def test_only_admins_manage_users(engine: Engine) -> None:
    _admin(engine)
    users.add_user(engine, username="ed", role=Role.EDITOR, actor="ada", today=TODAY, password=PASSWORD)
    with pytest.raises(PermissionDenied, match=r"ed \(editor\) may not manage users"):
        users.add_user(engine, username="eve", role=Role.ADMIN, actor="ed", today=TODAY)
    with pytest.raises(PermissionDenied):
        users.set_role(engine, username="ed", role=Role.ADMIN, actor="ed", today=TODAY)
    with pytest.raises(PermissionDenied, match="not a Marketable user"):
        users.set_marketing_access(engine, username="ed", granted=False, actor="nobody", today=TODAY)
    with pytest.raises(PermissionDenied):
        users.set_password(engine, username="ada", password="a new password", actor="ed", today=TODAY)
    users.set_password(engine, username="ed", password="ed's own new password", actor="ed", today=TODAY)
    assert signin.sign_in(engine, username="ed", password="ed's own new password", today=TODAY)


def test_viewers_cannot_hold_marketing_access_and_regain_the_default_when_promoted(engine: Engine) -> None:
    _admin(engine)
    viewer = users.add_user(engine, username="vic", role=Role.VIEWER, actor="ada", today=TODAY)
    assert viewer.marketing_access is False
    with pytest.raises(DomainError, match="viewer and only reads"):
        users.set_marketing_access(engine, username="vic", granted=True, actor="ada", today=TODAY)
    assert users.set_role(engine, username="vic", role=Role.EDITOR, actor="ada", today=TODAY).marketing_access
    users.set_marketing_access(engine, username="vic", granted=False, actor="ada", today=TODAY)
    assert not users.set_role(engine, username="vic", role=Role.ADMIN, actor="ada", today=TODAY).marketing_access


def test_an_identity_provider_email_maps_to_its_user_and_unknown_emails_get_no_access(engine: Engine) -> None:
    _admin(engine)
    users.add_user(engine, username="ed", role=Role.EDITOR, actor="ada", today=TODAY, email="ed@example.com")
    assert signin.sign_in_oidc(engine, email="Ed@Example.com", today=TODAY).username == "ed"
    with pytest.raises(signin.SignInRefused, match=r"stranger@example\.com has no access"):
        signin.sign_in_oidc(engine, email="stranger@example.com", today=TODAY)
    with pytest.raises(signin.SignInRefused):
        signin.sign_in_oidc(engine, email="", today=TODAY)
    with pytest.raises(signin.SignInRefused, match="wrong username or password"):
        signin.sign_in(engine, username="ed", password="anything at all", today=TODAY)  # no local password


def test_every_user_change_is_recorded_with_its_actor(engine: Engine) -> None:
    _admin(engine)
    users.add_user(engine, username="ed", role=Role.EDITOR, actor="ada", today=TODAY)
    users.set_marketing_access(engine, username="ed", granted=False, actor="ada", today=TODAY)
    users.set_marketing_access(engine, username="ed", granted=True, actor="ada", today=TODAY)
    users.set_role(engine, username="ed", role=Role.VIEWER, actor="ada", today=TODAY)
    users.set_disabled(engine, username="ed", disabled=True, actor="ada", today=TODAY)
    page = list_audit(engine, criteria=AuditFilter(actor="ada", source_type="user"))
    assert [(e.kind, e.source_id) for e in reversed(page.entries)] == [
        ("user_added", "ed"),
        ("user_revoked", "ed"),
        ("user_granted", "ed"),
        ("user_role_set", "ed"),
        ("user_disabled", "ed"),
    ]
    assert page.entries[1].summary == {"role": "viewer", "marketing_access": False}


def test_a_username_or_email_with_a_nul_character_is_refused_like_any_unknown_name(engine: Engine) -> None:
    _admin(engine)
    with pytest.raises(signin.SignInRefused, match="wrong username or password"):
        signin.sign_in(engine, username="ada\x00", password=PASSWORD, today=TODAY)
    with pytest.raises(signin.SignInRefused, match="no access"):
        signin.sign_in_oidc(engine, email="ada\x00@example.com", today=TODAY)


def test_a_locked_an_unknown_and_a_disabled_user_read_the_same_refusal_the_readme_quotes(engine: Engine) -> None:
    _admin(engine)
    users.add_user(engine, username="dis", role=Role.EDITOR, actor="ada", today=TODAY, password=PASSWORD)
    users.set_disabled(engine, username="dis", disabled=True, actor="ada", today=TODAY)
    for attempt in range(5):
        with pytest.raises(signin.SignInRefused):
            signin.sign_in(engine, username="ada", password=f"guess {attempt}", today=TODAY, now=T0)
    said = set()
    for username, password in (("ada", PASSWORD), ("nobody", PASSWORD), ("dis", PASSWORD), ("ada", "wrong")):
        with pytest.raises(signin.SignInRefused) as refused:
            signin.sign_in(engine, username=username, password=password, today=TODAY, now=T0 + timedelta(minutes=1))
        said.add(str(refused.value))
    assert said == {"wrong username or password (5 failed attempts in a row lock an account for 15 minutes)"}
    readme = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8").split())
    assert f"“{said.pop()}”" in readme, "the README quotes the message users see"
