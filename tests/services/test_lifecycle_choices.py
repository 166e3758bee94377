"""The lifecycle stages offered in dropdowns: HubSpot's stages first, then each custom stage the contacts have, once."""

from sqlalchemy import Engine

from core.services.contacts import lifecycle_stages
from tests.factories import add_contacts


def test_custom_stages_follow_hubspots_each_once_and_empty_stages_are_not_offered(engine: Engine) -> None:
    add_contacts(engine, 3, prefix="p", lifecycle_stage="partner")
    add_contacts(engine, 2, prefix="r", lifecycle_stage="reseller")
    add_contacts(engine, 2, prefix="l", lifecycle_stage="lead")
    add_contacts(engine, 1, prefix="n")
    values = [value for value, _ in lifecycle_stages(engine)]
    assert values[:8] == [
        "subscriber",
        "lead",
        "marketingqualifiedlead",
        "salesqualifiedlead",
        "opportunity",
        "customer",
        "evangelist",
        "other",
    ]
    assert values[8:] == ["partner", "reseller"]


def test_with_no_contacts_only_hubspots_stages_are_offered(engine: Engine) -> None:
    assert len(lifecycle_stages(engine)) == 8
