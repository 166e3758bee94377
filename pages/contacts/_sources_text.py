"""Default status by source: the sentences said about each kind of tool (forms, chatflows, connected apps).

Each kind has its own whole sentences, so that each language can say them its way (a tool's name changes the words
around it in Polish); marked ``N_`` and translated where shown.
"""

from __future__ import annotations

from core.rules.sources import SourceType
from pages.shared.i18n import N_

TITLES = {
    SourceType.FORM: N_("Forms"),
    SourceType.CHATFLOW: N_("Chatflows"),
    SourceType.INTEGRATION: N_("Connected apps"),
}
EFFECT = {
    SourceType.FORM: N_(
        "new contacts from this form are marketing, and an existing non-marketing contact who "
        "submits it becomes marketing (a pending change is undone)"
    ),
    SourceType.CHATFLOW: N_("new contacts from this chatflow are marketing"),
    SourceType.INTEGRATION: N_("contacts this app creates from now on are marketing (existing ones keep their status)"),
}
SWITCH_ON = {
    SourceType.FORM: N_(
        "**Switch on form {id}?** While on, new contacts from this form are marketing, and an existing "
        "non-marketing contact who submits it becomes marketing (a pending change is undone)."
    ),
    SourceType.CHATFLOW: N_("**Switch on chatflow {id}?** While on, new contacts from this chatflow are marketing."),
    SourceType.INTEGRATION: N_(
        "**Switch on connected app {id}?** While on, contacts this app creates from now on are marketing "
        "(existing ones keep their status)."
    ),
}
UNTIL_SWITCHED = {  # by whether the kind's default is marketing (core.rules.sources.ADJUSTABLE_DEFAULTS)
    (SourceType.FORM, True): N_("New forms make marketing contacts until switched."),
    (SourceType.FORM, False): N_("New forms make non-marketing contacts until switched."),
    (SourceType.CHATFLOW, True): N_("New chatflows make marketing contacts until switched."),
    (SourceType.CHATFLOW, False): N_("New chatflows make non-marketing contacts until switched."),
    (SourceType.INTEGRATION, True): N_("New connected apps make marketing contacts until switched."),
    (SourceType.INTEGRATION, False): N_("New connected apps make non-marketing contacts until switched."),
}
NONE_YET = {
    SourceType.FORM: N_("No forms yet: add one below, or it appears when it first creates a contact."),
    SourceType.CHATFLOW: N_("No chatflows yet: add one below, or it appears when it first creates a contact."),
    SourceType.INTEGRATION: N_("No connected apps yet: add one below, or it appears when it first creates a contact."),
}
KINDS = {SourceType.FORM: N_("Form"), SourceType.CHATFLOW: N_("Chatflow"), SourceType.INTEGRATION: N_("Connected app")}
NEEDS_ID = {
    SourceType.FORM: N_("Give the form its ID: the one the tool sends with each contact it creates."),
    SourceType.CHATFLOW: N_("Give the chatflow its ID: the one the tool sends with each contact it creates."),
    SourceType.INTEGRATION: N_("Give the connected app its ID: the one the tool sends with each contact it creates."),
}
LISTED = {
    SourceType.FORM: N_("A form with the ID “{id}” is already listed above: switch its toggle there."),
    SourceType.CHATFLOW: N_("A chatflow with the ID “{id}” is already listed above: switch its toggle there."),
    SourceType.INTEGRATION: N_("A connected app with the ID “{id}” is already listed above: switch its toggle there."),
}
