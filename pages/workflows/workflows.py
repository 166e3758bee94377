"""Workflows (docs/domain.md §6.3): contact-based workflows that set marketing status; list, edit, enable, run, log."""

import pandas as pd
import streamlit as st

from core.services.workflows import definitions as service
from pages.shared import access, session
from pages.shared.messages import show_flash
from pages.workflows import _editor as workflows_editor
from pages.workflows import _enable as workflows_enable
from pages.workflows import _log as workflows_log
from pages.workflows import _run as workflows_run

access.require_access()
st.title("Workflows")
st.caption(
    "Contacts who match a workflow's enrollment criteria go through its actions in order, once unless "
    "re-enrollment is on. **Set marketing contact status** follows the usual rule: non-marketing waits for the "
    "next update date, marketing is immediate and billed from now."
)
engine = session.engine()
refusal = service.unavailable_reason(engine)
if refusal:
    st.warning(refusal, icon=":material/lock:")
show_flash()

head = st.columns([4, 1], vertical_alignment="bottom")
head[0].subheader("All workflows")
with head[1]:
    clicked = workflows_run.run_now(disabled=bool(refusal))
if clicked:
    workflows_run.run_all()
flows = session.run(lambda: service.list_workflows(engine)) or []

if flows:
    table = pd.DataFrame(
        [
            {
                "Workflow": w.name,
                "On": w.enabled,
                "Enrolled": w.counts["enrolled"],
                "Completed": w.counts["completed"],
                "Retrying": w.counts["retrying"],
                "Failed": w.counts["failed"],
                "Waiting": w.counts["active"],
                "Enrollment criteria": "; ".join(c.describe() for c in w.definition.criteria),
                "Actions": " → ".join(a.describe() for a in w.definition.actions),
            }
            for w in flows
        ]
    )
    number = st.column_config.NumberColumn(format="localized", width="small")
    st.dataframe(
        table,
        hide_index=True,
        key="wf_table",
        column_config={k: number for k in ("Enrolled", "Completed", "Retrying", "Failed", "Waiting")}
        | {
            "On": st.column_config.CheckboxColumn(width="small", help="Enabled: enrolls and runs"),
            "Waiting": st.column_config.NumberColumn(
                format="localized", width="small", help="Enrolled, waiting for their next action"
            ),
        },
    )
else:
    st.info("No workflow yet: create one below.", icon=":material/account_tree:")

if "wf_pick_next" in st.session_state:  # set by Save / Delete before their rerun: select that workflow now
    st.session_state["wf_pick"] = st.session_state.pop("wf_pick_next")
by_id = {w.id: w for w in flows}
if st.session_state.get("wf_pick") not in (0, *by_id):
    st.session_state["wf_pick"] = 0
pick = st.selectbox(
    "Workflow",
    [0, *by_id],
    key="wf_pick",
    format_func=lambda i: "+ New workflow" if i == 0 else by_id[i].name,  # stable labels keep the choice
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
