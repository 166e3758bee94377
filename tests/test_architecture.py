"""Convention tests: the layering of docs/architecture.md, checked on the source so that a violation fails the build.

core/ never imports streamlit; core/rules/ is pure (no sqlalchemy, no storage or services, no clock);
pages never import sqlalchemy or core.store (they call core's services, which own the SQL); only page scripts
can be reached as pages (pages/<area>/name.py, registered with st.Page), helpers beside them are private
(pages/<area>/_name.py) and pages/shared/ holds widgets, never a page; the command modules in core/cli/ never
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


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_checks_see_the_files_they_guard() -> None:
    assert len(python_files("core", "rules")) >= 6
    assert any(p.name == "usage.py" for p in python_files("pages"))
    assert "pages/usage/usage.py" in registered_pages() and SIGNIN_PAGE in registered_pages()


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


@pytest.mark.parametrize("forbidden", ["sqlalchemy", "core.store"])
def test_pages_and_app_never_import_the_store_or_sqlalchemy(forbidden: str) -> None:
    files = [*python_files("pages"), ROOT / "app.py"]
    offenders = [rel(p) for p in files if uses(imported_modules(parse(p)), forbidden)]
    assert offenders == [], f"pages call core's services, never {forbidden}"


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


# --- Pages: only page scripts are reachable; private helpers beside them; shared widgets in one place ---

REGISTRARS = ("app.py", "pages/shared/access.py")  # the entry file's st.navigation, and the sign-in gate
SIGNIN_PAGE = "pages/admin/signin.py"
PAGE_LINES = 150
NOT_A_PATH = "<a page the check cannot read>"


def _string_constants(tree: ast.Module) -> dict[str, str]:
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def page_paths(tree: ast.Module, calls: tuple[str, ...] = ("Page",)) -> set[str]:
    """The files given to ``st.Page(...)`` (or to the other ``calls``): string literals or module constants."""
    constants = _string_constants(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in calls):
            continue
        first = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "page"), None)
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.add(first.value)
        elif isinstance(first, ast.Name) and first.id in constants:
            found.add(constants[first.id])
        else:
            found.add(NOT_A_PATH)
    return found


def registered_pages() -> set[str]:
    return set().union(*(page_paths(parse(ROOT / name)) for name in REGISTRARS))


def page_layout_problems(modules: list[str], registered: set[str]) -> list[str]:
    """What breaks the layout, given the modules under pages/ (paths from the root) and the registered pages."""
    problems = [f"{path} is registered but does not exist" for path in sorted(registered - set(modules))]
    for path in modules:
        parts = path.split("/")
        name = parts[-1]
        if len(parts) == 2 and name != "__init__.py":
            problems.append(f"{path}: the top of pages/ holds only __init__.py (pages live in an area)")
        elif len(parts) > 2 and parts[1] == "shared" and path in registered:
            problems.append(f"{path}: pages/shared/ holds widgets, never a page")
        elif len(parts) > 2 and parts[1] != "shared" and name.startswith("_") and path in registered:
            problems.append(f"{path}: a private helper (its name starts with _) is registered as a page")
        elif len(parts) > 2 and parts[1] != "shared" and not name.startswith("_") and path not in registered:
            problems.append(f"{path}: not registered with st.Page, so name it _{name} (a private helper)")
    return problems


def draws_at_import(tree: ast.Module) -> list[str]:
    """Top-level calls (``st.title(...)``, ``require_access()``): what a page script does, a module of widgets never."""
    return [
        f"line {node.lineno}"
        for node in tree.body
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call | ast.Await)
    ]


def test_only_page_scripts_are_reachable_as_pages() -> None:
    modules = [rel(p) for p in python_files("pages")]
    assert page_layout_problems(modules, registered_pages()) == []


def test_every_page_link_and_switch_goes_to_a_registered_page() -> None:
    targets = {
        rel(p): paths - registered_pages()
        for p in [*python_files("pages"), ROOT / "app.py"]
        if (paths := page_paths(parse(p), ("switch_page", "page_link")))
    }
    assert targets and {path: gone for path, gone in targets.items() if gone} == {}


def test_shared_widgets_draw_nothing_when_imported() -> None:
    offenders = {rel(p): calls for p in python_files("pages", "shared") if (calls := draws_at_import(parse(p)))}
    assert offenders == {}, "pages/shared/ holds no page script"


def test_no_module_under_pages_is_longer_than_a_page() -> None:
    long = {
        rel(p): n for p in python_files("pages") if (n := len(p.read_text(encoding="utf-8").splitlines())) > PAGE_LINES
    }
    assert long == {}, f"split by meaning into private helpers of the area: pages stay under {PAGE_LINES} lines"


@pytest.mark.parametrize(
    ("modules", "registered", "problem"),
    [
        pytest.param(["pages/__init__.py", "pages/usage/usage.py"], {"pages/usage/usage.py"}, None, id="all well"),
        pytest.param(["pages/usage.py"], set(), "the top of pages/", id="a page at the top of pages/"),
        pytest.param(["pages/usage/chart.py"], set(), "not registered", id="a helper without an underscore"),
        pytest.param(["pages/usage/_chart.py"], {"pages/usage/_chart.py"}, "private helper", id="a private page"),
        pytest.param(["pages/shared/session.py"], {"pages/shared/session.py"}, "never a page", id="a shared page"),
        pytest.param(["pages/usage/usage.py"], {"pages/usage/usage.py", "pages/usage/gone.py"}, "not exist", id="gone"),
        pytest.param(["pages/shared/widgets.py", "pages/usage/_chart.py"], set(), None, id="helpers need no page"),
    ],
)
def test_the_page_layout_check_catches_what_it_is_meant_to(
    modules: list[str], registered: set[str], problem: str | None
) -> None:
    found = page_layout_problems(modules, registered)
    assert (found == []) if problem is None else (len(found) == 1 and problem in found[0]), found


@pytest.mark.parametrize(
    ("source", "paths"),
    [
        pytest.param('st.Page("pages/a/b.py", title="B")', {"pages/a/b.py"}, id="a literal"),
        pytest.param('PAGE = "pages/a/b.py"\nst.Page(PAGE)', {"pages/a/b.py"}, id="a module constant"),
        pytest.param('st.Page(page="pages/a/b.py")', {"pages/a/b.py"}, id="a keyword"),
        pytest.param("st.Page(render_usage)", {NOT_A_PATH}, id="a callable is reported, not skipped"),
        pytest.param('st.page_link("pages/a/b.py")', set(), id="a link is no registration"),
    ],
)
def test_the_page_reader_finds_every_registration(source: str, paths: set[str]) -> None:
    assert page_paths(ast.parse(source)) == paths


@pytest.mark.parametrize(
    ("source", "draws"),
    [
        pytest.param('import streamlit as st\nst.title("Usage")', True, id="a page script"),
        pytest.param("from pages.shared import access\naccess.require_access()", True, id="a page's first check"),
        pytest.param(
            '"""Doc."""\nimport streamlit as st\nKEY = "k"\ndef draw() -> None:\n    st.title("x")', False, id="widgets"
        ),
    ],
)
def test_the_shared_check_tells_a_page_script_from_widgets(source: str, draws: bool) -> None:
    assert bool(draws_at_import(ast.parse(source))) is draws


@pytest.mark.parametrize(
    ("source", "store"),
    [
        pytest.param("from core.store.engine import make_engine", True, id="from core.store.x import"),
        pytest.param("from core.store import engine", True, id="from core.store import"),
        pytest.param("import core.store.schema", True, id="import core.store.x"),
        pytest.param("from core.services.setup import open_engine", False, id="a service"),
        pytest.param("from core.storage import x", False, id="a name that only starts alike"),
    ],
)
def test_the_store_check_catches_what_it_is_meant_to(source: str, store: bool) -> None:
    assert uses(imported_modules(ast.parse(source)), "core.store") is store


def classes_named_twice(files: dict[str, ast.AST]) -> dict[str, list[str]]:
    """Class names defined in more than one place (nested classes included), with where each one is."""
    where: dict[str, list[str]] = {}
    for name, tree in files.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                where.setdefault(node.name, []).append(f"{name}:{node.lineno}")
    return {cls: places for cls, places in where.items() if len(places) > 1}


def test_no_two_classes_in_core_share_a_name() -> None:
    found = classes_named_twice({rel(p): parse(p) for p in python_files("core")})
    assert found == {}, "give each class a name that says what it is"


def test_the_duplicate_class_check_catches_a_name_used_twice() -> None:
    files = {
        "core/a.py": ast.parse("class Outcome:\n    pass\nclass Only:\n    pass"),
        "core/b.py": ast.parse("def f():\n    class Outcome(str):\n        pass"),
    }
    assert classes_named_twice(files) == {"Outcome": ["core/a.py:1", "core/b.py:2"]}
