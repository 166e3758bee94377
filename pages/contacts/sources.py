"""Default status of new contacts by the tool that creates them (docs/domain.md §5): per form, chatflow and app.

Switching a tool on goes through a confirmation that shows how close the account is to a tier upgrade.
"""

import pandas as pd
import streamlit as st

from core.services.sources import FIXED_SOURCES, list_source_settings
from pages.contacts import _sources_add as sources_add
from pages.contacts import _sources_switch as sources_switch
from pages.shared import access, session
from pages.shared.i18n import N_, _, t
from pages.shared.messages import show_flash

FIXED_NAMES = {
    "mobile_app": N_("Mobile app"),
    "logged_email": N_("Logged 1:1 email"),
    "connected_inbox": N_("Connected inbox"),
    "document": N_("Document open"),
    "meeting_link": N_("Meeting link"),
    "email_extension": N_("Email extension"),
    "multi_object_import": N_("Multi-object import"),
}

access.require_access()
st.title(_("Default status by source"))
st.caption(
    _(
        "Whether a contact a tool creates is a marketing contact (billed) or not. Switching a tool never "
        "changes existing contacts: it applies to what the tool does from then on."
    )
)
show_flash()
sources_switch.confirm_panel()
settings = session.run(lambda: list_source_settings(session.engine())) or []
sources_switch.switches(settings)
sources_add.add_form(settings)

st.subheader(_("Other sources"), anchor=False)
said = t()
others = [
    (_("Import"), _("Non-marketing unless the import sets all contacts as marketing")),
    (_("Manual creation"), _("The creator picks (“Marketing contact”, off by default)")),
]
others += [(said(FIXED_NAMES[s]) if s in FIXED_NAMES else s, _("Always non-marketing")) for s in FIXED_SOURCES]
st.dataframe(
    pd.DataFrame(others, columns=[_("Source"), _("New contacts")]), hide_index=True, key="src_fixed", width="stretch"
)
