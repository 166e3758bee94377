"""Property-based (hypothesis) over the whole command line, on SQLite and PostgreSQL (issue 11, finding 6).

Every command and every option is discovered from the parser itself (a new command is fuzzed without touching
this file); each option gets values a person or an attacker might type: the inputs that once gave a traceback
(20,000-deep JSON, a list as a filter property, 9999-12-31, ids and limits above 2^63, non-ASCII digits, a
workflow file that is ``[1]`` or ``null``, CSV dates whose offset leaves years 1-9999, a quote left open), the
database's own files as an output, and random text. What must hold, for each run of ``python -m core``:

- the exit code is 0, 2 or 3, and no exception escapes (no traceback);
- on an error, stderr is exactly one line starting ``error:``; on success, stdout is one JSON object;
- a refused command writes nothing: every table is as it was, and no output file appeared.

The test prints the table the issue's closing note reports (inputs, exits by code, tracebacks, partial writes).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from core.cli import build_parser, main
from core.cli.common import parse_date
from core.rules.roles import Role
from core.services import users
from core.services.setup import init
from core.services.workflows.definitions import create_workflow
from core.store.engine import make_engine
from tests.conftest import TODAY
from tests.factories import add_list, snapshot

EXAMPLES = 400
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same inputs on every run: CI stays deterministic
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
DEEP = "[" * 20_000 + "]" * 20_000
BIG = 2**63  # one more than SQLite stores in an INTEGER


@dataclass
class Command:
    words: tuple[str, ...]  # e.g. ("workflows", "create")
    parser: argparse.ArgumentParser


def commands(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()) -> Iterator[Command]:
    """Every leaf command of the parser, with its own parser (read from argparse, so none is forgotten)."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield Command(words, parser)
        return
    for name, child in subs[0].choices.items():
        yield from commands(child, (*words, name))


ALL_COMMANDS = list(commands(build_parser()))


def _json_texts() -> st.SearchStrategy[str]:
    condition = st.fixed_dictionaries(
        {
            "property": st.sampled_from(["email", "created_at", "lifecycle_stage", "list", "marketing_status"])
            | st.just(["email"])
            | st.just({"a": 1}),
            "operator": st.sampled_from(["eq", "before", "after", "in", "contains", "is_known"]) | st.just(["eq"]),
            "value": st.sampled_from(
                ["9999-12-31", "0001-01-01", "lead", "VIP", "marketing", "a@x.com", ["a", "b"], None, True, 2**70]
            )
            | st.text(max_size=20),
        }
    )
    return st.one_of(
        st.sampled_from([DEEP, "[]", "{}", "null", "[1]", '"x"', "[{", "", "1e999", "[" * 100 + "]" * 100]),
        st.lists(condition, min_size=1, max_size=3).map(json.dumps),
        st.just(json.dumps([{"property": "email", "operator": "contains", "value": "a"}] * 101)),
        st.just(json.dumps([{"property": "email", "operator": "in", "value": ["a"] * 1001}])),
    )


NUMBERS = st.one_of(
    st.sampled_from(["0", "1", "2", "-1", str(BIG), str(BIG - 1), str(2**64), "١٢", "1,000", "1e3", "", " 3", "0x10"]),
    st.integers(-(2**70), 2**70).map(str),
)
DATES = st.one_of(
    st.sampled_from(["9999-12-31", "0001-01-01", "2026-11-26", "2026-11-25", "2027-01-01", "2026-02-30", "", "x"]),
    st.dates().map(str),
)
TEXT = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\x00"), max_size=30),
    st.sampled_from(
        ["a@x.com", "VIP", "admin", "cli", "[x](https://phish.example)", "x" * 300, "İ" * 40, "a\nb", "-", "'=1"]
    ),
)


@dataclass
class Files:
    """The files the fuzzer names: inputs (workflow JSON, CSV) and outputs (some of them dangerous)."""

    inputs: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    out_dir: Path = Path()


def make_files(tmp: Path, db_url: str) -> Files:
    inputs = tmp / "in"
    inputs.mkdir()
    written = {
        "wf_list.json": "[1]",
        "wf_null.json": "null",
        "wf_deep.json": DEEP,
        "wf_ok.json": json.dumps(
            {
                "name": "fuzz",
                "criteria": [{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}],
                "actions": [{"type": "set_marketing_status", "to": "non_marketing"}],
            }
        ),
        "offsets.csv": "Email,Create Date\nz1@x.com,0001-01-01T00:00:00+05:00\nz2@x.com,9999-12-31T23:00:00-05:00\n",
        "open_quote.csv": 'Email,First Name\na13@x.com,"Bob\nb13@x.com,B\nc13@x.com,C',
        "ok.csv": "Email,First Name,Marketing contact status\nn1@x.com,Ann,Marketing contact\n",
        "long_values.csv": "Email,Lifecycle Stage\nl1@x.com,"
        + "İ" * 40
        + "\n"
        + "İ" * 64
        + "@"
        + "e" * 185
        + ".com,lead\n",
        "not_utf8.csv": "",
        ("x" * 150 + ".csv"): "Email\nlong@x.com\n",
    }
    for name, content in written.items():
        (inputs / name).write_text(content, encoding="utf-8")
    (inputs / "not_utf8.csv").write_bytes(b"Email\n\xff\xfe@x.com\n")
    out = tmp / "out"
    out.mkdir()
    db_files: list[str] = []
    if db_url.startswith("sqlite"):
        database = str(make_url(db_url).database)
        db_files = [database, database + "-wal", database + "-shm", database + "-journal"]
    return Files(
        inputs=[*(str(inputs / n) for n in written), str(inputs), str(inputs / "missing.csv"), "", "/dev/null"],
        outputs=[str(out / "export.csv"), str(out / "no" / "such" / "dir.csv"), str(out), *db_files, ""],
        out_dir=out,
    )


def values_for(action: argparse.Action, files: Files, command: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Values for one option, by what it reads."""
    dest = action.dest
    if action.choices:
        return st.one_of(st.sampled_from([str(c) for c in action.choices]), TEXT)
    if dest in ("filter", "criteria"):
        return _json_texts()
    if dest == "actions":
        return st.one_of(
            st.sampled_from(
                ["set_marketing_status:non-marketing", "add_to_list:VIP", "remove_from_list:nope", "x:y", "{}", "[1]"]
            ),
            st.just('{"type": ' + DEEP + "}"),
            TEXT,
        )
    if dest == "file" and command == ("export",):  # never over an input file: later examples read them
        return st.sampled_from(files.outputs)
    if dest == "file":
        return st.sampled_from(files.inputs)
    if dest == "csv":
        return st.sampled_from(files.outputs)
    if dest == "demo":  # a valid large demo is real work (bounded, but minutes): only the edges
        return st.sampled_from(["0", "3", "-1", "10000001", str(BIG), "١٢", "x"])
    if dest == "for_seconds":  # the worker runs until then: always a short while, or refused
        return st.sampled_from(["0", "0.05", "-1", "nan", "inf", "1e309", "x"])
    if dest in ("pause", "deadline", "poll", "updates_every", "workflows_every"):  # a long wait is real: only edges
        return st.sampled_from(["0", "0.001", "-1", "nan", "inf", "1e309", "86401", "x"])
    if dest == "ids":
        return st.one_of(
            st.lists(NUMBERS, min_size=1, max_size=3).map(",".join), st.sampled_from(["1,2", "١٢", ",", "1,,2"])
        )
    if dest == "emails":
        return st.one_of(st.sampled_from(["a@x.com", "n1@x.com,zz@x.com", "a@x.com\u200b", ",", "İ" * 64]), TEXT)
    if action.type is parse_date:
        return DATES
    if action.type is not None and action.type is not str:  # whole numbers, ids, limits, booleans, roles
        return st.one_of(NUMBERS, NUMBERS, TEXT)
    return TEXT


@st.composite
def command_lines(draw: Any, files: Files) -> tuple[str, list[str]]:
    """One command with some of its options, each with a drawn value."""
    command = draw(st.sampled_from(ALL_COMMANDS))
    parser = command.parser
    argv = list(command.words)
    exclusive = {id(a): g for g in parser._mutually_exclusive_groups for a in g._group_actions}
    chosen_in_group: dict[int, argparse.Action] = {}
    for group in parser._mutually_exclusive_groups:
        if group.required or draw(st.booleans()):
            chosen_in_group[id(group)] = draw(st.sampled_from(group._group_actions))
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or action.dest == "password_stdin":
            continue
        group = exclusive.get(id(action))
        if group is not None:
            if chosen_in_group.get(id(group)) is not action:
                continue
        elif (
            not action.required
            and action.dest != "for_seconds"  # never a worker without an end
            and action.option_strings
            and not draw(st.sampled_from([True, False, False]))
        ):
            continue
        if not action.option_strings:  # a positional argument
            if action.nargs == "?" and draw(st.booleans()):
                continue
            argv.append(draw(values_for(action, files, command.words)))
            continue
        option = draw(st.sampled_from(action.option_strings))
        if action.nargs == 0:
            argv.append(option)
        else:
            argv += [option, draw(values_for(action, files, command.words))]
    return " ".join(command.words), argv


@dataclass
class Tally:
    runs: int = 0
    exits: dict[int, int] = field(default_factory=dict)
    tracebacks: int = 0
    partial_writes: int = 0
    by_command: dict[str, dict[int, int]] = field(default_factory=dict)

    def add(self, command: str, code: int) -> None:
        self.runs += 1
        self.exits[code] = self.exits.get(code, 0) + 1
        self.by_command.setdefault(command, {}).setdefault(code, 0)
        self.by_command[command][code] += 1

    def table(self, engine_name: str) -> str:
        lines = [f"command line fuzz on {engine_name}: {self.runs} command lines, {len(self.by_command)} commands"]
        lines.append("| command | runs | exit 0 | exit 2 | exit 3 |")
        for command, codes in sorted(self.by_command.items()):
            lines.append(
                f"| {command} | {sum(codes.values())} | {codes.get(0, 0)} | {codes.get(2, 0)} | {codes.get(3, 0)} |"
            )
        lines.append(
            f"exits: {dict(sorted(self.exits.items()))}; tracebacks: {self.tracebacks}; "
            f"partial writes: {self.partial_writes}"
        )
        return "\n".join(lines)


def run_process_like(argv: list[str]) -> tuple[int, str, str]:
    """``python -m core`` in process: its exit code, stdout and stderr (an exception escaping is a traceback)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def account(db_url: str) -> Iterator[Engine]:
    """A Professional account with demo contacts, a static list, a workflow and an admin who acts (a user the fuzzer
    adds never locks the next command out): commands find things to act on."""
    engine = make_engine(db_url)
    init(engine, today=TODAY, actor="test", start_date=date(2026, 1, 15), demo=60, seed=5)
    add_list(engine, "VIP", [1, 2, 3])
    create_workflow(
        engine,
        definition={
            "name": "leads",
            "criteria": [{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}],
            "actions": [{"type": "set_marketing_status", "to": "non_marketing"}],
        },
        today=TODAY,
        actor="test",
    )
    users.add_user(engine, username="ada", role=Role.ADMIN, actor="test", today=TODAY)
    yield engine
    engine.dispose()


def test_every_command_line_exits_0_2_or_3_with_one_line_and_no_partial_write(
    account: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = make_files(tmp_path, db_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("a password\n"))
    tally = Tally()
    failures: list[str] = []

    @FUZZ
    @given(drawn=command_lines(files))
    def check(drawn: tuple[str, list[str]]) -> None:
        command, argv = drawn
        before = snapshot(account)
        outputs_before = sorted(p.name for p in files.out_dir.iterdir())
        try:
            code, out, err = run_process_like(["--db", db_url, "--actor", "ada", *argv])
        except BaseException as exc:  # what a process would print as a traceback
            tally.tracebacks += 1
            failures.append(f"traceback {type(exc).__name__}: {exc!s:.200} for {argv!r:.300}")
            return
        tally.add(command, code)
        assert code in (0, 2, 3), f"exit {code} for {argv!r:.300}: {err}"
        if code in (0, 3):
            assert out.count("\n") == 1 and isinstance(json.loads(out), dict), f"stdout for {argv!r:.300}: {out!r}"
        if code:
            assert err.startswith("error: ") and err.count("\n") == 1, f"stderr for {argv!r:.300}: {err!r}"
            assert "Traceback" not in err
        outputs_after = sorted(p.name for p in files.out_dir.iterdir())
        if code in (2, 3) and (snapshot(account) != before or outputs_after != outputs_before):
            tally.partial_writes += 1
            failures.append(f"partial write for {argv!r:.300}: {err}")

    check()
    print(tally.table(db_url.split(":")[0].split("+")[0]))
    assert not failures, "\n".join(failures[:20])
    assert tally.tracebacks == 0 and tally.partial_writes == 0
