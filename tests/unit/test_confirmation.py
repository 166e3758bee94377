"""Binding confirmations as a pure rule (docs/domain.md §10): what differs between what a person confirmed and
what the change would do now, in the words the dialog and the command line show."""

from __future__ import annotations

import pytest

from core.errors import ConfirmationOutdated, DomainError
from core.rules.confirmation import Confirmed, Figures, differences, hold_to

ISSUE = Figures(changes=1_448, tier_limit=7_000, monthly_price=1_140, tier_limit_before=2_000)


@pytest.mark.parametrize(
    ("confirmed", "now", "expected"),
    [
        pytest.param(Confirmed.of(ISSUE), ISSUE, [], id="the same figures differ in nothing"),
        pytest.param(
            Confirmed.of(ISSUE),
            Figures(21_448, 27_000, 2_140, 2_000),
            [
                "1,448 contacts were confirmed, 21,448 would now change",
                "the billed tier would rise to 27,000, 7,000 was agreed to",
                "the monthly price would be 2,140 USD, 1,140 USD was agreed to",
            ],
            id="the issue: an import in another tab grew the change and the tier",
        ),
        pytest.param(
            Confirmed(changes=1),
            Figures(2, 2_000, 890, 2_000),
            ["1 contact was confirmed, 2 would now change"],
            id="one contact confirmed reads in the singular",
        ),
        pytest.param(
            Confirmed(changes=3),
            Figures(2, 2_000, 890, 2_000),
            ["3 contacts were confirmed, 2 would now change"],
            id="a change that shrank differs too",
        ),
        pytest.param(
            Confirmed(tier_limit=7_000),
            Figures(1, 2_000, 890, 2_000),
            ["the billed tier would stay at 2,000, 7,000 was agreed to"],
            id="a tier consented to that is no longer needed differs",
        ),
        pytest.param(
            Confirmed(tier_limit=2_000),
            Figures(1, 7_000, 1_140, 2_000),
            ["the billed tier would rise to 7,000, 2,000 was agreed to"],
            id="a tier that would now rise was only confirmed, not consented",
        ),
        pytest.param(
            Confirmed(monthly_price=890),
            Figures(1, 2_000, 990, 2_000),
            ["the monthly price would be 990 USD, 890 USD was agreed to"],
            id="a price changed in the settings meanwhile differs",
        ),
        pytest.param(
            Confirmed(changes=None, tier_limit=7_000, monthly_price=None),
            Figures(9_999, 7_000, 5, 2_000),
            [],
            id="figures left out of the confirmation are not compared",
        ),
    ],
)
def test_differences_name_each_confirmed_figure_the_change_no_longer_matches(
    confirmed: Confirmed, now: Figures, expected: list[str]
) -> None:
    assert differences(confirmed, now, currency="USD") == expected


def test_a_workflow_counts_the_contacts_that_would_enroll() -> None:
    found = differences(Confirmed(changes=120), Figures(20_120, 2_000, 890, 2_000), verb="enroll")
    assert found == ["120 contacts were confirmed, 20,120 would now enroll"]


def test_a_confirmed_tier_is_the_consent_to_exactly_that_tier() -> None:
    assert Confirmed(tier_limit=7_000).consents_to(7_000)
    assert not Confirmed(tier_limit=7_000).consents_to(12_000)
    assert not Confirmed(tier_limit=7_000).consents_to(2_000)
    assert not Confirmed(changes=5).consents_to(7_000)


@pytest.mark.parametrize("bad", [-1, True, 1.5, "12"], ids=["negative", "a boolean", "a fraction", "text"])
def test_a_confirmed_figure_is_a_whole_number(bad: object) -> None:
    with pytest.raises(DomainError, match="whole number"):
        Confirmed(changes=bad)  # type: ignore[arg-type]


def test_holding_to_a_confirmation_refuses_with_the_new_figures_and_what_was_confirmed() -> None:
    hold_to(None, ISSUE, payload={})  # nothing confirmed: nothing to hold to
    hold_to(Confirmed.of(ISSUE), ISSUE, payload={})  # the same figures: the change goes ahead
    with pytest.raises(ConfirmationOutdated) as refused:
        hold_to(Confirmed(changes=1_448), Figures(21_448, 27_000, 2_140, 2_000), payload={"will_change": 21_448})
    assert refused.value.exit_code == 3
    assert refused.value.payload == {
        "will_change": 21_448,
        "differences": ["1,448 contacts were confirmed, 21,448 would now change"],
        "confirmed": {"changes": 1_448, "tier_limit": None, "monthly_price": None},
    }
    assert "Nothing was changed" in str(refused.value)
