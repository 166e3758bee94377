"""Workflows (docs/domain.md §6.3): definitions, what their actions do to counts, retry backoff, error kinds.

Pure: no storage, no clock. The engine (core.services.workflows.engine) applies these rules set-based.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from core.errors import DomainError, rendered
from core.i18n import ENGLISH, N_, Translator, message_text
from core.rules.filters import Condition, FilterError, parse_filter
from core.rules.status import MarketingStatus, State, transition
from core.rules.tiers import Edition

WORKFLOW_EDITIONS = (Edition.PROFESSIONAL, Edition.ENTERPRISE)
MAX_ACTIONS = 20
MAX_NAME = 200
LIST_PROPERTY = "list"  # the filter property of static-list membership (core.rules.filters)


class WorkflowError(DomainError):
    """A workflow definition that cannot be used; the message says why. A field may hold the error it wraps (a
    filter's), shown in the same language."""

    def text(self, t: Translator) -> str:
        if not self.message or not self.params:
            return super().text(t)
        params = {k: message_text(v, t) if isinstance(v, BaseException) else v for k, v in self.params.items()}
        return t(self.message, **rendered(params, t))


CRITERIA_REFUSED = N_("enrollment criteria: {error}")  # error: the filter's own message


class RateLimited(Exception):
    """A dependency (e.g. an audience sync) answered "rate limited": try again later."""


class ActionType(StrEnum):
    SET_MARKETING_STATUS = "set_marketing_status"
    ADD_TO_LIST = "add_to_list"
    REMOVE_FROM_LIST = "remove_from_list"


@dataclass(frozen=True)
class WorkflowAction:
    type: ActionType
    to: MarketingStatus | None = None  # set_marketing_status
    list: str | None = None  # add_to_list / remove_from_list

    def as_dict(self) -> dict[str, Any]:
        if self.type == ActionType.SET_MARKETING_STATUS:
            assert self.to is not None
            return {"type": self.type.value, "to": self.to.value}
        return {"type": self.type.value, "list": self.list}

    def describe(self, t: Translator = ENGLISH) -> str:
        """What the action does, e.g. ``Add to list 'VIP'`` (the run log keeps it in English: ``action_label``)."""
        if self.type == ActionType.SET_MARKETING_STATUS:
            if self.to == MarketingStatus.MARKETING:
                return t(SET_MARKETING)
            return t(SET_NON_MARKETING)
        sentence = ADD_TO_LIST if self.type == ActionType.ADD_TO_LIST else REMOVE_FROM_LIST
        return t(sentence, name=repr(self.list))


SET_MARKETING = N_("Set marketing contact status: marketing")
SET_NON_MARKETING = N_("Set marketing contact status: non-marketing")
ADD_TO_LIST = N_("Add to list {name}")
REMOVE_FROM_LIST = N_("Remove from list {name}")
ENROLL_LABEL = N_("Enroll matching contacts")  # the run log's step that enrolls, before the actions
_NUMBERED = re.compile(r"(?P<number>\d+)\. (?P<rest>.*)", re.DOTALL)
_LIST_ACTION = re.compile(r"(?P<verb>Add to|Remove from) list (?P<name>'.*'|\".*\")", re.DOTALL)


def action_label(label: str, t: Translator = ENGLISH) -> str:
    """A step of the run log as stored (``Enroll matching contacts``, ``1. Add to list 'VIP'``: English, what
    ``describe`` said when it ran) in ``t``'s language; a label it does not recognise is shown as stored."""
    if label == ENROLL_LABEL:
        return t(ENROLL_LABEL)
    numbered = _NUMBERED.fullmatch(label)
    if numbered is None:
        return label
    rest = numbered["rest"]
    if rest in (SET_MARKETING, SET_NON_MARKETING):
        shown = t(rest)
    elif (listed := _LIST_ACTION.fullmatch(rest)) is not None:
        sentence = ADD_TO_LIST if listed["verb"] == "Add to" else REMOVE_FROM_LIST
        shown = t(sentence, name=listed["name"])
    else:
        return label
    return f"{numbered['number']}. {shown}"


@dataclass(frozen=True)
class WorkflowDefinition:
    name: str
    criteria: tuple[Condition, ...]
    actions: tuple[WorkflowAction, ...]
    reenroll: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "criteria": [c.as_dict() for c in self.criteria],
            "actions": [a.as_dict() for a in self.actions],
            "reenroll": self.reenroll,
        }

    @property
    def status_targets(self) -> tuple[MarketingStatus, ...]:
        return tuple(a.to for a in self.actions if a.to is not None)

    @property
    def list_names(self) -> tuple[str, ...]:
        return tuple(a.list for a in self.actions if a.list is not None)


def lists_read(definition: WorkflowDefinition) -> frozenset[str]:
    """The static lists a workflow's enrollment criteria read (``list`` conditions, ``neq`` included)."""
    names: set[str] = set()
    for condition in definition.criteria:
        if condition.property == LIST_PROPERTY:
            value = condition.value
            names.update(str(v) for v in (value if isinstance(value, tuple) else (value,)))
    return frozenset(names)


@dataclass(frozen=True)
class Touch:
    """What a change writes that enrollment criteria can read (docs/domain.md §6): some properties of existing
    contacts, the members of some static lists, or whole contacts (created or imported: every property,
    and "not in list L" holds for a new contact)."""

    properties: frozenset[str] = frozenset()
    lists: frozenset[str] = frozenset()
    everything: bool = False

    def __bool__(self) -> bool:
        return self.everything or bool(self.properties or self.lists)

    def read_by(self, definition: WorkflowDefinition) -> bool:
        """Whether the workflow's criteria read anything this change writes."""
        if self.everything:
            return True
        read = {c.property for c in definition.criteria if c.property != LIST_PROPERTY}
        return bool(read & self.properties or lists_read(definition) & self.lists)


WHOLE_CONTACTS = Touch(everything=True)


def reaching_status(definitions: list[WorkflowDefinition]) -> list[int]:
    """The positions of the workflows that can change a marketing status (docs/domain.md §6): one with a status
    action, or one whose list action adds to or removes from a list read by a workflow that can (in a chain)."""
    reaching = {i for i, d in enumerate(definitions) if d.status_targets}
    while True:
        watched = frozenset().union(*(lists_read(definitions[i]) for i in reaching))
        more = {i for i, d in enumerate(definitions) if i not in reaching and set(d.list_names) & watched}
        if not more:
            return sorted(reaching)
        reaching |= more


def reword(stored: str, sentences: tuple[str, ...], t: Translator, *, numbers: tuple[str, ...] = ()) -> str:
    """An English sentence kept as text (``ENGLISH(sentence, **fields)``, e.g. in the database) in ``t``'s language:
    the first of ``sentences`` it matches gives its fields back (those in ``numbers`` as whole numbers, ``1,583``
    read back), and ``t`` says it again; a text none matches is shown as stored."""
    for sentence in sentences:
        pattern = re.escape(sentence)
        for field in re.findall(r"\{(\w+)\}", sentence):
            group = r"\d{1,3}(?:,\d{3})*" if field in numbers else ".*"
            pattern = pattern.replace(re.escape("{" + field + "}"), f"(?P<{field}>{group})", 1)
        found = re.fullmatch(pattern, stored, re.DOTALL)
        if found is not None:
            fields: dict[str, Any] = found.groupdict()
            fields |= {k: int(v.replace(",", "")) for k, v in fields.items() if k in numbers}
            return t(sentence, **fields)
    return stored


def parse_action(raw: Any, index: int = 0) -> WorkflowAction:
    """Validate one action: a known type and the one parameter it takes."""
    where = str(index + 1)
    if not isinstance(raw, dict):
        raise WorkflowError(N_("action {number}: expected an object with a type"), number=where)
    try:
        kind = ActionType(str(raw.get("type", "")).strip().lower())
    except ValueError:
        known = ", ".join(t.value for t in ActionType)
        raise WorkflowError(
            N_("action {number}: unknown type {shown}; use one of {known}"),
            number=where,
            shown=repr(raw.get("type")),
            known=known,
        ) from None
    expected = {"type", "to"} if kind == ActionType.SET_MARKETING_STATUS else {"type", "list"}
    unknown = set(raw) - expected
    if unknown:
        keys = ", ".join(sorted(map(str, unknown)))
        raise WorkflowError(N_("action {number}: unknown key(s) {keys}"), number=where, keys=keys)
    if kind == ActionType.SET_MARKETING_STATUS:
        try:
            return WorkflowAction(kind, to=MarketingStatus.parse(str(raw.get("to", ""))))
        except ValueError:
            raise WorkflowError(
                N_("action {number}: 'to' must be marketing or non_marketing, got {shown}"),
                number=where,
                shown=repr(raw.get("to")),
            ) from None
    name = raw.get("list")
    if not isinstance(name, str) or not name.strip():
        raise WorkflowError(N_("action {number}: 'list' must name a static list"), number=where)
    return WorkflowAction(kind, list=name.strip())


def parse_definition(raw: Any) -> WorkflowDefinition:
    """Validate a workflow: a name, at least one enrollment condition, 1 to 20 actions in order."""
    if not isinstance(raw, dict):
        raise WorkflowError(N_("a workflow is an object with name, criteria, actions and reenroll"))
    unknown = set(raw) - {"name", "criteria", "actions", "reenroll"}
    if unknown:
        raise WorkflowError(N_("unknown key(s) {keys}"), keys=", ".join(sorted(map(str, unknown))))
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise WorkflowError(N_("a workflow needs a name"))
    if len(name.strip()) > MAX_NAME:
        raise WorkflowError(N_("the name is longer than {limit} characters"), limit=MAX_NAME)
    try:
        criteria = parse_filter(raw.get("criteria") if raw.get("criteria") is not None else [])
    except FilterError as exc:
        raise WorkflowError(CRITERIA_REFUSED, error=exc) from None
    if not criteria:
        raise WorkflowError(
            N_("a workflow needs at least one enrollment condition (an empty one would enroll everyone)")
        )
    actions = raw.get("actions")
    if not isinstance(actions, list) or not actions:
        raise WorkflowError(N_("a workflow needs at least one action"))
    if len(actions) > MAX_ACTIONS:
        raise WorkflowError(N_("a workflow has at most {limit} actions"), limit=MAX_ACTIONS)
    reenroll = raw.get("reenroll", False)
    if not isinstance(reenroll, bool):
        raise WorkflowError(N_("reenroll must be true or false, got {shown}"), shown=repr(reenroll))
    parsed = tuple(parse_action(a, i) for i, a in enumerate(actions))
    return WorkflowDefinition(name.strip(), criteria, parsed, reenroll)


def edition_allows_workflows(edition: Edition) -> bool:
    """Only Professional and Enterprise accounts may create or enable workflows (docs/domain.md §6.3)."""
    return edition in WORKFLOW_EDITIONS


@dataclass(frozen=True)
class Projection:
    """What running every action on a set of contacts does to the counts (as of today)."""

    billed_now: int  # non-marketing contacts that become marketing at once: billed from now
    scheduled: int  # leave on the next update date
    undone: int  # pending contacts whose scheduled change is cancelled
    final: dict[State, int]


def project(states: dict[State, int], actions: tuple[WorkflowAction, ...]) -> Projection:
    """Walk each state group through the status actions in order (docs/domain.md §2); lists change no count."""
    billed = scheduled = undone = 0
    final: dict[State, int] = dict.fromkeys(State, 0)
    for start, n in states.items():
        state, was_billed_again, was_pending = start, False, start == State.PENDING
        for target in (a.to for a in actions if a.to is not None):
            step = transition(state, target)
            if step.old == State.NON_MARKETING and step.new == State.MARKETING:
                was_billed_again = True
            state = step.new
        billed += n if was_billed_again else 0
        scheduled += n if state == State.PENDING and not was_pending else 0
        undone += n if was_pending and state == State.MARKETING else 0
        final[state] += n
    return Projection(billed, scheduled, undone, final)


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: attempt n waits between half and all of min(cap, base * factor**(n-1))."""

    base: float = 0.05
    factor: float = 2.0
    cap: float = 10.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Seconds to wait after failed attempt ``attempt`` (1-based); ``rng`` makes it reproducible."""
        ceiling = min(self.cap, self.base * self.factor ** max(0, attempt - 1))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


class ErrorKind(StrEnum):
    TRANSIENT = "transient"  # retried until it succeeds
    PERMANENT = "permanent"  # recorded; the enrollments concerned fail, the others go on


# PostgreSQL SQLSTATEs: serialization_failure, deadlock_detected, lock_not_available, query_canceled
# (statement_timeout), too_many_connections, cannot_connect_now, admin_shutdown.
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03", "57014", "53300", "57P03", "57P01"})
TRANSIENT_TYPES = frozenset({"RateLimited", "TooManyRequests", "SerializationFailure", "DeadlockDetected"})
TRANSIENT_TYPES |= {"LockNotAvailable", "QueryCanceled", "TimeoutError", "ConnectionResetError"}
TRANSIENT_TEXTS = (
    "database is locked",
    "database table is locked",
    "database is busy",
    "sqlite_busy",
    "could not serialize access",
    "deadlock detected",
    "lock timeout",
    "could not obtain lock",
    "canceling statement due to lock timeout",
    "rate limited",
    "rate limit",
    "too many requests",
)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        todo.extend([current.__cause__, current.__context__, orig if isinstance(orig, BaseException) else None])


def classify(exc: BaseException) -> ErrorKind:
    """Transient: the store busy or locked, a serialization/lock/deadlock error, a rate limit. Else permanent."""
    for item in _chain(exc):
        if type(item).__name__ in TRANSIENT_TYPES:
            return ErrorKind.TRANSIENT
        if str(getattr(item, "sqlstate", "") or "") in TRANSIENT_SQLSTATES:
            return ErrorKind.TRANSIENT
        text = str(item).lower()
        if any(t in text for t in TRANSIENT_TEXTS):
            return ErrorKind.TRANSIENT
    return ErrorKind.PERMANENT


def error_text(exc: BaseException, limit: int = 500) -> str:
    """The first line of the deepest driver message (what a person needs), prefixed with its type."""
    orig = getattr(exc, "orig", None) or getattr(exc.__cause__, "orig", None)  # a DatabaseBusy: its driver error
    base = orig if isinstance(orig, BaseException) else exc
    lines = str(base).strip().splitlines()
    first = lines[0] if lines else ""
    return f"{type(base).__name__}: {first}"[:limit]
