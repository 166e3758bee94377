"""The sentence a confirmation shows for a money effect (docs/domain.md §10 "Money"), as a table."""

from __future__ import annotations

from datetime import date

import pytest

from core.rules.money import MoneyEffect, PriceOn, describe

NOW, UPDATE, RENEWAL = date(2026, 11, 26), date(2026, 12, 1), date(2027, 1, 15)


def effect(now: tuple[int, int], update: tuple[int, int], renewal: tuple[int, int]) -> MoneyEffect:
    """(tier before, tier after) on each day, priced 890 for 2,000 and 1,140 for 7,000."""
    price = {2_000: 890, 7_000: 1_140}

    def on(day: date, tiers: tuple[int, int]) -> PriceOn:
        return PriceOn(day, 0, 0, tiers[0], tiers[1], price[tiers[0]], price[tiers[1]])

    return MoneyEffect("USD", on(NOW, now), on(UPDATE, update), on(RENEWAL, renewal))


@pytest.mark.parametrize(
    ("money", "expected"),
    [
        pytest.param(
            effect((2_000, 7_000), (2_000, 7_000), (2_000, 7_000)),
            [
                "Money: now 1,140 USD a month (+250 USD; tier 7,000)",
                "from renewal 15 Jan 2027 1,140 USD a month (+250 USD; tier 7,000)",
                "A lower tier could apply from 15 Jan 2027 at the earliest.",
            ],
            id="a rise costs more at once and until renewal at least",
        ),
        pytest.param(
            effect((7_000, 7_000), (7_000, 7_000), (7_000, 2_000)),
            [
                "Money: now 1,140 USD a month (unchanged)",
                "from the update date 01 Dec 2026 1,140 USD a month (unchanged)",
                "from renewal 15 Jan 2027 890 USD a month (−250 USD; tier 2,000)",
                "A lower tier applies from 15 Jan 2027, not before.",
            ],
            id="scheduling contacts saves only from renewal",
        ),
        pytest.param(
            effect((2_000, 2_000), (2_000, 2_000), (2_000, 2_000)),
            ["Money: now 890 USD a month (unchanged)", "at the earliest"],
            id="a change that moves no tier says so",
        ),
    ],
)
def test_the_money_sentence_names_each_day_and_when_a_lower_tier_could_apply(
    money: MoneyEffect, expected: list[str]
) -> None:
    sentence = describe(money)
    for part in expected:
        assert part in sentence
    assert money.lower_tier_from == RENEWAL
