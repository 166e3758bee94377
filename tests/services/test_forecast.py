"""The forecast models what drives the bill (docs/domain.md §10 "Forecast"): arrivals by creation date and source,
the share the default-status rules make marketing, scheduled departures, and the tier rules; a status change of an
existing contact is not growth, and marketing contacts never exceed contacts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, insert, select, text

from core.rules.selection import ALL
from core.rules.status import MarketingStatus
from core.services.forecast import get_forecast
from core.services.setup import init
from core.services.status import set_status
from core.store import states
from core.store.engine import make_engine
from core.store.schema import contacts, operations, status_events
from tests.conftest import TODAY, Cli
from tests.services.usage_data import dated_contacts


def arrivals(engine: Engine, *, n: int, on: date, source: str, marketing: bool) -> None:
    """``n`` contacts created on ``on`` by ``source``, marketing at creation (with their creation event) or not."""
    with engine.begin() as conn:
        op = conn.execute(
            insert(operations)
            .values(kind="test", requested_at=datetime(2026, 1, 1), acted_on=date(2026, 1, 1), actor="test")
            .returning(operations.c.id)
        ).scalar_one()
        first = int(conn.execute(select(func.coalesce(func.max(contacts.c.id), 0))).scalar_one()) + 1
        at = datetime.combine(on, time(9, 0))
        ids = range(first, first + n)
        status = "marketing" if marketing else "non_marketing"
        conn.execute(
            insert(contacts),
            [
                {
                    "id": c,
                    "email": f"a{c}@example.com",
                    "email_lower": f"a{c}@example.com",
                    "created_at": at,
                    "source_type": source,
                }
                for c in ids
            ],
        )
        made = {"marketing_status": status, "status_source_type": source if marketing else None}
        states.insert_states(conn, [{"contact_id": c, **made} for c in ids])
        if marketing:
            event = {"operation_id": op, "requested_at": at, "actor": "test", "old_state": None}
            conn.execute(
                insert(status_events),
                [
                    {**event, "contact_id": c, "new_state": "marketing", "effective_on": on, "source_type": source}
                    for c in ids
                ],
            )
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('contacts', 'id'), (SELECT MAX(id) FROM contacts))"
            )


def _window(engine: Engine) -> None:
    """Each of the last 90 days: 6 form contacts (marketing by the form's default), 3 imported non-marketing, 1
    imported marketing; 500 older marketing contacts; 90 that left on the 1 Nov update date. 1,490 contacts,
    1,130 marketing."""
    dated_contacts(engine, n=90, made_on=date(2026, 5, 20), left_on=date(2026, 11, 1))
    dated_contacts(engine, n=500, made_on=TODAY - timedelta(days=120))
    for back in range(90):
        day = TODAY - timedelta(days=back)
        arrivals(engine, n=6, on=day, source="form", marketing=True)
        arrivals(engine, n=3, on=day, source="import", marketing=False)
        arrivals(engine, n=1, on=day, source="import", marketing=True)


def test_arrivals_come_from_creation_dates_and_the_default_status_rules(engine: Engine) -> None:
    _window(engine)
    forecast = get_forecast(engine, today=TODAY)
    assert forecast.arrivals_per_day == 10
    assert forecast.daily_change == 7, "6 forms by their switch and 1 of 4 imported contacts, as imports went"
    shares = {s.source_type: (s.per_day, s.marketing_share) for s in forecast.pace.by_source}
    assert shares == {"form": (6, 1.0), "import": (4, 0.25)}
    first = forecast.months[0]
    assert first.on == date(2026, 12, 1)
    assert (first.total, first.marketing) == (1_490 + 10 * 5, 1_130 + 7 * 5)
    assert first.if_nothing_changes == 1_130, "the simulator's figure: no arrivals"


def test_the_band_brackets_the_expected_projection(engine: Engine) -> None:
    _window(engine)
    arrivals(engine, n=300, on=TODAY - timedelta(days=10), source="form", marketing=True)  # a busy last month
    forecast = get_forecast(engine, today=TODAY)
    low, expected, high = forecast.pace.marketing
    assert low < expected < high
    for m in forecast.months:
        assert m.marketing_low <= m.marketing <= m.marketing_high
        assert m.tier <= m.tier_high


def test_setting_every_contact_marketing_changes_neither_the_totals_nor_the_pace(engine: Engine, cli: Cli) -> None:
    _window(engine)
    before = cli("forecast")
    cli("set-status", "--to", "marketing", "--all", "--allow-tier-upgrade")
    after = cli("forecast")
    assert [m["total"] for m in after["months"]] == [m["total"] for m in before["months"]]
    assert after["arrivals_per_day"] == before["arrivals_per_day"]
    assert after["marketing_arrivals_per_day"] == before["marketing_arrivals_per_day"]
    for month in after["months"]:
        assert month["marketing"] <= month["total"]
        assert month["band"]["high"] <= month["total_band"]["high"]


@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    days=st.lists(
        st.tuples(st.integers(0, 89), st.integers(0, 20), st.sampled_from(["form", "import", "manual"]), st.booleans()),
        min_size=1,
        max_size=6,
    ),
    months=st.integers(1, 24),
)
def test_after_any_history_marketing_never_exceeds_total_even_after_all_are_set_marketing(
    sqlite_url: str, days: list[tuple[int, int, str, bool]], months: int
) -> None:
    engine = make_engine(sqlite_url)
    init(engine, today=TODAY, actor="test", start_date=date(2026, 1, 15))
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM status_events"))
        conn.execute(text("DELETE FROM contacts"))
    for back, n, source, marketing in days:
        if n:
            arrivals(engine, n=n, on=TODAY - timedelta(days=back), source=source, marketing=marketing)
    before = get_forecast(engine, today=TODAY, months=months)
    set_status(
        engine,
        selection=ALL,
        to=MarketingStatus.MARKETING,
        today=TODAY,
        actor="test",
        allow_tier_upgrade=True,
    )
    after = get_forecast(engine, today=TODAY, months=months)
    assert [m.total for m in after.months] == [m.total for m in before.months]
    for m in [*before.months, *after.months]:
        assert m.marketing <= m.total and m.marketing_high <= m.total_high and m.marketing_low <= m.total_low
    engine.dispose()


def test_scheduled_departures_lower_the_projection_from_their_update_date(engine: Engine) -> None:
    _window(engine)
    flat = get_forecast(engine, today=TODAY)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE contact_status SET pending_non_marketing = true, effective_on = '2026-12-01' WHERE contact_id IN "
            "(SELECT contact_id FROM contact_status WHERE marketing_status = 'marketing' ORDER BY contact_id LIMIT 100)"
        )
    lowered = get_forecast(engine, today=TODAY)
    assert [m.marketing for m in lowered.months] == [m.marketing - 100 for m in flat.months]
    assert [m.total for m in lowered.months] == [m.total for m in flat.months]
    assert lowered.marketing_now == flat.marketing_now


def test_the_forecast_names_the_day_the_tier_is_exceeded_and_prices_each_month(engine: Engine) -> None:
    _window(engine)
    forecast = get_forecast(engine, today=TODAY)
    assert forecast.billed_tier == 2_000
    assert forecast.exceeds_on == TODAY + timedelta(days=125)  # 1,130 + 7 x 125 = 2,005 > 2,000
    tiers = {m.on: (m.tier, m.monthly_price) for m in forecast.months}
    assert tiers[date(2027, 3, 1)] == (2_000, 890)
    assert tiers[date(2027, 4, 1)] == (7_000, 890 + 250), "upgraded at once when the count goes above the tier"
    assert "not growth" in forecast.method


def test_forecast_prints_the_months_with_their_tier_and_price(cli: Cli) -> None:
    data = cli("forecast", "--months", "3")
    assert len(data["months"]) == 3
    assert {"date", "total", "marketing", "tier_limit", "monthly_price", "band"} <= set(data["months"][0])
    assert {"arrivals_per_day", "method", "relation_to_simulator", "band"} <= set(data)
    cli("forecast", "--months", "0", expect=2)
