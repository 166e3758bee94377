"""Every path to a status change needs Marketing contact access (docs/domain.md §6), found by running the services.

For each case of the access matrix, the test first runs the call as an admin on a copy of the matrix's world and
reads what it changed in contacts and lists. From that it writes, for each change, an enrollment condition that
the changed contacts match only after it (``lifecycle_stage is partner``, ``list is not VIP``, ``email is`` a new
contact's address) and enables one workflow per condition whose actions touch every contact it enrolls (set
non-marketing, then marketing: each enrolled contact gets at least one status event). On a fresh copy of the world
with those workflows enabled and run to the end, an editor without the grant then makes the same call, and the
workflows run again. Whatever the editor did, no status may have moved because of it: either the call was refused
with nothing written, or the only status events after it are a new contact starting non-marketing or a contact
deleted. No list of which service touches what is kept by hand: a new service or a new field is covered as soon as
it is in the matrix.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, true

from core.errors import PermissionDenied
from core.rules.filters import PENDING_PROPERTY, PROPERTIES, STATUS_PROPERTY, Kind
from core.services.workflows import definitions as workflows
from core.services.workflows import engine as workflow_engine
from core.store import states
from core.store.engine import make_engine
from core.store.schema import list_members, static_lists, status_events
from tests.conftest import TODAY
from tests.services.test_access_matrix import CASES, _everything, build_world

CYCLE = [{"type": "set_marketing_status", "to": "non_marketing"}, {"type": "set_marketing_status", "to": "marketing"}]
FIELDS = [  # the contact columns enrollment criteria can read (the status itself needs the grant anyway)
    p for p, kind in PROPERTIES.items() if kind != Kind.LIST and p not in (STATUS_PROPERTY, PENDING_PROPERTY)
]
EDITOR = "eve"  # an editor without Marketing contact access (tests/services/test_access_matrix.py)
ALLOWED = {(None, "non_marketing")}  # a new contact that starts non-marketing: created, not a status change


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("world") / "world.db"
    engine = make_engine(f"sqlite:///{path}")
    build_world(engine)
    engine.dispose()
    yield path


def _copy(template: Path, folder: Path) -> Engine:
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{template}{suffix}").exists():
            shutil.copy(f"{template}{suffix}", folder / f"world.db{suffix}")
    return make_engine(f"sqlite:///{folder}/world.db")


def _state(engine: Engine) -> tuple[dict[int, dict[str, Any]], set[tuple[str, int]], set[str]]:
    """Every contact's fields, every (list, member) pair, and the lists' names."""
    with engine.connect() as conn:
        rows = {r["id"]: {p: r[p] for p in FIELDS} for r in conn.execute(states.whole_rows(true())).mappings()}
        pairs = select(static_lists.c.name, list_members.c.contact_id).join(
            list_members, list_members.c.list_id == static_lists.c.id
        )
        names = set(conn.execute(select(static_lists.c.name)).scalars())
        return rows, {(name, cid) for name, cid in conn.execute(pairs)}, names


def _equals(prop: str, value: Any) -> dict[str, Any]:
    if value is None or value == "":
        return {"property": prop, "operator": "is_unknown", "value": None}
    if isinstance(value, datetime | date):
        return {"property": prop, "operator": "eq", "value": value.isoformat()[:10]}
    return {"property": prop, "operator": "eq", "value": value}


def conditions_it_feeds(before: Any, after: Any) -> list[dict[str, Any]]:
    """Enrollment conditions the contacts a change touched match after it and not before (as far as one condition
    can say so): a new contact's email, a field's new value, "in the list" for members added, "not in the list"
    for members removed from a list that still exists."""
    (old, old_pairs, _), (new, new_pairs, lists_now) = before, after
    found = [_equals("email", row["email"]) for cid, row in new.items() if cid not in old]
    for cid, row in new.items():
        if cid in old:
            found += [_equals(p, row[p]) for p in FIELDS if row[p] != old[cid][p]]
    found += [{"property": "list", "operator": "eq", "value": name} for name, _ in new_pairs - old_pairs]
    found += [
        {"property": "list", "operator": "neq", "value": name}
        for name, _ in old_pairs - new_pairs
        if name in lists_now  # criteria naming a list that is gone enroll nobody
    ]
    return list({repr(c): c for c in found}.values())


def _run_to_the_end(engine: Engine) -> None:
    for _ in range(3):  # a list workflow may feed a status workflow that ran before it
        workflow_engine.run(engine, TODAY, actor="ada")


def _last_event(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(status_events.c.id), 0))).scalar_one())


def _moves_since(engine: Engine, mark: int) -> list[tuple[Any, ...]]:
    """Status events after ``mark`` other than a new contact starting non-marketing or a contact deleted."""
    query = select(
        status_events.c.contact_id, status_events.c.old_state, status_events.c.new_state, status_events.c.source_type
    ).where(status_events.c.id > mark, status_events.c.new_state.is_not(None))
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(query) if (r.old_state, r.new_state) not in ALLOWED]


def _fed_world(template: Path, folder: Path, conditions: list[dict[str, Any]]) -> Engine:
    engine = _copy(template, folder)
    for k, condition in enumerate(conditions):
        definition = {"name": f"Fed {k}", "criteria": [condition], "actions": CYCLE}
        made = workflows.create_workflow(engine, definition=definition, actor="ada", today=TODAY)
        workflows.enable_workflow(engine, made.id, actor="ada", today=TODAY, allow_tier_upgrade=True)
    _run_to_the_end(engine)
    return engine


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_editor_without_marketing_access_moves_no_status_even_through_an_enabled_workflow(
    template: Path, tmp_path: Path, name: str
) -> None:
    chosen = CASES[name]
    (tmp_path / "admin").mkdir()
    (tmp_path / "editor").mkdir()
    probe = _copy(template, tmp_path / "admin")
    before = _state(probe)
    chosen.call(probe, "ada")  # what the call changes when it is allowed
    conditions = conditions_it_feeds(before, _state(probe))
    probe.dispose()

    world = _fed_world(template, tmp_path / "editor", conditions)
    everything, mark = _everything(world), _last_event(world)
    try:
        chosen.call(world, EDITOR)
    except PermissionDenied:
        assert _everything(world) == everything, f"the refused {name} left a trace"
    _run_to_the_end(world)
    moved = _moves_since(world, mark)
    world.dispose()
    fed = [c["property"] + " " + c["operator"] for c in conditions]
    assert not moved, f"{EDITOR} (no Marketing contact access) moved statuses through {name} (fed: {fed}): {moved}"
