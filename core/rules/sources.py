"""Default marketing status of new contacts by the tool that creates them (DOMAIN.md §5)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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

# Other ways a contact's status can be changed (status_source_type values that do not create contacts).
STATUS_ONLY_SOURCES: tuple[str, ...] = ("workflow", "bulk_action", "usage_wizard", "update", "demo")


@dataclass(frozen=True)
class Decision:
    marketing: bool
    reason: str


def parse_source(text: str) -> SourceType:
    try:
        return SourceType(text.strip().lower())
    except ValueError:
        known = ", ".join(s.value for s in SourceType)
        raise ValueError(f"unknown source {text!r}: use one of {known}") from None


def default_for_new_contact(
    source: SourceType, *, tool_setting: bool | None, creator_choice: bool | None = None
) -> Decision:
    """Status of a contact this source creates: the tool's own setting where adjustable, else non-marketing.

    ``tool_setting`` is the per-form/chatflow/app/import switch (None = never set: the default applies);
    ``creator_choice`` is what a person creating a contact by hand picked.
    """
    if source in ALWAYS_NON_MARKETING:
        return Decision(False, f"{source.value} always creates non-marketing contacts")
    if source == SourceType.MANUAL:
        chosen = bool(creator_choice)
        return Decision(chosen, "the creator chose " + ("marketing" if chosen else "non-marketing"))
    setting = ADJUSTABLE_DEFAULTS[source] if tool_setting is None else tool_setting
    state = "marketing" if setting else "non-marketing"
    where = "default" if tool_setting is None else "setting"
    return Decision(setting, f"the {source.value}'s {where} makes new contacts {state}")


def submission_makes_existing_marketing(source: SourceType, *, tool_setting: bool | None) -> bool:
    """Only a form whose switch is on turns an existing (non-marketing or pending) contact marketing."""
    if source != SourceType.FORM:
        return False
    return ADJUSTABLE_DEFAULTS[source] if tool_setting is None else tool_setting
