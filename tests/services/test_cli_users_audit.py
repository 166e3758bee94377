"""``python -m core users ...`` and ``audit``; once users exist the command line acts only as an enabled user."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.conftest import Cli

PASSWORD = "correct horse battery"


@pytest.fixture
def admin(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    added = cli("users", "add", "--username", "Ada", "--role", "admin", "--password-stdin")
    assert added["user"]["username"] == "ada" and added["user"]["has_password"]
    return cli


def test_anyone_acts_in_local_mode_and_the_first_admin_can_be_added(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("users", "list") == {"users": []}
    cli("set-status", "--to", "non-marketing", "--unengaged")  # default actor "cli" while no user exists
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    cli("--actor", "whoever", "users", "add", "--username", "ada", "--role", "admin", "--password-stdin")
    assert [u["username"] for u in cli("--actor", "ada", "users", "list")["users"]] == ["ada"]


def test_once_users_exist_the_actor_must_be_an_enabled_user(admin: Cli) -> None:
    admin("usage", expect=2)
    assert "'cli' is not a Marketable user" in admin.message and "--actor USERNAME" in admin.message
    admin("--actor", "system", "apply-updates", expect=2)
    assert "not a Marketable user" in admin.message, "the command line never acts as the application itself"
    admin("--actor", "workflow:1", "set-status", "--to", "marketing", "--unengaged", expect=2)
    admin("--actor", "nobody", "init", "--edition", "enterprise", expect=2)
    assert admin("--actor", "ADA", "usage")["edition"] == "professional"


def test_a_disabled_user_cannot_act_from_the_command_line(admin: Cli) -> None:
    admin("--actor", "ada", "users", "add", "--username", "ed", "--role", "editor")
    admin("--actor", "ada", "users", "disable", "--username", "ed")
    admin("--actor", "ed", "usage", expect=2)
    assert "'ed' is disabled" in admin.message
    admin("--actor", "ada", "users", "enable", "--username", "ed")
    admin("--actor", "ed", "usage")


def test_revoking_marketing_access_refuses_set_status_and_granting_it_again_allows_it(admin: Cli) -> None:
    admin("--actor", "ada", "users", "add", "--username", "ed", "--role", "editor")
    admin("--actor", "ada", "users", "revoke", "--username", "ed")
    admin("--actor", "ed", "set-status", "--to", "non-marketing", "--unengaged", expect=2)
    assert "Marketing contact access permission is not granted" in admin.message
    admin("--actor", "ed", "set-status", "--to", "non-marketing", "--unengaged", "--dry-run")  # a preview only reads
    admin("--actor", "ada", "users", "grant", "--username", "ed")
    admin("--actor", "ed", "set-status", "--to", "non-marketing", "--unengaged")
    admin("--actor", "ada", "users", "set-role", "--username", "ed", "--role", "viewer")
    admin("--actor", "ed", "set-status", "--to", "non-marketing", "--unengaged", expect=2)
    assert "ed (viewer) may not change marketing contact status" in admin.message


def test_an_unknown_role_or_user_exits_2_with_a_message(admin: Cli) -> None:
    admin("--actor", "ada", "users", "add", "--username", "x", "--role", "owner", expect=2)
    assert "admin, editor or viewer" in admin.message
    admin("--actor", "ada", "users", "grant", "--username", "ghost", expect=2)
    assert admin.message == "no user 'ghost'"


def test_password_stdin_with_nothing_on_stdin_exits_2(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    cli("users", "add", "--username", "ada", "--role", "admin", "--password-stdin", expect=2)
    assert "nothing on standard input" in cli.message


def test_audit_lists_user_changes_and_status_changes_with_filters(admin: Cli) -> None:
    admin("--actor", "ada", "init", "--demo", "200")
    admin("--actor", "ada", "users", "add", "--username", "ed", "--role", "editor")
    admin("--actor", "ed", "set-status", "--to", "non-marketing", "--unengaged")
    everything = admin("--actor", "ada", "audit")
    assert [e["kind"] for e in everything["entries"]] == ["set_status", "user_added", "demo", "user_added"]
    by_ed = admin("--actor", "ada", "audit", "--actor", "ed")
    assert [(e["kind"], e["actor"], e["source_type"]) for e in by_ed["entries"]] == [
        ("set_status", "ed", "bulk_action")
    ]
    assert admin("--actor", "ada", "audit", "--kind", "user_added")["total"] == 2
    assert admin("--actor", "ada", "audit", "--source", "bulk_action")["total"] == 1
    assert admin("--actor", "ada", "audit", "--since", "2026-11-27")["total"] == 0
    assert admin("--actor", "ada", "audit", "--until", "2026-11-25")["total"] == 0
    assert admin("--actor", "ada", "audit", "--since", "2026-11-26", "--until", "2026-11-26")["total"] == 4
    paged = admin("--actor", "ada", "audit", "--limit", "3", "--page", "2")
    assert (paged["total"], paged["pages"], len(paged["entries"])) == (4, 2, 1)
    admin("--actor", "ada", "audit", "--since", "2026-12-01", "--until", "2026-11-01", expect=2)


def test_audit_csv_export_has_every_matching_entry_with_formulas_neutralised(admin: Cli, tmp_path: Path) -> None:
    admin("--actor", "ada", "users", "add", "--username", "ed", "--role", "editor", "--display-name", "=HYPERLINK(1)")
    target = tmp_path / "audit.csv"
    result = admin("--actor", "ada", "audit", "--csv", str(target))
    rows = list(csv.reader(target.open(encoding="utf-8")))
    assert result == {"exported": 2, "file": str(target)}
    assert rows[0] == [
        "Operation ID",
        "Requested at",
        "Kind",
        "Actor",
        "Source type",
        "Source ID",
        "Details",
        "Acted on",
    ]
    assert [r[2] for r in rows[1:]] == ["user_added", "user_added"]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
