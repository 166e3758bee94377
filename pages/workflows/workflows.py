"""Workflows (docs/domain.md §6.3): contact-based workflows that set marketing status; list, edit, enable, run, log."""

import pandas as pd
import streamlit as st

from core.services.workflows import definitions as service
from pages.shared import access, i18n, session
from pages.shared.i18n import _
from pages.shared.messages import show_flash
from pages.workflows import _editor as workflows_editor
from pages.workflows import _enable as workflows_enable
from pages.workflows import _log as workflows_log
from pages.workflows import _run as workflows_run

access.require_access()
st.title(_("Workflows"))
st.caption(
    _(
        "Contacts who match a workflow's enrollment criteria go through its actions in order, once unless "
        "re-enrollment is on. **Set marketing contact status** follows the usual rule: non-marketing waits for the "
        "next update date, marketing is immediate and billed from now."
    )
)
engine = session.engine()
t = i18n.t()
refusal = service.unavailable_reason(engine, t)
if refusal:
    st.warning(refusal, icon=":material/lock:")
show_flash()

head = st.columns([4, 1], vertical_alignment="bottom")
head[0].subheader(_("All workflows"))
with head[1]:
    clicked = workflows_run.run_now(disabled=bool(refusal))
if clicked:
    workflows_run.run_all()
flows = session.run(lambda: service.list_workflows(engine)) or []

if flows:
    names = {
        "name": _("Workflow"),
        "on": _("On"),
        "enrolled": _("Enrolled"),
        "completed": _("Completed"),
        "retrying": _("Retrying"),
        "failed": _("Failed"),
        "active": _("Waiting"),
        "criteria": _("Enrollment criteria"),
        "actions": _("Actions"),
    }
    table = pd.DataFrame(
        [
            {
                names["name"]: w.name,
                names["on"]: w.enabled,
                **{names[k]: w.counts[k] for k in ("enrolled", "completed", "retrying", "failed", "active")},
                names["criteria"]: "; ".join(c.describe(t) for c in w.definition.criteria),
                names["actions"]: " → ".join(a.describe(t) for a in w.definition.actions),
            }
            for w in flows
        ]
    )
    number = st.column_config.NumberColumn(format="localized", width="small")
    st.dataframe(
        table,
        hide_index=True,
        key="wf_table",
        column_config={names[k]: number for k in ("enrolled", "completed", "retrying", "failed")}
        | {
            names["on"]: st.column_config.CheckboxColumn(width="small", help=_("Enabled: enrolls and runs")),
            names["active"]: st.column_config.NumberColumn(
                format="localized", width="small", help=_("Enrolled, waiting for their next action")
            ),
        },
    )
else:
    st.info(_("No workflow yet: create one below."), icon=":material/account_tree:")

if "wf_pick_next" in st.session_state:  # set by Save / Delete before their rerun: select that workflow now
    st.session_state["wf_pick"] = st.session_state.pop("wf_pick_next")
by_id = {w.id: w for w in flows}
if st.session_state.get("wf_pick") not in (0, *by_id):
    st.session_state["wf_pick"] = 0
new_workflow = _("+ New workflow")
pick = st.selectbox(
    _("Workflow"),
    [0, *by_id],
    key="wf_pick",
    format_func=lambda i: new_workflow if i == 0 else by_id[i].name,  # stable labels keep the choice
)
chosen = by_id.get(pick)
left, right = st.columns([3, 2], gap="large")  # the editor's action row needs the room
with left:
    workflows_editor.editor(engine, chosen, refused=bool(refusal))
with right:
    if chosen is not None:
        workflows_enable.panel(engine, chosen, refused=bool(refusal))

st.divider()
workflows_log.log(engine, chosen)
