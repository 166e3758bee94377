"""Users (admins only): who may sign in, their role, and the Marketing contact access grant."""

import pandas as pd
import streamlit as st

from core.rules.roles import Role
from core.services import users
from pages.shared import common

common.require_access()
st.title("Users")
if not common.is_admin():
    st.error("Only admins manage users.")
    st.stop()
frozen = common.writes_refused("Managing users")  # while simulating a future day, nothing is written
if st.session_state.get("local_mode"):
    st.info("Local mode: no user exists yet. The first user you add must be an admin; from then on everyone signs in.")


def done(message: str) -> None:
    st.session_state["users_message"] = message
    st.rerun()


message = st.session_state.pop("users_message", None)
if message:
    st.success(message)

people = users.list_users(common.engine())
if people:
    table = pd.DataFrame(
        [
            {
                "Username": u.username,
                "Name": u.display_name or "",
                "Email": u.email or "",
                "Role": u.role,
                "Marketing contact access": u.marketing_access,
                "Disabled": u.disabled,
                "Local password": u.has_password,
                "Locked until (UTC)": f"{u.locked_until:%Y-%m-%d %H:%M}" if u.locked_until else "",
                "Last sign-in (UTC)": f"{u.last_sign_in_at:%Y-%m-%d %H:%M}" if u.last_sign_in_at else "",
            }
            for u in people
        ]
    )
    st.dataframe(table, hide_index=True, key="users_table")

with st.expander("Add a user", expanded=not people), st.form("add_user", clear_on_submit=True):
    cols = st.columns(2)
    username = cols[0].text_input("Username", key="new_username")
    display_name = cols[1].text_input("Display name", key="new_display_name")
    email = cols[0].text_input("Email (for sign-in through the identity provider)", key="new_email")
    role = cols[1].selectbox("Role", [r.value for r in Role], key="new_role")
    password = st.text_input("Password (leave empty for identity-provider sign-in only)", type="password")
    st.caption("Admins and editors get Marketing contact access by default; viewers only read.")
    if st.form_submit_button("Add user", type="primary", disabled=frozen):
        added = common.run(
            lambda: users.add_user(
                common.engine(),
                username=username,
                role=Role(role),
                actor=common.actor(),
                today=common.real_today(),
                password=password or None,
                email=email or None,
                display_name=display_name or None,
            )
        )
        if added is not None:
            if st.session_state.get("local_mode"):
                st.session_state["signin_notice"] = "Local mode has ended: sign in with the admin account you added."
            done(f"Added {added.username} ({added.role}).")

if not people:
    st.stop()

st.subheader("Change a user")
chosen = st.selectbox("User", [u.username for u in people], key="change_user")
person = next(u for u in people if u.username == chosen)
common_args = {"username": person.username, "actor": common.actor(), "today": common.real_today()}
cols = st.columns(4)
new_role = cols[0].selectbox("Role", [r.value for r in Role], index=[r.value for r in Role].index(person.role))
if cols[0].button("Set role", key="set_role", disabled=frozen) and common.run(
    lambda: users.set_role(common.engine(), role=Role(new_role), **common_args)
):
    done(f"{person.username} is now {new_role}.")
grant = not person.marketing_access
label = "Grant Marketing contact access" if grant else "Revoke Marketing contact access"
if cols[1].button(label, key="toggle_access", disabled=frozen) and common.run(
    lambda: users.set_marketing_access(common.engine(), granted=grant, **common_args)
):
    done(f"Marketing contact access {'granted to' if grant else 'revoked from'} {person.username}.")
disable = not person.disabled
if cols[2].button("Disable" if disable else "Enable", key="toggle_disabled", disabled=frozen) and common.run(
    lambda: users.set_disabled(common.engine(), disabled=disable, **common_args)
):
    done(f"{person.username} is {'disabled' if disable else 'enabled'}.")
with cols[3].popover("Set password"), st.form("set_password", clear_on_submit=True):
    new_password = st.text_input("New password", type="password")
    if st.form_submit_button("Save password", disabled=frozen) and common.run(
        lambda: users.set_password(common.engine(), password=new_password, **common_args)
    ):
        done(f"Password set for {person.username}; any lockout is lifted.")
