"""Default status of new contacts by the tool that creates them (docs/domain.md §5)."""

from __future__ import annotations

import pytest

from core.rules.contact_creation import ToolSetting, decide
from core.rules.sources import (
    SourceType,
    default_for_new_contact,
    parse_source,
    submission_makes_existing_marketing,
)

S = SourceType


@pytest.mark.parametrize(
    ("source", "marketing"),
    [
        pytest.param(S.FORM, True, id="a form makes new contacts marketing by default"),
        pytest.param(S.IMPORT, False, id="an import makes new contacts non-marketing by default"),
        pytest.param(S.CHATFLOW, False, id="a chatflow makes new contacts non-marketing by default"),
        pytest.param(S.INTEGRATION, False, id="a connected app makes new contacts non-marketing by default"),
    ],
)
def test_an_adjustable_tool_never_set_uses_its_default(source: SourceType, marketing: bool) -> None:
    assert default_for_new_contact(source, tool_setting=None) is marketing


@pytest.mark.parametrize("source", [S.FORM, S.IMPORT, S.CHATFLOW, S.INTEGRATION])
@pytest.mark.parametrize("setting", [True, False])
def test_an_adjustable_tool_follows_its_own_setting(source: SourceType, setting: bool) -> None:
    assert default_for_new_contact(source, tool_setting=setting) is setting
    created = decide(source, existing=None, setting=ToolSetting(setting), marketing=setting)  # an import's own switch
    assert created.state == ("marketing" if setting else "non_marketing")
    assert created.reason


@pytest.mark.parametrize(
    "identifier",
    [
        "mobile_app",
        "logged_email",
        "connected_inbox",
        "document",
        "meeting_link",
        "email_extension",
        "multi_object_import",
    ],
)
@pytest.mark.parametrize("setting", [None, True, False])
def test_the_fixed_sources_always_create_non_marketing_contacts(identifier: str, setting: bool | None) -> None:
    assert default_for_new_contact(parse_source(identifier), tool_setting=setting) is False
    created = decide(parse_source(identifier), existing=None, setting=ToolSetting(setting), marketing=True)
    assert created.state == "non_marketing"


@pytest.mark.parametrize(
    ("choice", "marketing"),
    [
        pytest.param(None, False, id="manual creation is non-marketing when the creator picks nothing"),
        pytest.param(False, False, id="manual creation as non-marketing"),
        pytest.param(True, True, id="manual creation as marketing when the creator picks it"),
    ],
)
def test_manual_creation_uses_the_creators_choice(choice: bool | None, marketing: bool) -> None:
    assert decide(S.MANUAL, existing=None, marketing=choice).state == ("marketing" if marketing else "non_marketing")


@pytest.mark.parametrize(
    ("source", "setting", "makes_marketing"),
    [
        pytest.param(S.FORM, None, True, id="a form with its default on makes an existing contact marketing"),
        pytest.param(S.FORM, True, True, id="a form switched on makes an existing contact marketing"),
        pytest.param(S.FORM, False, False, id="a form switched off leaves an existing contact alone"),
        pytest.param(S.CHATFLOW, True, False, id="a chatflow never changes an existing contact"),
        pytest.param(S.INTEGRATION, True, False, id="a connected app affects only new contacts"),
        pytest.param(S.IMPORT, True, False, id="an import setting applies to new contacts only"),
        pytest.param(S.MANUAL, True, False, id="manual creation of an existing email changes nothing"),
    ],
)
def test_only_a_form_switched_on_makes_an_existing_contact_marketing(
    source: SourceType, setting: bool | None, makes_marketing: bool
) -> None:
    assert submission_makes_existing_marketing(source, tool_setting=setting) is makes_marketing


@pytest.mark.parametrize("text", ["form", " Import ", "CHATFLOW", "integration", "manual"])
def test_source_identifiers_are_read_case_insensitively(text: str) -> None:
    assert parse_source(text).value == text.strip().lower()


@pytest.mark.parametrize("text", ["", "workflow", "csv", "forms"])
def test_an_unknown_source_is_refused_with_the_known_ones(text: str) -> None:
    with pytest.raises(ValueError, match="multi_object_import"):
        parse_source(text)
