"""Find, by reading the source (ast), which public services check access and which ones write."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

SERVICES = Path(__file__).resolve().parents[2] / "core" / "services"
UNIT_OF_WORK = "unit."  # core/services/unit.py: the write context the services open, not a service itself
WRITE_CALLS = {"write", "begin", "short_write"}  # db.write(engine), engine.begin(), workflow_attempts.short_write


@dataclass
class Function:
    name: str  # module.function
    takes_conn: bool  # runs inside someone else's unit of work
    calls: set[str] = field(default_factory=set)  # resolved module.function names and bare call names


def _imports(tree: ast.Module, module: str) -> dict[str, str]:
    names = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                local = alias.asname or alias.name
                if node.module == "core.services" or (
                    node.module.startswith("core.services.") and _is_package(node.module)
                ):
                    package = node.module.removeprefix("core.services").lstrip(".")
                    names[local] = f"module:{package + '.' if package else ''}{alias.name}"
                elif node.module.startswith("core.services."):
                    names[local] = f"{node.module.removeprefix('core.services.')}.{alias.name}"
    return names


def _is_package(module: str) -> bool:
    return (SERVICES.parent.parent / module.replace(".", "/") / "__init__.py").exists()


def scan() -> dict[str, Function]:
    """Every function of core/services and its sub-packages, named by its module path (``workflows.engine.run``)."""
    functions: dict[str, Function] = {}
    for path in sorted(SERVICES.rglob("*.py")):
        module = ".".join(path.relative_to(SERVICES).with_suffix("").parts)
        tree = ast.parse(path.read_text())
        imported = _imports(tree, module)
        local = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef):
                continue
            args = [a.arg for a in node.args.args]
            fn = Function(f"{module}.{node.name}", bool(args) and args[0] == "conn")
            for call in (c for c in ast.walk(node) if isinstance(c, ast.Call)):
                target = call.func
                if isinstance(target, ast.Name):
                    name = target.id
                    fn.calls.add(f"{module}.{name}" if name in local else imported.get(name, name))
                elif isinstance(target, ast.Attribute):
                    owner = target.value.id if isinstance(target.value, ast.Name) else ""
                    resolved = imported.get(owner, "")
                    fn.calls.add(f"{resolved[7:]}.{target.attr}" if resolved.startswith("module:") else target.attr)
            functions[fn.name] = fn
    return functions


def _reaches(functions: dict[str, Function], start: str, wanted: set[str]) -> bool:
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        calls = functions[name].calls if name in functions else set()
        if calls & wanted:
            return True
        todo.extend(c for c in calls if c in functions)
    return False


def public_entry_points(functions: dict[str, Function]) -> list[str]:
    """Services a page or the command line calls: public, and opening their own unit of work."""
    return [
        n
        for n, f in functions.items()
        if not n.rsplit(".", 1)[1].startswith("_") and not f.takes_conn and not n.startswith(UNIT_OF_WORK)
    ]


def checking_access(functions: dict[str, Function]) -> set[str]:
    return {n for n in public_entry_points(functions) if _reaches(functions, n, {"authorize", "require_person"})}


def writing(functions: dict[str, Function]) -> set[str]:
    return {n for n in public_entry_points(functions) if _reaches(functions, n, WRITE_CALLS)}
