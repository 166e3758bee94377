"""A contact's marketing state in SQL — the one module that reads or writes it (docs/domain.md §1–§3).

A state (``core.rules.status.State``) is stored in three columns: ``marketing_status``, the pending flag and
``effective_on`` (the update date a pending contact leaves on), plus who last changed it. They live in their
own narrow table, ``contact_status`` (one row per contact, migration 0008_contact_status), apart from the
profile in ``contacts``: a status change rewrites a small row and two small indexes, not the wide contact row
and its eight profile indexes. Only this module knows that: a query about contacts and their state reads
``ROWS`` (contacts joined to their status) or ``rows_for(clause)`` (the join only when the clause needs it),
whole rows are ``ROW_COLUMNS``, and status rows are written by ``insert_states`` / ``update_states`` /
``apply``. How many contacts are in each state is kept in ``contact_state_counts`` by triggers on the status table
(migration 0013), so the account's counts are sums over a few rows (``counted``; ``scanned`` counts the rows).
Everything that counts, filters, pages or changes contacts by state asks here; ``apply`` turns the
transition table of ``core.rules.status`` into set-based SQL, and tests/store/test_states.py checks the SQL
against the pure rule for every state and request on both engines.

Invariant kept by ``columns_for`` (the only writer): the pending flag is set on marketing contacts only, and
``effective_on`` is set exactly when the flag is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    FromClause,
    Select,
    and_,
    bindparam,
    case,
    delete,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.sql.util import find_tables

from core.rules.requester import Requester
from core.rules.status import MarketingStatus, Outcome, Request, State, Transition, UpdateDate, changes
from core.store.events import EVENT_COLUMNS
from core.store.schema import contact_state_counts, contact_status, contacts, status_events

_C = contact_status.c
_K = contact_state_counts.c
NEVER = date(9999, 12, 31)  # the update date a contact that is not pending leaves on, in the kept counts
STATE_COLUMNS = ("marketing_status", "pending_non_marketing", "effective_on")
SOURCE_COLUMNS = ("status_source_type", "status_source_id", "status_changed_at")
STATUS_COLUMNS = (*STATE_COLUMNS, *SOURCE_COLUMNS)  # a contact's status row, besides its contact_id

STATUS_TABLE = contact_status.name  # for the bulk writer's COPY / executemany of new contacts' status rows

# "= true", not "IS true": both engines use the partial index of pending rows only when the condition is written
# as its predicate (the column is NOT NULL, so the two mean the same)
_PENDING: ColumnElement[bool] = _C.pending_non_marketing == true()
_NOT_PENDING: ColumnElement[bool] = _C.pending_non_marketing == false()

ROWS: FromClause = contacts.join(contact_status, contact_status.c.contact_id == contacts.c.id)
"""Contacts with their state: select from this whenever a query names both (``rows_for`` picks for you)."""
ROW_COLUMNS: tuple[Column[Any], ...] = (*contacts.c, *(contact_status.c[name] for name in STATUS_COLUMNS))
"""A contact's whole row, profile and state, with the column names of one table (read from ``ROWS``)."""


# --- Where the state lives ---


def column(name: str) -> Column[Any]:
    """A contact's column by name, wherever it is stored (filters on ``status_source_type``, say)."""
    return contact_status.c[name] if name in STATUS_COLUMNS else contacts.c[name]


def needs_state(*clauses: ColumnElement[Any] | None) -> bool:
    """Whether any clause reads the state (a column of ``contact_status``, in a subquery too)."""
    return any(c is not None and contact_status in find_tables(c, check_columns=True) for c in clauses)


def rows_for(*clauses: ColumnElement[Any] | None) -> FromClause:
    """What a query on contacts filtered by ``clauses`` reads from: the join only when a clause reads the state."""
    return ROWS if needs_state(*clauses) else contacts


def whole_rows(where: ColumnElement[bool]) -> Select[Any]:
    """Contacts matching ``where`` as whole rows (``ROW_COLUMNS``): profile and state."""
    return select(*ROW_COLUMNS).select_from(ROWS).where(where)


def ids_matching(where: ColumnElement[bool]) -> Select[Any]:
    """The ids of the contacts matching ``where`` (for a DELETE or an IN on another table)."""
    return select(contacts.c.id).select_from(rows_for(where)).where(where)


def matching(where: ColumnElement[bool]) -> ColumnElement[bool]:
    """``where`` as a condition on ``contacts`` alone (for statements that name one table: DELETE, UPDATE)."""
    return where if not needs_state(where) else contacts.c.id.in_(ids_matching(where))


# --- Reading: a state as a SQL condition or expression ---


def is_state(state: State) -> ColumnElement[bool]:
    """Contacts stored in ``state``."""
    if state == State.NON_MARKETING:
        return _C.marketing_status == MarketingStatus.NON_MARKETING.value
    if state == State.PENDING:  # as ``State.of``: a stray flag on a non-marketing row is ignored
        return and_(_C.marketing_status != MarketingStatus.NON_MARKETING.value, _PENDING)
    return and_(_C.marketing_status == MarketingStatus.MARKETING.value, _NOT_PENDING)


def in_states(states: Iterable[State]) -> ColumnElement[bool]:
    """Contacts stored in any of ``states``."""
    wanted = set(states)
    if wanted == set(State):
        return _C.contact_id.is_not(None)
    if wanted == {State.MARKETING, State.PENDING}:
        return is_billed()
    return or_(false(), *(is_state(s) for s in State if s in wanted))


def is_billed() -> ColumnElement[bool]:
    """Marketing contacts as stored, pending ones included (they are billed until their update date)."""
    return _C.marketing_status == MarketingStatus.MARKETING.value


def due_by(day: date) -> ColumnElement[bool]:
    """Pending contacts whose update date has come by ``day`` (answered from the (effective_on, flag) index)."""
    return and_(is_state(State.PENDING), _C.effective_on <= day)


def stored_state() -> ColumnElement[str]:
    """A contact's stored state as a SQL expression: 'marketing', 'pending' or 'non_marketing'."""
    return case(
        (is_state(State.NON_MARKETING), State.NON_MARKETING.value),
        (_PENDING, State.PENDING.value),
        else_=State.MARKETING.value,
    )


def state_on(day: date | None) -> ColumnElement[str]:
    """A contact's state on ``day`` (None: as stored): a pending contact whose update date has come by then is
    non-marketing, even before that date has been applied (``State.on``)."""
    if day is None:
        return stored_state()
    return case(
        (is_state(State.NON_MARKETING), State.NON_MARKETING.value),
        (_NOT_PENDING, State.MARKETING.value),
        (_C.effective_on <= day, State.NON_MARKETING.value),
        else_=State.PENDING.value,
    )


def is_state_on(state: State, day: date | None) -> ColumnElement[bool]:
    """Contacts in ``state`` on ``day`` (None: as stored; then the status index can answer)."""
    if day is None:
        return is_state(state)
    if state == State.PENDING:
        return and_(is_state(State.PENDING), _C.effective_on > day)
    if state == State.NON_MARKETING:
        return or_(is_state(State.NON_MARKETING), due_by(day))
    return is_state(State.MARKETING)


def billed_on(day: date | None) -> ColumnElement[bool]:
    """Marketing (billed) contacts on ``day``: pending ones count until their update date."""
    if day is None:
        return is_billed()
    return and_(is_billed(), or_(_NOT_PENDING, _C.effective_on > day))


def outcome_of(request: Request) -> ColumnElement[str]:
    """What ``request`` will do to each contact in its stored state, as the set-status JSON key."""
    return case(*((is_state(m.old), m.outcome.value) for m in changes(request)), else_=Outcome.UNCHANGED.value)


def has_status_on(status: MarketingStatus, day: date | None) -> ColumnElement[bool]:
    """Contacts with ``status`` on ``day`` (None: as stored): marketing includes pending contacts still billed."""
    if status == MarketingStatus.MARKETING:
        return billed_on(day)
    return is_state_on(State.NON_MARKETING, day)


def leaves_on() -> ColumnElement[date]:
    """The update date a pending contact becomes non-marketing on (NULL for the others)."""
    return _C.effective_on


def count_by_state(conn: Connection, where: ColumnElement[bool] | None = None) -> dict[State, int]:
    """How many contacts (matching ``where``) are stored in each state: the kept counts for all contacts
    (``counted``), else one GROUP BY on the status index."""
    found = dict.fromkeys(State, 0)
    if where is None:
        for (state, _), n in counted(conn).items():
            found[state] += n
        return found
    query = select(_C.marketing_status, _C.pending_non_marketing, func.count()).group_by(
        _C.marketing_status, _C.pending_non_marketing
    )
    for status, pending, n in conn.execute(query.select_from(_status_rows(where)).where(where)):
        found[State.of(status, bool(pending))] += int(n)
    return found


def count_due(conn: Connection, on: date) -> int:
    """How many pending contacts are due by ``on``: a sum over the kept counts of the update dates up to ``on``."""
    query = select(func.coalesce(func.sum(_K.n), 0)).where(_K.state == State.PENDING.value, _K.leaves_on <= on)
    return int(conn.execute(query).scalar_one())


def count_billed(conn: Connection) -> int:
    """How many contacts are billed now: marketing, pending ones included (from the kept counts)."""
    billed = (State.MARKETING.value, State.PENDING.value)
    return int(conn.execute(select(func.coalesce(func.sum(_K.n), 0)).where(_K.state.in_(billed))).scalar_one())


# --- The kept counts: contact_state_counts, written by triggers on contact_status (migration 0013) ---


def counted(conn: Connection) -> dict[tuple[State, date | None], int]:
    """The kept counts: contacts per (state, update date it leaves on; None when it is not pending)."""
    found: dict[tuple[State, date | None], int] = {}
    for s, on, n in conn.execute(select(_K.state, _K.leaves_on, _K.n).where(_K.n != 0)):
        found[_key(s, on)] = found.get(_key(s, on), 0) + int(n)
    return found


def _key(state: str, leaves_on: date) -> tuple[State, date | None]:
    """A kept count's key: a pending contact's update date; None for the other states and for a pending row
    with no date (or the date "never": no "due by" counts either)."""
    return State(state), leaves_on if state == State.PENDING.value and leaves_on < NEVER else None


def scanned(conn: Connection) -> dict[tuple[State, date | None], int]:
    """The same counts computed from every status row (what ``counted`` must always equal)."""
    leaves = case((is_state(State.PENDING), func.coalesce(_C.effective_on, NEVER)), else_=NEVER)
    rows = select(stored_state().label("state"), leaves.label("leaves_on")).subquery()
    query = select(rows.c.state, rows.c.leaves_on, func.count()).group_by(rows.c.state, rows.c.leaves_on)
    found: dict[tuple[State, date | None], int] = {}
    for s, on, n in conn.execute(query):
        key = _key(s, on if isinstance(on, date) else date.fromisoformat(str(on)))
        found[key] = found.get(key, 0) + int(n)
    return found


def recount(conn: Connection) -> dict[tuple[State, date | None], tuple[int, int]]:
    """Rewrite the kept counts from the status rows (after triggers were bypassed, say: a restore with triggers
    disabled); what was wrong, as (kept, counted)."""
    kept, found = counted(conn), scanned(conn)
    wrong = {k: (kept.get(k, 0), found.get(k, 0)) for k in kept.keys() | found.keys() if kept.get(k) != found.get(k)}
    if wrong:
        conn.execute(delete(contact_state_counts))
        if rows := [{"state": s.value, "leaves_on": on or NEVER, "n": n} for (s, on), n in found.items()]:
            conn.execute(insert(contact_state_counts), rows)
    return wrong


def count_on(conn: Connection, where: ColumnElement[bool], day: date | None) -> dict[State, int]:
    """How many contacts matching ``where`` are in each state on ``day``."""
    state = state_on(day)
    query = select(state, func.count()).select_from(_status_rows(where)).where(where).group_by(state)
    rows = conn.execute(query).all()
    found = dict.fromkeys(State, 0)
    found.update({State(str(s)): int(n) for s, n in rows})
    return found


def _status_rows(where: ColumnElement[bool]) -> FromClause:
    """What a query on the state filtered by ``where`` reads: the status rows alone unless ``where`` names
    the profile (a set-status by status filter never reads the wide table)."""
    return ROWS if contacts in find_tables(where, check_columns=True) else contact_status


# --- Writing: the columns a state is stored as, and transitions applied set-based ---


def insert_states(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """The status rows of new contacts: each a ``contact_id`` and its ``columns_for`` / ``source_for`` values."""
    if rows:
        conn.execute(insert(contact_status), [dict(r) for r in rows])


def update_states(conn: Connection, where: ColumnElement[bool], values: Mapping[str, Any]) -> int:
    """Set status columns (from ``columns_for`` / ``source_for``) of the contacts matching ``where``."""
    if not values:
        return 0
    statement = update(contact_status).values(**values)
    if contacts in find_tables(where, check_columns=True):  # UPDATE ... FROM contacts (both engines)
        statement = statement.where(contact_status.c.contact_id == contacts.c.id)
    return int(conn.execute(statement.where(where)).rowcount)


def update_by_id(conn: Connection, rows: Sequence[Mapping[str, Any]], *, chunk: int = 5_000) -> None:
    """Set status columns contact by contact (key ``id``); rows setting the same columns share one executemany."""
    groups: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(k for k in row if k != "id"), []).append(row)
    for names, group in groups.items():
        statement = update(contact_status).where(contact_status.c.contact_id == bindparam("_id"))
        statement = statement.values({n: bindparam(n) for n in names})
        for start in range(0, len(group), chunk):
            conn.execute(
                statement, [{**{n: r[n] for n in names}, "_id": r["id"]} for r in group[start : start + chunk]]
            )


def columns_for(state: State, *, effective_on: date | None = None) -> dict[str, Any]:
    """The stored columns of ``state``; ``effective_on`` is the update date a pending contact leaves on."""
    if state == State.PENDING and effective_on is None:
        raise ValueError("a pending contact needs the update date it leaves on")
    return {
        "marketing_status": state.status.value,
        "pending_non_marketing": state == State.PENDING,
        "effective_on": effective_on if state == State.PENDING else None,
    }


def source_for(by: Requester, at: datetime) -> dict[str, Any]:
    """Who last changed a contact's status, through what, and when (answers "why is it marketing")."""
    return {"status_source_type": by.source_type, "status_source_id": by.source_id, "status_changed_at": at}


def _event_day(move: Transition, request: Request, *, day: date, effective_on: date | None) -> Any:
    """The day an event counts from: its own update date for a contact that left, the update date it will
    leave on for a scheduled one, else the day of the request."""
    if request == UpdateDate.COME:
        return _C.effective_on
    return literal(effective_on, type_=_C.effective_on.type) if move.new == State.PENDING else literal(day)


def _record_move(
    conn: Connection, move: Transition, request: Request, where: ColumnElement[bool], stamp: dict[str, Any]
) -> int:
    """One event per contact ``move`` applies to (INSERT ... SELECT); how many there were."""
    rows = select(
        _C.contact_id,
        literal(stamp["operation_id"]),
        literal(move.old.value),
        literal(move.new.value),
        literal(stamp["at"]),
        _event_day(move, request, day=stamp["day"], effective_on=stamp["effective_on"]),
        literal(stamp["by"].source_type),
        literal(stamp["by"].source_id),
        literal(stamp["by"].actor),
    ).select_from(_status_rows(where))
    statement = insert(status_events).from_select(list(EVENT_COLUMNS), rows.where(where, is_state(move.old)))
    return int(conn.execute(statement).rowcount)


def apply(
    conn: Connection,
    *,
    where: ColumnElement[bool],
    request: Request,
    day: date,
    at: datetime,
    by: Requester,
    operation_id: int,
    effective_on: date | None = None,
) -> dict[Outcome, int]:
    """Apply ``request`` to every contact matching ``where``, each as the transition table says for its state,
    with one status event per contact moved (all events first, then the updates: no move feeds another).

    ``day`` is the day acted on; ``effective_on`` the next update date (needed when contacts become pending).
    An update date keeps who scheduled the contact as its status source; a request records ``by``.
    """
    moves = changes(request)
    stamp = {"operation_id": operation_id, "at": at, "day": day, "effective_on": effective_on, "by": by}
    done = {move.outcome: _record_move(conn, move, request, where, stamp) for move in moves}
    for new in dict.fromkeys(m.new for m in moves):  # one UPDATE per resulting state
        olds = [m.old for m in moves if m.new == new]
        if not any(done[m.outcome] for m in moves if m.new == new):
            continue
        values = columns_for(new, effective_on=effective_on) | {"status_changed_at": at}
        if request != UpdateDate.COME:
            values |= source_for(by, at)
        update_states(conn, and_(where, in_states(olds)), values)
    return done
