"""A stored contact's state on a later day (docs/domain.md §2): the rule "Simulate as of" shows."""

from __future__ import annotations

from datetime import date

import pytest

from core.rules.status import State


@pytest.mark.parametrize(
    ("status", "pending", "effective", "day", "expected"),
    [
        pytest.param("marketing", True, date(2026, 12, 1), None, State.PENDING, id="as stored"),
        pytest.param("marketing", True, date(2026, 12, 1), date(2026, 11, 30), State.PENDING, id="the day before"),
        pytest.param("marketing", True, date(2026, 12, 1), date(2026, 12, 1), State.NON_MARKETING, id="on the day"),
        pytest.param("marketing", True, date(2026, 12, 1), date(2027, 3, 1), State.NON_MARKETING, id="after it"),
        pytest.param("marketing", False, None, date(2027, 3, 1), State.MARKETING, id="marketing stays"),
        pytest.param("non_marketing", False, None, date(2027, 3, 1), State.NON_MARKETING, id="non-marketing stays"),
    ],
)
def test_a_pending_contact_is_non_marketing_from_its_update_date_on(
    status: str, pending: bool, effective: date | None, day: date | None, expected: State
) -> None:
    assert State.on(status, pending, effective, day) == expected
