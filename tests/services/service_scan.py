"""Find, by reading the source (ast), which public services check access, which ones write, which ones can move a
contact's status, which ones ask for Marketing contact access and which ones record an operation."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

SERVICES = Path(__file__).resolve().parents[2] / "core" / "services"
UNIT_OF_WORK = "unit."  # core/services/unit.py: the write context the services open, not a service itself
WRITE_CALLS = {"write", "begin", "short_write"}  # db.write(engine), engine.begin(), workflow_attempts.short_write
STATUS_WRITES = {  # calls that move contacts into a state: the transition table in SQL, a tool's new contact
    "apply",  # core.store.states.apply
    "move",  # Unit.move
    "change_status",  # core.services.status.change_status
    "insert_new",  # core.store.contact_writes.insert_new
}
STATUS_SQL = {  # bulk writers of contacts in a state with their events (imports, demo data)
    "INSERT INTO status_events",  # the events in plain SQL
    "BulkWriter",  # core.store.bulk_contacts.BulkWriter (since the import reorganisation)
}
GRANT = {"CHANGE_STATUS"}  # Action.CHANGE_STATUS named: needs=..., unit.require(...), authorize(...)
OPERATION_CALLS = {"start_operation", "start"}  # core.store.events.start_operation, Unit.start
# Not followed when looking for status writes: the update dates that have come, applied inside every unit
# (nobody's decision, docs/domain.md §3), and the unit of work itself (``unit.move`` is found where it is called).
NOT_A_DECISION = ("update_dates.", UNIT_OF_WORK)


@dataclass
class Function:
    name: str  # module.function, module.Class.method, or module.Class (calling it may call every method)
    takes_conn: bool  # runs inside someone else's unit of work
    calls: set[str] = field(default_factory=set)  # resolved module.function names and bare call names
    names: set[str] = field(default_factory=set)  # every name and attribute it mentions, and what its SQL inserts into
    method: bool = False  # a method or a class: never a service a page calls by itself


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


def _mentions(node: ast.AST) -> set[str]:
    """Names (``Action.CHANGE_STATUS`` gives ``Action`` and ``CHANGE_STATUS``) and the tables SQL text inserts into."""
    found: set[str] = set()
    for item in ast.walk(node):
        if isinstance(item, ast.Name):
            found.add(item.id)
        elif isinstance(item, ast.Attribute):
            found.add(item.attr)
        elif isinstance(item, ast.Constant) and isinstance(item.value, str) and "INSERT INTO " in item.value:
            found.add(" ".join(item.value.split()[:3]))  # "INSERT INTO <table>"
    return found


def _function(
    node: ast.FunctionDef, name: str, *, module: str, local: set[str], imported: dict[str, str], owner: str = ""
) -> Function:
    args = [a.arg for a in node.args.args]
    fn = Function(name, bool(args) and args[0] == "conn", names=_mentions(node), method=bool(owner))
    for call in (c for c in ast.walk(node) if isinstance(c, ast.Call)):
        target = call.func
        if isinstance(target, ast.Name):
            fn.calls.add(f"{module}.{target.id}" if target.id in local else imported.get(target.id, target.id))
        elif isinstance(target, ast.Attribute):
            holder = target.value.id if isinstance(target.value, ast.Name) else ""
            resolved = imported.get(holder, "")
            if holder == "self" and owner:
                fn.calls.add(f"{module}.{owner}.{target.attr}")
            fn.calls.add(f"{resolved[7:]}.{target.attr}" if resolved.startswith("module:") else target.attr)
    return fn


def scan() -> dict[str, Function]:
    """Every function of core/services and its sub-packages, named by its module path (``workflows.engine.run``),
    and every method of their classes (``workflows.engine._Runner._status``)."""
    functions: dict[str, Function] = {}
    for path in sorted(SERVICES.rglob("*.py")):
        module = ".".join(path.relative_to(SERVICES).with_suffix("").parts)
        tree = ast.parse(path.read_text())
        imported = _imports(tree, module)
        local = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)}
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                name = f"{module}.{node.name}"
                functions[name] = _function(node, name, module=module, local=local, imported=imported)
            elif isinstance(node, ast.ClassDef):
                methods = [m for m in node.body if isinstance(m, ast.FunctionDef)]
                for m in methods:
                    name = f"{module}.{node.name}.{m.name}"
                    functions[name] = _function(m, name, module=module, local=local, imported=imported, owner=node.name)
                whole = {f"{module}.{node.name}.{m.name}" for m in methods}
                functions[f"{module}.{node.name}"] = Function(f"{module}.{node.name}", False, whole, method=True)
    return functions


def _reaches(
    functions: dict[str, Function],
    start: str,
    calls: set[str],
    *,
    mentions: frozenset[str] | set[str] = frozenset(),
    skip: tuple[str, ...] = (),
) -> bool:
    """Whether ``start`` calls one of ``calls`` or names one of ``mentions``, itself or through the services it
    calls (except those whose name starts with ``skip``)."""
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        fn = functions.get(name)
        if fn is None:
            continue
        if fn.calls & calls or fn.names & mentions:
            return True
        todo.extend(c for c in fn.calls if c in functions and not c.startswith(skip))
    return False


def public_entry_points(functions: dict[str, Function]) -> list[str]:
    """Services a page or the command line calls: public, and opening their own unit of work."""
    return [
        n
        for n, f in functions.items()
        if not n.rsplit(".", 1)[1].startswith("_")
        and not f.takes_conn
        and not f.method
        and not n.startswith(UNIT_OF_WORK)
    ]


def checking_access(functions: dict[str, Function]) -> set[str]:
    return {n for n in public_entry_points(functions) if _reaches(functions, n, {"authorize", "require_person"})}


def writing(functions: dict[str, Function]) -> set[str]:
    return {n for n in public_entry_points(functions) if _reaches(functions, n, WRITE_CALLS)}


def writing_status(functions: dict[str, Function]) -> set[str]:
    """Services that write and can move a contact into a state (or create it in one)."""
    return {
        n for n in writing(functions) if _reaches(functions, n, STATUS_WRITES, mentions=STATUS_SQL, skip=NOT_A_DECISION)
    }


def asking_for_the_grant(functions: dict[str, Function]) -> set[str]:
    """Services that name ``Action.CHANGE_STATUS`` themselves or in a service they call (a check, maybe a
    conditional one: the behavioural test of the access matrix checks the conditions)."""
    return {n for n in public_entry_points(functions) if _reaches(functions, n, set(), mentions=GRANT)}


def recording_operations(functions: dict[str, Function]) -> set[str]:
    """Services that record an operation in the audit trail (``unit.start`` or ``start_operation``)."""
    return {n for n in public_entry_points(functions) if _reaches(functions, n, OPERATION_CALLS)}
