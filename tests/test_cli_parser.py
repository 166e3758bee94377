"""The command line's parser, in process: every command reaches a handler and answers ``--help``."""

from __future__ import annotations

import argparse

import pytest

from core.cli import build_parser


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(groups[0].choices) if groups else {}


def commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The path of every command that runs something (``workflows run``, ``usage``), not the groups above them."""
    below = subcommands(parser)
    return [leaf for name, sub in below.items() for leaf in commands(sub, (*path, name))] if below else [path]


def command_parser(path: tuple[str, ...]) -> argparse.ArgumentParser:
    parser = build_parser()
    for name in path:
        parser = subcommands(parser)[name]
    return parser


COMMANDS = commands(build_parser())


def test_the_commands_are_all_found() -> None:
    assert len(COMMANDS) >= 40
    assert ("init",) in COMMANDS and ("workflows", "dry-run") in COMMANDS and ("users", "set-password") in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_has_a_handler_and_a_help(path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    assert callable(command_parser(path).get_default("handler"))
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args([*path, "--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: python -m core {' '.join(path)} ")


def test_only_init_may_run_on_a_database_never_initialised() -> None:
    assert [p for p in COMMANDS if command_parser(p).get_default("creates_account")] == [("init",)]
