"""The 12-month forecast follows the net marketing additions of the last 90 days in the event log."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Engine

from core.services.forecast import get_forecast
from tests.conftest import TODAY
from tests.services.usage_data import dated_contacts


def _trend(engine: Engine) -> None:
    """10 contacts made marketing on each of the last 90 days; 90 older ones left on the 1 Nov update date."""
    dated_contacts(engine, n=90, made_on=date(2026, 5, 20), left_on=date(2026, 11, 1))
    for back in range(90):
        dated_contacts(engine, n=10, made_on=TODAY - timedelta(days=back))
    dated_contacts(engine, n=500, made_on=TODAY - timedelta(days=120))  # before the window: no trend


def test_the_forecast_projects_the_net_additions_of_the_last_90_days(engine: Engine) -> None:
    _trend(engine)
    forecast = get_forecast(engine, today=TODAY)
    assert forecast.daily_change == (900 - 90) / 90  # 9 a day, net of the contacts that became non-marketing
    assert forecast.marketing_now == 1_400
    months = [(m.on, m.marketing) for m in forecast.months]
    assert len(months) == 12
    assert months[0] == (date(2026, 12, 1), 1_400 + 9 * 5)
    assert months[1] == (date(2027, 1, 1), 1_400 + 9 * 36)
    assert months[-1][0] == date(2027, 11, 1)


def test_the_forecast_names_the_day_the_tier_is_exceeded_and_prices_each_month(engine: Engine) -> None:
    _trend(engine)
    forecast = get_forecast(engine, today=TODAY)
    assert forecast.billed_tier == 2_000
    assert forecast.exceeds_on == TODAY + timedelta(days=67)  # 1,400 + 9 x 67 = 2,003 > 2,000
    tiers = {m.on: (m.tier, m.monthly_price) for m in forecast.months}
    assert tiers[date(2027, 1, 1)] == (2_000, 890)
    assert tiers[date(2027, 2, 1)] == (7_000, 890 + 250), "upgraded at once when the count goes above the tier"
    assert forecast.thresholds[:2] == [2_000, 7_000]
    assert "+9.0 marketing contacts a day" in forecast.method


def test_scheduled_departures_lower_the_projection_from_the_next_update_date(engine: Engine) -> None:
    _trend(engine)
    flat = get_forecast(engine, today=TODAY)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE contact_status SET pending_non_marketing = true, effective_on = '2026-12-01' WHERE contact_id IN "
            "(SELECT contact_id FROM contact_status WHERE marketing_status = 'marketing' ORDER BY contact_id LIMIT 100)"
        )
    lowered = get_forecast(engine, today=TODAY)
    assert [m.marketing for m in lowered.months] == [m.marketing - 100 for m in flat.months]
    assert lowered.marketing_now == flat.marketing_now
