"""The money effect of a decision (docs/domain.md §4, §10 "Money"): one computation, the same figures in usage,
simulate and every dry run, and what it predicts is what happens."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from core.rules.money import describe
from core.services.money import money_effect_in
from core.store import engine as db
from core.store.account import load_account
from tests.conftest import TODAY, Cli
from tests.factories import add_contacts

OTHERS = '[{"property": "lifecycle_stage", "operator": "eq", "value": "other"}]'
RENEWAL = "2027-01-15"  # the engine fixture's annual subscription started 2026-01-15


def _account(engine: Engine) -> None:
    """1,900 marketing leads and 700 non-marketing "other" contacts on a 2,000 tier at 890 USD."""
    add_contacts(engine, 1_900, state="marketing", prefix="m", lifecycle_stage="lead")
    add_contacts(engine, 700, state="non_marketing", prefix="o", lifecycle_stage="other")


def test_a_rise_costs_more_now_and_until_renewal_and_says_when_a_lower_tier_could_apply(
    engine: Engine, cli: Cli
) -> None:
    _account(engine)
    dry = cli("set-status", "--to", "marketing", "--filter", OTHERS, "--dry-run")
    money = dry["money"]
    assert (money["now"]["monthly_price_before"], money["now"]["monthly_price_after"]) == (890, 1_140)
    assert money["now"]["tier_limit_after"] == dry["tier_limit_after"] == 7_000
    assert (money["renewal"]["on"], money["renewal"]["monthly_price_after"]) == (RENEWAL, 1_140)
    assert money["lower_tier_from"] == RENEWAL
    assert money["next_update"]["marketing_after"] == 2_600


def test_scheduling_contacts_lowers_the_price_only_from_renewal_and_the_prediction_comes_true(
    engine: Engine, cli: Cli
) -> None:
    _account(engine)
    cli("set-status", "--to", "marketing", "--filter", OTHERS, "--allow-tier-upgrade")
    dry = cli("set-status", "--to", "non-marketing", "--filter", OTHERS, "--dry-run")
    money = dry["money"]
    assert money["now"]["monthly_price_change"] == 0, "the tier is never lowered before renewal"
    assert money["next_update"]["monthly_price_change"] == 0
    assert (money["renewal"]["monthly_price_before"], money["renewal"]["monthly_price_after"]) == (1_140, 890)
    cli("set-status", "--to", "non-marketing", "--filter", OTHERS)
    usage = cli("usage")
    assert (usage["monthly_price"], usage["monthly_price_at_next_update"], usage["monthly_price_at_renewal"]) == (
        1_140,
        1_140,
        890,
    )
    assert usage["pending_saves_at_renewal"] == 250 and usage["pending_saves_at_next_update"] == 0
    assert usage["money"]["renewal"] == money["renewal"] | {
        "marketing_before": 1_900,
        "tier_limit_before": 2_000,
        "monthly_price_before": 890,
        "monthly_price_change": 0,
    }
    simulated = cli("simulate", "--on", RENEWAL)
    assert simulated["monthly_price"] == money["renewal"]["monthly_price_after"] == 890, "what simulate says then"
    assert simulated["money"]["now"]["monthly_price_before"] == 890


def test_every_figure_comes_from_the_one_computation(engine: Engine, cli: Cli) -> None:
    _account(engine)
    with db.read(engine) as conn:
        effect = money_effect_in(conn, load_account(conn), today=TODAY, update_delta=-100)
    usage = cli("usage")
    assert usage["money"]["renewal"]["monthly_price_before"] == effect.renewal.price_before
    assert effect.lower_tier_from == date(2027, 1, 15)
    sentence = describe(effect)
    assert "now 890 USD a month (unchanged)" in sentence and "from renewal 15 Jan 2027" in sentence
    whatif = cli("set-status", "--to", "non-marketing", "--filter", OTHERS, "--dry-run")
    assert whatif["money"]["renewal"]["on"] == usage["renewal_date"] == RENEWAL
