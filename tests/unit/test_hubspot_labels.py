"""HubSpot's labels and internal names (docs/domain.md §11): both accepted, the internal name stored, the label
shown; custom stages kept as they come. Pure rules, one row per case."""

from __future__ import annotations

import pytest

from core.rules.contact_fields import clean, cleaner
from core.rules.hubspot_labels import LIFECYCLE_STAGES, stage_label, stage_options, stage_value


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        pytest.param("Marketing Qualified Lead", "marketingqualifiedlead", id="HubSpot's label: its internal name"),
        pytest.param("marketingqualifiedlead", "marketingqualifiedlead", id="the internal name: itself"),
        pytest.param("MARKETING QUALIFIED LEAD", "marketingqualifiedlead", id="the label in any case"),
        pytest.param(" marketing  qualified_lead ", "marketingqualifiedlead", id="spaces and underscores"),
        pytest.param("MQL", "marketingqualifiedlead", id="the short form MQL"),
        pytest.param("Sales Qualified Lead", "salesqualifiedlead", id="SQL's label"),
        pytest.param("Lead", "lead", id="a one-word label"),
        pytest.param("Partner", "partner", id="a custom stage: kept, in lower case like every stage"),
        pytest.param("1234567", "1234567", id="a custom stage's internal id from the API: kept"),
        pytest.param("Key Account", "key account", id="a custom stage's spaces are kept"),
        pytest.param("  ", None, id="blank: no stage"),
        pytest.param(None, None, id="none: no stage"),
    ],
)
def test_a_stage_is_stored_by_hubspots_internal_name_whichever_form_came(given: str | None, stored: str | None) -> None:
    assert stage_value(given) == stored


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        pytest.param("marketingqualifiedlead", "Marketing Qualified Lead", id="a default stage: its label"),
        pytest.param("customer", "Customer", id="customer: Customer"),
        pytest.param("partner", "partner", id="a custom stage: as stored"),
        pytest.param(None, "", id="no stage: nothing"),
    ],
)
def test_a_stored_stage_is_shown_by_its_label(stored: str | None, shown: str) -> None:
    assert stage_label(stored) == shown


def test_every_default_stages_label_reads_back_as_its_name() -> None:
    assert all(stage_value(label) == name for name, label in LIFECYCLE_STAGES.items())
    assert all(stage_value(name) == name for name in LIFECYCLE_STAGES)


def test_the_choice_of_stages_is_hubspots_order_then_the_custom_ones() -> None:
    options = stage_options(["partner", "lead", None, "alumni", "partner"])  # type: ignore[list-item]
    assert options[: len(LIFECYCLE_STAGES)] == list(LIFECYCLE_STAGES.items())
    assert options[len(LIFECYCLE_STAGES) :] == [("alumni", "alumni"), ("partner", "partner")]


def test_a_contacts_stage_field_is_cleaned_by_the_same_rule_wherever_it_comes_from() -> None:
    from_file = cleaner("lifecycle_stage", label="'Lifecycle Stage'")
    assert from_file("Marketing Qualified Lead") == clean("lifecycle_stage", "MQL") == "marketingqualifiedlead"
    assert [from_file("Partner"), from_file("Partner")] == ["partner", "partner"]  # read once, then remembered
