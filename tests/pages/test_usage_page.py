"""The Usage & limits page on a fresh database shows what the ``usage`` command says."""

from __future__ import annotations

import json
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.conftest import Cli


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_first_start_creates_a_demo_database_and_the_page_matches_the_usage_command(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    at = open_app()
    usage = Cli(app_env)("usage")
    assert usage["total"] > 1000, "the first start fills the database with demo contacts"
    metrics = _metrics(at)
    assert metrics["Marketing contacts"] == f"{usage['marketing']:,}"
    assert metrics["Marketing contacts until next update"] == f"{usage['pending']:,}"
    assert metrics["Non-marketing contacts"] == f"{usage['non_marketing']:,}"
    assert metrics["Total contacts"] == f"{usage['total']:,}"
    assert metrics["Billed tier"] == f"{usage['tier_limit']:,}"
    assert metrics["Percent of tier"] == f"{usage['percent_of_tier']:.1f} %"


def test_the_chart_draws_each_status_and_the_tier_line(open_app: Callable[..., AppTest], app_env: str) -> None:
    at = open_app()
    usage = Cli(app_env)("usage")
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    bars = {trace["name"]: trace["y"][0] for trace in figure["data"]}
    assert bars["Marketing contacts until next update"] == usage["pending"]
    assert bars["Non-marketing"] == usage["non_marketing"]
    assert bars["Marketing (staying)"] + bars["Marketing contacts until next update"] == usage["marketing"]
    assert figure["layout"]["shapes"][0]["y0"] == usage["tier_limit"]
