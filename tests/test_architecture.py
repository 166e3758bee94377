"""Convention tests: the layering of STYLE.md, checked on the source so that a violation fails the build.

core/ never imports streamlit; core/rules/ is pure (no sqlalchemy, no storage or services, no clock);
pages never import sqlalchemy (they call core, which owns the SQL); the command modules in core/cli/ never
import the core.cli package that imports them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLOCK_CALLS = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today"), ("time", "time")}


def imported_modules(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            if node.module == "time" and any(a.name == "time" for a in node.names):
                found.add("time.time")
    return found


def names_imported(tree: ast.AST, package: str) -> set[str]:
    """Every module an import may load (relative ones resolved in ``package``); ``from a import b`` names a and a.b."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = ".".join(parts[: len(parts) - node.level + 1]) if node.level else ""
            module = ".".join(p for p in (base, node.module) if p)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def clock_reads(tree: ast.AST) -> list[str]:
    """Calls like datetime.now(), date.today(), datetime.datetime.now(), time.time()."""
    reads = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else ""
            if (name, node.func.attr) in CLOCK_CALLS:
                reads.append(f"line {node.lineno}: {name}.{node.func.attr}()")
    return reads


def uses(modules: set[str], package: str) -> bool:
    return any(m == package or m.startswith(package + ".") for m in modules)


def python_files(*parts: str) -> list[Path]:
    return sorted((ROOT.joinpath(*parts)).rglob("*.py"))


def parse(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_checks_see_the_files_they_guard() -> None:
    assert len(python_files("core", "rules")) >= 6
    assert any(p.name == "usage.py" for p in python_files("pages"))


def test_core_never_imports_streamlit() -> None:
    offenders = [rel(p) for p in python_files("core") if uses(imported_modules(parse(p)), "streamlit")]
    assert offenders == []


@pytest.mark.parametrize("forbidden", ["sqlalchemy", "alembic", "streamlit", "pandas", "core.store", "core.services"])
def test_core_rules_stay_pure(forbidden: str) -> None:
    offenders = [rel(p) for p in python_files("core", "rules") if uses(imported_modules(parse(p)), forbidden)]
    assert offenders == [], f"core/rules must not import {forbidden}"


def test_core_rules_never_read_the_clock() -> None:
    offenders = {rel(p): reads for p in python_files("core", "rules") if (reads := clock_reads(parse(p)))}
    offenders.update(
        {rel(p): ["imports time"] for p in python_files("core", "rules") if "time.time" in imported_modules(parse(p))}
    )
    assert offenders == {}, "rules take `today` as a parameter"


def test_pages_never_import_sqlalchemy() -> None:
    files = [*python_files("pages"), ROOT / "app.py"]
    offenders = [rel(p) for p in files if uses(imported_modules(parse(p)), "sqlalchemy")]
    assert offenders == []


def test_command_modules_never_import_the_cli_package() -> None:
    """core/cli/__init__.py imports every command module; one that imported core.cli back would make a cycle."""
    modules = [p for p in python_files("core", "cli") if p.name != "__init__.py"]
    assert len(modules) >= 6
    offenders = [rel(p) for p in modules if "core.cli" in names_imported(parse(p), "core.cli")]
    assert offenders == [], "import what command modules share from core.cli.common"


@pytest.mark.parametrize(
    ("source", "imports_the_package"),
    [
        ("from core.cli import run", True),
        ("import core.cli", True),
        ("from core import cli", True),
        ("from . import common", True),
        ("from core.cli.common import Parser", False),
        ("from .common import Parser", False),
        ("from core.services import status", False),
    ],
)
def test_the_cli_cycle_check_catches_what_it_is_meant_to(source: str, imports_the_package: bool) -> None:
    assert ("core.cli" in names_imported(ast.parse(source), "core.cli")) is imports_the_package


@pytest.mark.parametrize(
    ("source", "streamlit", "sqlalchemy", "clock"),
    [
        pytest.param("import streamlit as st", True, False, False, id="import streamlit"),
        pytest.param("from streamlit.testing.v1 import AppTest", True, False, False, id="from streamlit.x import"),
        pytest.param("import sqlalchemy", False, True, False, id="import sqlalchemy"),
        pytest.param("from sqlalchemy import select", False, True, False, id="from sqlalchemy import"),
        pytest.param("from datetime import datetime\nx = datetime.now()", False, False, True, id="datetime.now"),
        pytest.param("import datetime\nx = datetime.datetime.now()", False, False, True, id="datetime.datetime.now"),
        pytest.param("from datetime import date\nx = date.today()", False, False, True, id="date.today"),
        pytest.param("import time\nx = time.time()", False, False, True, id="time.time"),
        pytest.param("from datetime import date\nx = date(2026, 1, 1)", False, False, False, id="a fixed date"),
        pytest.param("from core.rules import tiers", False, False, False, id="a pure import"),
    ],
)
def test_the_checks_catch_what_they_are_meant_to(source: str, streamlit: bool, sqlalchemy: bool, clock: bool) -> None:
    tree = ast.parse(source)
    modules = imported_modules(tree)
    assert uses(modules, "streamlit") is streamlit
    assert uses(modules, "sqlalchemy") is sqlalchemy
    assert bool(clock_reads(tree)) is clock
