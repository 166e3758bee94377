"""Changes that feed a status workflow (docs/domain.md §6): the one place that says whether a person's change
to contacts or lists would have an enabled workflow change a marketing status for them.

A workflow acts on its own once enabled, but the contacts it enrolls are whatever people made match its
criteria. So a change that would make a contact newly enrollable in an enabled workflow that can change a
status (a status action, or a list action feeding such a workflow) is a status change by whoever makes it,
and needs the Marketing contact access grant like any other.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, and_, func, select

from core.errors import PermissionDenied, translated
from core.i18n import ENGLISH, N_, Translator
from core.rules.filters import FilterError
from core.rules.roles import Action, refusal
from core.rules.selection import Selection
from core.rules.workflows import WHOLE_CONTACTS, Touch, reaching_status
from core.services.unit import Unit
from core.services.workflows.definitions import Workflow, enabled_workflows
from core.store import states
from core.store.filters import filter_clause
from core.store.selection import where
from core.store.workflows.steps import enrollable

Contacts = ColumnElement[bool] | Callable[[], ColumnElement[bool]]


@dataclass(frozen=True)
class Fed:
    """An enabled workflow that can change a status, and how many of the touched contacts it would enroll."""

    workflow_id: int
    name: str
    contacts: int


def status_workflows(conn: Connection) -> list[Workflow]:
    """The enabled workflows that can change a marketing status: with a status action, or feeding one through a
    static list (in a chain)."""
    flows = enabled_workflows(conn)
    return [flows[i] for i in reaching_status([w.definition for w in flows])]


def fed_workflows(conn: Connection, touch: Touch, touched: Contacts) -> list[Fed]:
    """The enabled status workflows this change feeds: their criteria read something it wrote (``touch``) and,
    as the data stands now (call it after writing, in the same transaction), their next run would enroll at
    least one of the ``touched`` contacts. Contacts already enrolled, or not matching, feed nothing."""
    if not touch:
        return []
    flows = [w for w in status_workflows(conn) if touch.read_by(w.definition)]
    if not flows:
        return []
    clause = touched if isinstance(touched, ColumnElement) else touched()
    fed = []
    for wf in flows:
        try:
            criteria = filter_clause(conn, wf.definition.criteria)
        except FilterError:  # a list it reads was deleted: it enrolls nobody until it is edited
            continue
        new = enrollable(workflow_id=wf.id, criteria=criteria, reenroll=wf.definition.reenroll)
        fed_here = and_(new, clause)
        n = int(conn.execute(select(func.count()).select_from(states.rows_for(fed_here)).where(fed_here)).scalar_one())
        if n:
            fed.append(Fed(wf.id, wf.name, n))
    return fed


def require_grant_if_feeding(unit: Unit, touch: Touch, touched: Contacts) -> None:
    """Refuse a person without Marketing contact access whose change feeds an enabled status workflow.

    Call it inside the change's unit of work, after writing: the refusal rolls the whole change back. Local
    mode, the application's own actors and anyone holding the grant pass without a query."""
    person = unit.person
    if person is None:
        return
    reason = refusal(person.username, person.role, person.marketing_access, Action.CHANGE_STATUS)
    if reason is None:
        return
    fed = fed_workflows(unit.conn, touch, touched)
    if fed:
        raise FeedsStatusWorkflows(reason, fed)


class FeedsStatusWorkflows(PermissionDenied):
    """A change by someone without Marketing contact access would enroll contacts in enabled status workflows."""

    def __init__(self, reason: str, fed: list[Fed]) -> None:  # reason: the rules' refusal (a Sentence)
        super().__init__(FEEDS, reason=reason, names=_names(fed, ENGLISH))
        self.fed = fed

    def text(self, t: Translator) -> str:
        return t(FEEDS, reason=translated(self.params["reason"], t), names=_names(self.fed, t))


FEEDS = N_(
    "{reason}. This change would enroll contacts in enabled workflows that change marketing contact status: {names}"
)


def _names(fed: list[Fed], t: Translator) -> str:
    """``'Leads' (5 contacts), 'VIP' (1 contact)``."""
    return ", ".join(
        t.ngettext("{name} ({n} contact)", "{name} ({n} contacts)", f.contacts, name=repr(f.name)) for f in fed
    )


def require_grant_if_import_feeds(unit: Unit, email_keys: Collection[str]) -> None:
    """The same rule for an import, after its rows are written: it writes whole contacts (every property of the
    contacts in its file, which ``email_keys`` name by their matching keys)."""
    if email_keys:
        require_grant_if_feeding(unit, WHOLE_CONTACTS, lambda: where(unit.conn, Selection(emails=tuple(email_keys))))
