"""The values a dropdown offers, with HubSpot's labels: lifecycle stages, marketing statuses, sources.

A property with a known set of values is chosen, never typed (issue 13): HubSpot's default lifecycle stages
and the custom ones the account's contacts have, each shown by its label and stored by its internal name."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.rules.hubspot_labels import stage_label
from core.rules.status import STATE_LABELS, State
from core.services.contacts import lifecycle_stages
from core.services.history import data_version
from pages.shared.i18n import _
from pages.shared.session import engine, per_run

STATUS_TEXT = {State.MARKETING.value: STATE_LABELS[State.MARKETING], "non_marketing": STATE_LABELS[State.NON_MARKETING]}


@st.cache_data(ttl=60, show_spinner=False)
def _stages(_engine: Any, url: str, version: str) -> list[tuple[str, str]]:
    del url, version  # only part of the key: a new stage appears once data changes
    return lifecycle_stages(_engine)


def stages() -> list[str]:
    """The stored values of the lifecycle stages to offer, HubSpot's default ones first."""
    db = engine()
    version = per_run("data_version", lambda: data_version(db))
    return [value for value, _ in _stages(db, str(db.url), version)]


def stage_picker(label: str, *, key: str, current: str | None = None) -> str | None:
    """A lifecycle stage chosen from HubSpot's stages by label (its internal name is what is stored); none is
    allowed. A current custom stage stays among the options."""
    options = stages()
    if current and current not in options:
        options = [*options, current]
    index = options.index(current) if current in options else None
    picked: str | None = st.selectbox(
        label,
        options,
        index=index,
        key=key,
        format_func=stage_label,
        placeholder=_("No stage"),
        accept_new_options=False,
    )
    return picked


def status_label(value: str) -> str:
    return STATUS_TEXT.get(value, value)
