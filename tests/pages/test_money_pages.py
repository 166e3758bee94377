"""Money wherever a decision is made (issue 13, point 1): the Usage page shows the monthly cost now, from the next
update date and at renewal, and what the pending changes save, without hovering; every confirmation states the
money effect next to its counts, with the date from which a lower tier could apply. The page renders what the
command line prints (one core computation)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from core.rules.money import MoneyEffect, PriceOn, describe
from tests.conftest import Cli
from tests.factories import add_contacts
from tests.helpers import csv_text
from tests.pages.contacts_app import dialog_text, known_database, open_contacts, use_filter
from tests.pages.usage_app import add_condition, click, keep_running_app_py, metrics, open_tab

USAGE = "pages/usage/usage.py"


@pytest.fixture(autouse=True)
def _every_run_starts_from_app_py(monkeypatch: pytest.MonkeyPatch) -> None:
    keep_running_app_py(monkeypatch)


def _sentence(money: dict) -> str:
    """The sentence core's ``describe`` makes of a command's ``money`` JSON."""

    def point(p: dict) -> PriceOn:
        from datetime import date

        return PriceOn(
            date.fromisoformat(p["on"]),
            p["marketing_before"],
            p["marketing_after"],
            p["tier_limit_before"],
            p["tier_limit_after"],
            p["monthly_price_before"],
            p["monthly_price_after"],
        )

    return describe(MoneyEffect(money["currency"], point(money["now"]), point(money["next_update"]),
                                point(money["renewal"])))  # fmt: skip


def test_the_usage_page_shows_the_cost_now_at_the_next_update_and_at_renewal_without_hovering(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    engine = known_database(app_env)
    add_contacts(engine, 2_500, state="pending", prefix="big")  # 2,506 marketing now, 6 after the update
    cli = Cli(app_env)
    cli("set-status", "--to", "marketing", "--emails", "n0@example.com", "--allow-tier-upgrade")  # the tier rises
    usage = cli("usage")
    shown = metrics(open_app(USAGE))
    assert shown["Monthly cost now"] == f"{usage['monthly_price']:,} USD" == "1,140 USD"
    assert shown["From the update date 01 Dec"] == f"{usage['monthly_price_at_next_update']:,} USD"
    assert shown["At renewal 15 Jan 2027"] == f"{usage['monthly_price_at_renewal']:,} USD" == "890 USD"
    assert shown["Pending changes save a month"] == f"{usage['pending_saves_at_renewal']:,} USD" == "250 USD"


def test_the_set_as_non_marketing_dialog_states_the_money_effect_the_dry_run_prints(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    known_database(app_env)
    at = open_contacts(open_app)
    at.radio(key="ct_quick").set_value("marketing").run()
    at.radio(key="ct_scope").set_value("all").run()
    at.menu_button(key="ct_more").click("non_marketing").run()
    leads = '[{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}]'  # the 8 billed contacts
    dry = Cli(app_env)("set-status", "--to", "non-marketing", "--filter", leads, "--dry-run")
    assert _sentence(dry["money"]) in dialog_text(at)
    assert "A lower tier could apply from 15 Jan 2027 at the earliest." in dialog_text(at)


def test_the_set_as_marketing_dialog_states_the_rise_and_when_a_lower_tier_could_apply(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    engine = known_database(app_env)
    add_contacts(engine, 1_992, state="marketing", prefix="full")  # the 2,000 tier is full
    at = open_contacts(open_app)
    at.radio(key="ct_quick").set_value("non_marketing").run()
    at.radio(key="ct_scope").set_value("all").run()
    at.menu_button(key="ct_more").click("marketing").run()
    text = dialog_text(at)
    assert "Money: now 1,140 USD a month (+250 USD; tier 7,000)" in text
    assert "(2,000 → **2,004** marketing contacts)" in text, "the resulting count beside the new tier"
    assert "from renewal 15 Jan 2027 1,140 USD a month (+250 USD; tier 7,000)" in text


def test_the_wizard_review_and_the_what_if_state_the_money_effect(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    at = click(open_tab(open_app(), "Manage marketing contacts"), "wiz_start")
    click(at, "wiz_next")
    click(at, "wiz_next")
    dry = Cli(app_env)("set-status", "--to", "non-marketing", "--unengaged", "--dry-run")
    assert any(m.value == _sentence(dry["money"]) for m in at.markdown), "the Review step"
    at = add_condition(open_tab(open_app(), "Simulator"), "whatif_filter", "lead")
    assert any(m.value.startswith("Money: now") for m in at.markdown), "the what-if"


def test_the_import_preview_states_the_money_effect(open_app: Callable[..., AppTest], app_env: str) -> None:
    engine = known_database(app_env)
    add_contacts(engine, 1_992, state="marketing", prefix="full")
    at = open_app("pages/contacts/import_contacts.py")
    rows = [[f"x{i}@example.com", "", "", "", "Marketing contact", "", "", ""] for i in range(3)]
    at.file_uploader(key="imp_file").set_value(("in.csv", csv_text(rows).encode(), "text/csv"))
    at.run()
    money = next(m.value for m in at.markdown if m.value.startswith("Money: now"))
    assert "now 1,140 USD a month (+250 USD; tier 7,000)" in money


def test_the_delete_dialog_states_that_the_price_drops_only_from_renewal(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    engine = known_database(app_env)
    add_contacts(engine, 2_500, state="marketing", prefix="big", lifecycle_stage="event")
    cli = Cli(app_env)
    cli("set-status", "--to", "marketing", "--emails", "n0@example.com", "--allow-tier-upgrade")
    at = open_contacts(open_app)
    use_filter(at, '[{"property": "lifecycle_stage", "operator": "eq", "value": "event"}]')
    at.radio(key="ct_scope").set_value("all").run()
    at.menu_button(key="ct_more").click("delete").run()
    text = dialog_text(at)
    assert "Money: now 1,140 USD a month (unchanged)" in text, "the tier is not lowered by a deletion"
    assert "from renewal 15 Jan 2027 890 USD a month (−250 USD; tier 2,000)" in text
