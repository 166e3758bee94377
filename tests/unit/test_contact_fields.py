"""A contact's free-text fields: one rule for forms, the dashboard and imports."""

from __future__ import annotations

import pytest

from core.rules.contact_fields import LIMITS, FieldError, clean, cleaner


@pytest.mark.parametrize(
    ("key", "value", "stored"),
    [
        pytest.param("first_name", "  Ada ", "Ada", id="trimmed"),
        pytest.param("last_name", "", None, id="empty is none"),
        pytest.param("last_name", None, None, id="none is none"),
        pytest.param("lifecycle_stage", " Lead ", "lead", id="stage in lower case"),
        pytest.param("first_name", "x" * 100, "x" * 100, id="exactly the column size"),
        pytest.param("lifecycle_stage", "s" * 40, "s" * 40, id="a stage of 40"),
    ],
)
def test_a_field_is_stored_trimmed_and_empty_means_none(key: str, value: str | None, stored: str | None) -> None:
    assert clean(key, value) == stored


@pytest.mark.parametrize("key", sorted(LIMITS))
def test_one_character_over_the_column_size_is_refused_with_the_fields_name(key: str) -> None:
    with pytest.raises(FieldError, match=f"longer than {LIMITS[key]} characters"):
        clean(key, "y" * (LIMITS[key] + 1))


def test_a_fields_cleaner_for_a_file_applies_the_same_rule_and_names_the_column_it_is_given() -> None:
    clean_stage = cleaner("lifecycle_stage", label="'Lifecycle Stage'")
    assert (clean_stage(" Lead "), clean_stage("  ")) == (clean("lifecycle_stage", " Lead "), None)
    with pytest.raises(FieldError, match=r"^'Lifecycle Stage' is longer than 40 characters$"):
        clean_stage("s" * 41)


def test_a_stage_is_measured_as_stored_in_lower_case() -> None:
    assert clean("lifecycle_stage", "I" * 40) == "i" * 40
    with pytest.raises(FieldError, match="longer than 40 characters"):
        clean("lifecycle_stage", "İ" * 40)  # 80 characters in lower case: more than the column holds
