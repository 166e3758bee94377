"""Account settings are validated as a whole, with a sentence per problem; a new billed tier is recorded."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import Engine, select

from core.services.account_settings import InvalidSettings, SettingsInput, current_settings, update_settings
from core.store.schema import tier_changes
from tests.conftest import TODAY
from tests.services.usage_data import dated_contacts


def _now(engine: Engine) -> SettingsInput:
    return current_settings(engine).as_input()


def test_valid_settings_are_saved_and_a_new_billed_tier_is_recorded_as_a_tier_change(engine: Engine) -> None:
    wanted = replace(
        _now(engine),
        commitment="monthly",
        billed_tier=12_000,
        increment_size=5_000,
        base_price=900,
        increment_price=300,
    )
    saved = update_settings(engine, wanted, today=TODAY, actor="ops")
    assert (saved.commitment, saved.billed_tier, saved.base_price, saved.increment_price) == (
        "monthly",
        12_000,
        900,
        300,
    )
    assert saved.changed == ["commitment", "billed_tier", "base_price", "increment_price"]
    with engine.connect() as conn:
        change = conn.execute(select(tier_changes).order_by(tier_changes.c.id.desc())).mappings().first()
    assert change is not None
    assert (change["old_limit"], change["new_limit"], change["reason"], change["actor"]) == (
        2_000,
        12_000,
        "settings",
        "ops",
    )


def test_changing_the_edition_changes_the_included_contacts(engine: Engine) -> None:
    wanted = replace(_now(engine), edition="enterprise", billed_tier=10_000, increment_size=10_000)
    saved = update_settings(engine, wanted, today=TODAY, actor="ops")
    assert (saved.edition, saved.included, saved.billed_tier) == ("enterprise", 10_000, 10_000)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"edition": "premium"}, "The edition must be starter, professional or enterprise, not 'premium'."),
        ({"commitment": "weekly"}, "The commitment must be monthly or annual, not 'weekly'."),
        (
            {"start_date": date(2026, 12, 1)},
            "The subscription start date (2026-12-01) must be a date no later than today.",
        ),
        ({"increment_size": 0}, "The increment size must be a whole number from 1 to 1,000,000, not 0."),
        ({"base_price": -5}, "The base price must be a whole number from 0 to 10,000,000, not -5."),
        ({"billed_tier": 3_000}, "The billed tier must be the 2,000 included contacts plus whole increments of 5,000"),
    ],
)
def test_each_invalid_field_is_refused_with_a_clear_sentence(engine: Engine, change: dict, message: str) -> None:
    with pytest.raises(InvalidSettings) as refused:
        update_settings(engine, replace(_now(engine), **change), today=TODAY, actor="ops")
    assert any(p.startswith(message) for p in refused.value.problems), refused.value.problems


def test_every_problem_is_reported_at_once_and_nothing_is_saved(engine: Engine) -> None:
    before = current_settings(engine)
    wanted = replace(_now(engine), commitment="weekly", base_price=-1, increment_price=-1)
    with pytest.raises(InvalidSettings) as refused:
        update_settings(engine, wanted, today=TODAY, actor="ops")
    assert len(refused.value.problems) == 3
    assert current_settings(engine) == before


def test_the_billed_tier_must_hold_the_marketing_contacts(engine: Engine) -> None:
    dated_contacts(engine, n=2_001, made_on=TODAY)
    with pytest.raises(InvalidSettings, match="must hold the 2,001 marketing contacts: 7,000 or more, not 2,000"):
        update_settings(engine, _now(engine), today=TODAY, actor="ops")
    saved = update_settings(engine, replace(_now(engine), billed_tier=7_000), today=TODAY, actor="ops")
    assert saved.billed_tier == 7_000
