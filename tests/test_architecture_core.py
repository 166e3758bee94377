"""Convention tests for core/ (docs/architecture.md), checked on the source so that a violation fails the build:

- no import cycle between modules of core/;
- no module of core/ over 400 lines;
- a contact's state is read or written as SQL only in core/store/states.py (the store derives it from the
  transition table of core/rules/status.py; tests/store/test_states.py compares the two).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "core"
MAX_LINES = 400
STATE_COLUMNS = {"marketing_status", "pending_non_marketing", "effective_on"}
STATE_SQL_HOME = {"core/store/states.py"}
STATE_TABLE = "contact_status"  # where the state lives (migration 0008): only states.py names it
SCHEMA = ("core/store/schema/", "core/store/migrations/")  # where the columns are declared and created
PURE = "core/rules/"  # no SQL there at all (tests/test_architecture.py): its names are the filter model's
STATE_SQL_TEXT = re.compile(r"\b(marketing_status|pending_non_marketing)\b\s*(=|<>|!=|\bIN\b|\bIS\b)", re.I)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(files: dict[str, ast.AST]) -> dict[str, set[str]]:
    """Module -> the core modules it imports (anywhere in it, function-level imports included)."""
    graph: dict[str, set[str]] = {}
    for name, tree in files.items():
        edges: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                edges.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    edges.add(sub if sub in files else node.module)
        graph[name] = {e for e in edges if e in files and e != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while (w := stack.pop()) != v:
                group.append(w)
            group.append(v)
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _on_contacts(table: ast.expr, column: str) -> bool:
    """``effective_on`` is also a column of the event log and of tier changes: only the contacts' one counts."""
    return column != "effective_on" or (isinstance(table, ast.Name) and table.id in ("contacts", STATE_TABLE))


def state_sql(tree: ast.AST) -> list[str]:
    """Places that read or write a contact's state columns as SQL: ``x.c.marketing_status``, ``x.c["..."]``,
    ``.values(marketing_status=...)``, a dict written with such a key, or SQL text on those columns."""
    found = []
    read_keys = {id(n.slice) for n in ast.walk(tree) if isinstance(n, ast.Subscript)}  # row["..."] reads a row
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Name) and node.id == STATE_TABLE:
            found.append(f"line {line}: the table {STATE_TABLE}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and STATE_TABLE in node.value:
            found.append(f"line {line}: the table {STATE_TABLE} named in text")
        if (
            isinstance(node, ast.Constant)
            and node.value in STATE_COLUMNS - {"effective_on"}
            and id(node) not in read_keys
        ):
            found.append(f"line {line}: the column name {node.value!r}")
        if isinstance(node, ast.Attribute) and node.attr in STATE_COLUMNS:
            owner = node.value
            if isinstance(owner, ast.Attribute) and owner.attr == "c" and _on_contacts(owner.value, node.attr):
                found.append(f"line {line}: .c.{node.attr}")
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "c":
            key = node.slice
            if isinstance(key, ast.Constant) and key.value in STATE_COLUMNS:
                found.append(f"line {line}: .c[{key.value!r}]")
        elif isinstance(node, ast.Call):
            found += [f"line {line}: {k.arg}=" for k in node.keywords if k.arg in STATE_COLUMNS - {"effective_on"}]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and STATE_SQL_TEXT.search(node.value):
            found.append(f"line {line}: SQL text {node.value[:40]!r}")
    return found


def core_files() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(CORE.rglob("*.py"))}


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_checks_see_the_modules_they_guard() -> None:
    files = core_files()
    assert "core.store.states" in files and "core.rules.status" in files and len(files) > 60


def test_core_has_no_import_cycle() -> None:
    trees = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in core_files().items()}
    assert cycles(import_graph(trees)) == []


def test_no_module_of_core_is_over_400_lines() -> None:
    sizes = {rel(p): len(p.read_text(encoding="utf-8").splitlines()) for p in core_files().values()}
    assert {name: n for name, n in sizes.items() if n > MAX_LINES and not name.startswith(SCHEMA[1])} == {}


def test_a_contacts_state_is_sql_only_in_its_one_module() -> None:
    offenders = {}
    for path in core_files().values():
        name = rel(path)
        if name in STATE_SQL_HOME or name.startswith((*SCHEMA, PURE)):
            continue
        if places := state_sql(ast.parse(path.read_text(encoding="utf-8"))):
            offenders[name] = places
    assert offenders == {}, "ask core.store.states for the state (see its docstring)"


@pytest.mark.parametrize(
    ("source", "found"),
    [
        pytest.param("q = contacts.c.marketing_status == 'marketing'", True, id="a status column compared"),
        pytest.param("q = contacts.c['pending_non_marketing']", True, id="a status column by key"),
        pytest.param("q = contacts.c.effective_on <= day", True, id="the day a contact leaves on"),
        pytest.param("q = status_events.c.effective_on <= day", False, id="the day an event counts from"),
        pytest.param("u = update(contacts).values(marketing_status='x')", True, id="a status written"),
        pytest.param("v = {'pending_non_marketing': True}", True, id="a status written as a dict"),
        pytest.param("cols = ('id', 'marketing_status')", True, id="a status column named for raw SQL"),
        pytest.param("t = text('SELECT 1 WHERE marketing_status = :s')", True, id="SQL text on a status"),
        pytest.param("s = State.of(row['marketing_status'], row['pending_non_marketing'])", False, id="a row read"),
        pytest.param("q = states.is_state(State.PENDING)", False, id="asking the states module"),
        pytest.param("q = select(contact_status.c.contact_id)", True, id="the status table read directly"),
        pytest.param("q = contacts.join(contact_status)", True, id="the status table joined by hand"),
        pytest.param("t = text('DELETE FROM contact_status')", True, id="the status table in SQL text"),
        pytest.param("q = select(contacts.c.id).select_from(states.ROWS)", False, id="the states module's join"),
    ],
)
def test_the_state_check_catches_what_it_is_meant_to(source: str, found: bool) -> None:
    assert bool(state_sql(ast.parse(source))) is found


def test_the_cycle_check_catches_a_cycle_and_passes_a_chain() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    trees = {"core.x": ast.parse("from core.y import f"), "core.y": ast.parse("import core.x")}
    assert cycles(import_graph(trees)) == [["core.x", "core.y"]]
