"""The workflow editor: name, enrollment criteria (the shared filter builder), ordered actions, re-enrollment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from core.errors import ConfirmationOutdated, TierUpgradeRequired
from core.rules.confirmation import Confirmed
from core.services.workflows import definitions as service
from core.services.workflows.definitions import Workflow
from pages.shared import allowed, i18n, session
from pages.shared.allowed import Action
from pages.shared.filter_builder import filter_builder
from pages.shared.i18n import _, pgettext
from pages.shared.messages import flash, outdated_text
from pages.shared.text import plain
from pages.workflows._editor_actions import action_row, add_action

FILTER_KEY = "wf_filter"


@dataclass(frozen=True)
class TierRaise:
    """Saving an edit of an enabled workflow would raise the billed tier: shown, and consent asked, until saved."""

    before: int
    after: int
    monthly_price_after: int
    currency: str
    outdated: tuple[str, ...] = ()  # why saving with consent to the previous figures was refused

    def promise(self) -> Confirmed:
        """Consent to this tier and price binds: a save that would now go elsewhere is refused (§10)."""
        return Confirmed(tier_limit=self.after, monthly_price=self.monthly_price_after)


def _seed(chosen: Workflow | None) -> None:
    """Load the chosen workflow (or a blank one) into the editor's widgets, once per choice and revision."""
    loaded = (chosen.id, chosen.revision) if chosen is not None else (0, 0)
    if st.session_state.get("wf_loaded") == loaded:
        return
    stale = ("wf_action_", f"{FILTER_KEY}_", "wf_edit_tier", "wf_edit_consent", "wf_consent", "wf_delete_confirm")
    for key in [k for k in st.session_state if str(k).startswith(stale)]:
        del st.session_state[key]
    d = chosen.definition.as_dict() if chosen is not None else None
    st.session_state["wf_name"] = d["name"] if d else ""
    st.session_state["wf_reenroll"] = d["reenroll"] if d else False
    rows = d["criteria"] if d else []
    st.session_state[f"{FILTER_KEY}__rows"] = [{"id": i + 1, **c} for i, c in enumerate(rows)]
    actions = d["actions"] if d else [{"type": "set_marketing_status", "to": "non_marketing"}]
    st.session_state["wf_actions"] = [
        {"id": i + 1, "type": a["type"], "param": a.get("to") or a.get("list")} for i, a in enumerate(actions)
    ]
    st.session_state["wf_loaded"] = loaded


def _save(engine: Any, chosen: Workflow | None, definition: dict[str, Any]) -> None:
    shown = st.session_state.get("wf_edit_tier")
    consented = isinstance(shown, TierRaise) and bool(st.session_state.get("wf_edit_consent"))
    try:
        if chosen is None:
            saved = service.create_workflow(engine, definition=definition, today=session.today(), actor=session.actor())
        else:
            saved = service.update_workflow(
                engine,
                chosen.id,
                definition=definition,
                today=session.today(),
                actor=session.actor(),
                confirmed=shown.promise() if consented and isinstance(shown, TierRaise) else None,
            )
    except (TierUpgradeRequired, ConfirmationOutdated) as exc:
        p, why = exc.payload, tuple(exc.differences) if isinstance(exc, ConfirmationOutdated) else ()
        raise_to = TierRaise(
            p["tier_limit_before"], p["tier_limit_after"], p["monthly_price_after"], p["currency"], why
        )
        st.session_state["wf_edit_tier"] = raise_to
        session.reset_later(wf_edit_consent=False)  # consent is to the figures shown
        st.rerun()
    for key in ("wf_edit_tier", "wf_edit_consent"):  # a consent is for one save only
        st.session_state.pop(key, None)
    if saved.enabled:
        flash(_("Workflow {name} saved.", name=repr(saved.name)))
    else:
        flash(_("Workflow {name} saved: dry-run it, then enable it.", name=repr(saved.name)))
    st.session_state["wf_pick_next"] = saved.id
    st.rerun()


def editor(engine: Any, chosen: Workflow | None, *, refused: bool) -> None:
    """Draw the editor for ``chosen`` (None: a new workflow) with its Save button."""
    _seed(chosen)
    lists = service.static_list_names(engine)
    st.subheader(_("New workflow") if chosen is None else _("Edit {name}", name=plain(repr(chosen.name))))
    st.text_input(
        pgettext("workflow", "Name"),
        key="wf_name",
        max_chars=200,
        placeholder=_("e.g. Unsubscribed leads become non-marketing"),
    )
    st.markdown(_("**Enrollment criteria**"))
    criteria = filter_builder(FILTER_KEY, list_names=lists)
    st.markdown(_("**Actions**, in order"))
    actions = [action_row(i, row, lists) for i, row in enumerate(st.session_state["wf_actions"], start=1)]
    st.button(_("Add action"), key="wf_action_add", icon=":material/add:", on_click=add_action)
    st.checkbox(
        _("Re-enroll contacts that match again after leaving the criteria"),
        key="wf_reenroll",
        help=_("Off: a contact goes through this workflow once."),
    )
    tier = st.session_state.get("wf_edit_tier")
    if isinstance(tier, TierRaise):
        session.apply_resets("wf_edit_consent")
        if tier.outdated:
            st.warning(outdated_text(list(tier.outdated), what="the contacts"), icon=":material/sync_problem:")
        st.warning(
            _(
                "This workflow is on: the edit would raise the billed tier from {before} to {after} contacts "
                "({price}/month).",
                before=tier.before,
                after=tier.after,
                price=i18n.money(tier.monthly_price_after, tier.currency),
            )
        )
        st.checkbox(_("I agree to the higher tier"), key="wf_edit_consent")
    definition = {
        "name": st.session_state["wf_name"],
        "criteria": criteria,
        "actions": [a for a in actions if a is not None],
        "reenroll": st.session_state["wf_reenroll"],
    }
    why = allowed.refused(Action.MANAGE_WORKFLOWS)
    if st.button(
        _("Save workflow"),
        key="wf_save",
        type="primary",
        icon=":material/save:",
        disabled=refused or bool(why),
        help=why,
    ):
        session.run(lambda: _save(engine, chosen, definition))
