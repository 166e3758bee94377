"""Tiers, prices and alerts of docs/domain.md §4."""

from __future__ import annotations

import pytest

from core.rules.tiers import (
    DEFAULT_INCREMENT,
    INCLUDED_CONTACTS,
    Edition,
    Pricing,
    alerts,
    percent_of_tier,
    tier_after_change,
    tier_at_renewal,
)

STARTER, PRO, ENT = (Pricing.default(e) for e in (Edition.STARTER, Edition.PROFESSIONAL, Edition.ENTERPRISE))


@pytest.mark.parametrize(
    ("edition", "included", "increment"),
    [
        pytest.param(Edition.STARTER, 1_000, 1_000, id="starter includes 1,000 and adds 1,000 at a time"),
        pytest.param(Edition.PROFESSIONAL, 2_000, 5_000, id="professional includes 2,000 and adds 5,000 at a time"),
        pytest.param(Edition.ENTERPRISE, 10_000, 10_000, id="enterprise includes 10,000 and adds 10,000 at a time"),
    ],
)
def test_each_edition_includes_its_contacts_and_defaults_to_its_increment(
    edition: Edition, included: int, increment: int
) -> None:
    pricing = Pricing.default(edition)
    assert (pricing.included, pricing.increment) == (included, increment)
    assert INCLUDED_CONTACTS[edition] == included and DEFAULT_INCREMENT[edition] == increment


@pytest.mark.parametrize(
    ("pricing", "marketing", "tier"),
    [
        pytest.param(PRO, 0, 2_000, id="no contacts: the included tier"),
        pytest.param(PRO, 1_999, 2_000, id="just under the included tier"),
        pytest.param(PRO, 2_000, 2_000, id="exactly the included tier fits"),
        pytest.param(PRO, 2_001, 7_000, id="one over: one increment"),
        pytest.param(PRO, 7_000, 7_000, id="exactly one increment fits"),
        pytest.param(PRO, 7_001, 12_000, id="one over one increment: two"),
        pytest.param(STARTER, 1_001, 2_000, id="starter: one over adds 1,000"),
        pytest.param(STARTER, 5_500, 6_000, id="starter: many increments"),
        pytest.param(ENT, 10_001, 20_000, id="enterprise: one over adds 10,000"),
        pytest.param(Pricing(2_000, 1_000, 0, 0), 2_001, 3_000, id="an edited increment size is used"),
    ],
)
def test_the_fitting_tier_is_the_smallest_that_holds_the_marketing_count(
    pricing: Pricing, marketing: int, tier: int
) -> None:
    assert pricing.fitting_tier(marketing) == tier
    assert pricing.is_tier(tier)


@pytest.mark.parametrize(
    ("billed", "marketing", "after"),
    [
        pytest.param(2_000, 2_001, 7_000, id="going over upgrades at once to the smallest tier that fits"),
        pytest.param(2_000, 12_001, 17_000, id="a big jump skips the tiers that are too small"),
        pytest.param(7_000, 7_001, 12_000, id="going over an upgraded tier upgrades again"),
        pytest.param(7_000, 100, 7_000, id="a lower count never lowers the tier before renewal"),
        pytest.param(12_000, 7_000, 12_000, id="even when a smaller tier would fit"),
        pytest.param(2_000, 2_000, 2_000, id="reaching the tier exactly does not upgrade"),
    ],
)
def test_the_tier_after_a_change_goes_up_at_once_and_never_down(billed: int, marketing: int, after: int) -> None:
    assert tier_after_change(PRO, billed, marketing) == after


@pytest.mark.parametrize(
    ("marketing", "tier"),
    [
        pytest.param(1_500, 2_000, id="renewal lowers to the included tier when it fits"),
        pytest.param(6_999, 7_000, id="renewal lowers to the smallest upgraded tier that fits"),
        pytest.param(12_000, 12_000, id="renewal keeps a tier that is still needed"),
    ],
)
def test_at_renewal_the_tier_is_the_smallest_that_fits_that_days_count(marketing: int, tier: int) -> None:
    assert tier_at_renewal(PRO, marketing) == tier


@pytest.mark.parametrize(
    ("pricing", "tier", "price"),
    [
        pytest.param(PRO, 2_000, 890, id="the included tier costs the base price"),
        pytest.param(PRO, 7_000, 1_140, id="one increment adds its price"),
        pytest.param(PRO, 12_000, 1_390, id="two increments add two prices"),
        pytest.param(STARTER, 3_000, 120, id="starter increments"),
        pytest.param(ENT, 30_000, 3_800, id="enterprise increments"),
        pytest.param(Pricing(1_000, 500, 10, 7), 2_000, 24, id="edited prices and increments are used"),
    ],
)
def test_the_monthly_price_is_the_base_plus_one_price_per_increment(pricing: Pricing, tier: int, price: int) -> None:
    assert pricing.monthly_price(tier) == price


@pytest.mark.parametrize(
    ("marketing", "thresholds", "exceeded"),
    [
        pytest.param(0, [], False, id="no contacts: no alert"),
        pytest.param(1_499, [], False, id="just under 75 %: no alert"),
        pytest.param(1_500, [75], False, id="at 75 %: the first alert"),
        pytest.param(1_799, [75], False, id="just under 90 %"),
        pytest.param(1_800, [75, 90], False, id="at 90 %: the second alert"),
        pytest.param(1_959, [75, 90], False, id="just under 98 %"),
        pytest.param(1_960, [75, 90, 98], False, id="at 98 %: the third alert"),
        pytest.param(2_000, [75, 90, 98], False, id="at the tier: not exceeded yet"),
        pytest.param(2_001, [75, 90, 98, 100], True, id="over the tier: exceeded"),
    ],
)
def test_alerts_fire_at_75_90_and_98_percent_and_when_the_tier_is_exceeded(
    marketing: int, thresholds: list[int], exceeded: bool
) -> None:
    found = alerts(marketing, 2_000)
    assert [a.threshold for a in found] == thresholds
    assert any(a.level == "error" for a in found) is exceeded
    assert all(a.level == "warning" for a in found if a.threshold < 100)
    assert all(a.message for a in found)


@pytest.mark.parametrize(
    ("marketing", "tier", "percent"),
    [(0, 2_000, 0.0), (1_500, 2_000, 75.0), (1, 3, 33.3), (2, 3, 66.7), (2_010, 2_000, 100.5), (5, 0, 0.0)],
)
def test_the_percent_of_tier_is_rounded_to_a_tenth(marketing: int, tier: int, percent: float) -> None:
    assert percent_of_tier(marketing, tier) == percent


@pytest.mark.parametrize(("limit", "ok"), [(2_000, True), (7_000, True), (4_000, False), (1_000, False)])
def test_only_the_included_tier_plus_whole_increments_are_tiers(limit: int, ok: bool) -> None:
    assert PRO.is_tier(limit) is ok
