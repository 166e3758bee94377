"""Default marketing status of new contacts by the tool that creates them (docs/domain.md §5)."""

from __future__ import annotations

from enum import StrEnum

from core.errors import InvalidValue
from core.i18n import N_


class SourceType(StrEnum):
    FORM = "form"
    IMPORT = "import"
    CHATFLOW = "chatflow"
    INTEGRATION = "integration"
    MANUAL = "manual"
    MOBILE_APP = "mobile_app"
    LOGGED_EMAIL = "logged_email"
    CONNECTED_INBOX = "connected_inbox"
    DOCUMENT = "document"
    MEETING_LINK = "meeting_link"
    EMAIL_EXTENSION = "email_extension"
    MULTI_OBJECT_IMPORT = "multi_object_import"


# Sources whose setting is per tool (form id, chatflow id, app id) and their defaults.
ADJUSTABLE_DEFAULTS: dict[SourceType, bool] = {
    SourceType.FORM: True,
    SourceType.IMPORT: False,
    SourceType.CHATFLOW: False,
    SourceType.INTEGRATION: False,
    SourceType.MANUAL: False,
}
ALWAYS_NON_MARKETING: frozenset[SourceType] = frozenset(
    {
        SourceType.MOBILE_APP,
        SourceType.LOGGED_EMAIL,
        SourceType.CONNECTED_INBOX,
        SourceType.DOCUMENT,
        SourceType.MEETING_LINK,
        SourceType.EMAIL_EXTENSION,
        SourceType.MULTI_OBJECT_IMPORT,
    }
)


def parse_source(text: str) -> SourceType:
    try:
        return SourceType(text.strip().lower())
    except ValueError:
        known = ", ".join(s.value for s in SourceType)
        raise InvalidValue(N_("unknown source {text}: use one of {known}"), text=repr(text), known=known) from None


def default_for_new_contact(source: SourceType, *, tool_setting: bool | None) -> bool:
    """Whether a contact this source creates is marketing: the tool's own setting where adjustable, else not.

    ``tool_setting`` is the per-form/chatflow/app/import switch, or for manual creation what the person
    creating the contact picked; None = never set (the default applies).
    """
    if source in ALWAYS_NON_MARKETING:
        return False
    return ADJUSTABLE_DEFAULTS[source] if tool_setting is None else tool_setting


def submission_makes_existing_marketing(source: SourceType, *, tool_setting: bool | None) -> bool:
    """Only a form whose switch is on turns an existing (non-marketing or pending) contact marketing."""
    if source != SourceType.FORM:
        return False
    return ADJUSTABLE_DEFAULTS[source] if tool_setting is None else tool_setting
