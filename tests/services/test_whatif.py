"""What-if: setting a selection non-marketing today, simulated without writing anything."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from core.rules.filters import parse_filter
from core.rules.selection import Selection
from core.services.account_settings import current_settings, update_settings
from core.services.whatif import what_if
from core.store.schema import contacts, status_events
from tests.conftest import TODAY, Cli
from tests.services.usage_data import count, dated_contacts, emails, import_rows, make_list, person

LEADS = '[{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}]'


def _contacts(cli: Cli, tmp_path: Path) -> None:
    rows = [person(n, stage="lead") for n in range(4)] + [person(n, stage="customer") for n in range(4, 8)]
    rows += [person(n, stage="customer", marketing=False) for n in range(8, 12)]
    import_rows(cli, tmp_path, rows, today=TODAY)
    cli("set-status", "--to", "non-marketing", "--emails", emails(0))


def test_what_if_writes_nothing_and_predicts_what_set_status_then_simulate_show(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    _contacts(cli, tmp_path)
    events = count(engine, status_events)
    effect = what_if(engine, selection=Selection(conditions=parse_filter(LEADS)), today=TODAY)
    assert count(engine, status_events) == events, "a what-if writes nothing"
    assert (effect.selected, effect.would_leave, effect.not_included) == (4, 3, 1)
    assert effect.next_update_date == date(2026, 12, 1)
    assert (effect.marketing_before, effect.marketing_after) == (7, 4)
    cli("set-status", "--to", "non-marketing", "--filter", LEADS)
    later = cli("simulate", "--on", "2026-12-01")
    assert later["marketing"] == effect.marketing_after
    assert later["tier_limit"] == effect.tier_after
    assert later["renewal_tier"] == effect.renewal_tier_after


def test_what_if_shows_the_lower_tier_one_could_renew_at(engine: Engine, cli: Cli) -> None:
    dated_contacts(engine, n=2_100, made_on=date(2026, 11, 2))
    cli("set-status", "--to", "marketing", "--ids", "1", "--allow-tier-upgrade")  # the tier catches up: 7,000
    make_list(engine, "Old webinar", [f"h{i}@example.com" for i in range(1, 201)])
    effect = what_if(engine, selection=Selection(list_name="Old webinar"), today=TODAY)
    assert effect.would_leave == 200
    assert (effect.tier_before, effect.tier_after) == (7_000, 7_000), "the tier is never lowered before renewal"
    assert effect.renewal_date == date(2027, 1, 15)
    assert (effect.renewal_tier_before, effect.renewal_tier_after) == (7_000, 2_000)
    assert (effect.renewal_price_before, effect.renewal_price_after) == (890 + 250, 890)
    assert count(engine, contacts) == 2_100


def test_with_a_monthly_commitment_the_next_update_date_is_a_renewal_and_the_tier_drops_there(
    engine: Engine, cli: Cli
) -> None:
    dated_contacts(engine, n=2_100, made_on=date(2026, 11, 2))
    cli("set-status", "--to", "marketing", "--ids", "1", "--allow-tier-upgrade")
    monthly = replace(current_settings(engine).as_input(), commitment="monthly")
    update_settings(engine, monthly, today=TODAY, actor="test")
    make_list(engine, "Old webinar", [f"h{i}@example.com" for i in range(1, 201)])
    effect = what_if(engine, selection=Selection(list_name="Old webinar"), today=TODAY)
    assert effect.next_update_date == effect.renewal_date == date(2026, 12, 15)
    assert (effect.tier_before, effect.tier_after) == (7_000, 2_000)
    cli("set-status", "--to", "non-marketing", "--list", "Old webinar")
    later = cli("simulate", "--on", "2026-12-15")
    assert (later["marketing"], later["tier_limit"]) == (effect.marketing_after, effect.tier_after)
