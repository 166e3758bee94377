"""Users (admins only): who may sign in, their role, and the Marketing contact access grant."""

from collections.abc import Callable

import pandas as pd
import streamlit as st

from core.rules.roles import Role
from core.services import users
from core.services.users import UserInfo
from pages.shared import access, allowed, session
from pages.shared.allowed import Action
from pages.shared.i18n import _
from pages.shared.messages import Level, flash, show_flash
from pages.shared.roles import role_name

ROLES = [r.value for r in Role]

access.require_access()
st.title(_("Users"))
if denied := allowed.denied(Action.MANAGE_USERS):
    st.error(denied)  # already in the reader's language
    st.stop()
frozen = bool(allowed.refused(Action.MANAGE_USERS))  # while simulating a future day, nothing is written
if st.session_state.get("local_mode"):
    st.info(
        _("Local mode: no user exists yet. The first user you add must be an admin; from then on everyone signs in.")
    )


def done(message: str, *, level: Level = "success") -> None:
    flash(message, level=level)
    st.rerun()


def change(call: Callable[[], UserInfo], message: str) -> None:
    if session.run(call) is not None:
        done(message)


def add_form(first: bool) -> None:
    with st.expander(_("Add a user"), expanded=first), st.form("add_user", clear_on_submit=True):
        cols = st.columns(2)
        username = cols[0].text_input(_("Username"), key="new_username")
        display_name = cols[1].text_input(_("Display name"), key="new_display_name")
        email = cols[0].text_input(_("Email (for sign-in through the identity provider)"), key="new_email")
        role = cols[1].selectbox(_("Role"), ROLES, key="new_role", format_func=role_name)
        password = st.text_input(_("Password (leave empty for identity-provider sign-in only)"), type="password")
        st.caption(_("Admins and editors get Marketing contact access by default; viewers only read."))
        if not st.form_submit_button(_("Add user"), type="primary", disabled=frozen):
            return
        added = session.run(
            lambda: users.add_user(
                session.engine(),
                username=username,
                role=Role(role),
                actor=session.actor(),
                today=session.real_today(),
                password=password or None,
                email=email or None,
                display_name=display_name or None,
            )
        )
    if added is not None and st.session_state.get("local_mode"):  # the next run shows the sign-in page
        done(_("Local mode has ended: sign in with the admin account you added."), level="info")
    if added is not None:
        done(_("Added {name} ({role}).", name=added.username, role=role_name(added.role)))


def change_user(person: UserInfo) -> None:
    """Role, Marketing contact access, disabled, password: one button each."""
    engine, name, actor, today = session.engine(), person.username, session.actor(), session.real_today()
    cols = st.columns(4)
    new_role = Role(cols[0].selectbox(_("Role"), ROLES, index=ROLES.index(person.role), format_func=role_name))
    if cols[0].button(_("Set role"), key="set_role", disabled=frozen):
        change(
            lambda: users.set_role(engine, username=name, role=new_role, actor=actor, today=today),
            _("{name} is now {role}.", name=name, role=role_name(new_role.value)),
        )
    grant = not person.marketing_access
    label = _("Grant Marketing contact access") if grant else _("Revoke Marketing contact access")
    if cols[1].button(label, key="toggle_access", disabled=frozen):
        change(
            lambda: users.set_marketing_access(engine, username=name, granted=grant, actor=actor, today=today),
            _("Marketing contact access granted to {name}.", name=name)
            if grant
            else _("Marketing contact access revoked from {name}.", name=name),
        )
    disable = not person.disabled
    if cols[2].button(_("Disable") if disable else _("Enable"), key="toggle_disabled", disabled=frozen):
        change(
            lambda: users.set_disabled(engine, username=name, disabled=disable, actor=actor, today=today),
            _("{name} is disabled.", name=name) if disable else _("{name} is enabled.", name=name),
        )
    with cols[3].popover(_("Set password")), st.form("set_password", clear_on_submit=True):
        new_password = st.text_input(_("New password"), type="password")
        if st.form_submit_button(_("Save password"), disabled=frozen):
            change(
                lambda: users.set_password(engine, username=name, password=new_password, actor=actor, today=today),
                _("Password set for {name}; any lockout is lifted.", name=name),
            )


show_flash()
people = users.list_users(session.engine())
if people:
    table = pd.DataFrame(
        [
            {
                _("Username"): u.username,
                _("Name"): u.display_name or "",
                _("Email"): u.email or "",
                _("Role"): role_name(u.role),
                _("Marketing contact access"): u.marketing_access,
                _("Disabled"): u.disabled,
                _("Local password"): u.has_password,
                _("Locked until (UTC)"): f"{u.locked_until:%Y-%m-%d %H:%M}" if u.locked_until else "",
                _("Last sign-in (UTC)"): f"{u.last_sign_in_at:%Y-%m-%d %H:%M}" if u.last_sign_in_at else "",
            }
            for u in people
        ]
    )
    st.dataframe(table, hide_index=True, key="users_table")
add_form(first=not people)
if not people:
    st.stop()

st.subheader(_("Change a user"))
chosen = st.selectbox(_("User"), [u.username for u in people], key="change_user")
change_user(next(u for u in people if u.username == chosen))
