"""The only place that reads the wall clock; rules never do, services take ``today``."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def today_in(timezone: str) -> date:
    """Today in the account's time zone (update dates happen at 00:00 there)."""
    return datetime.now(ZoneInfo(timezone)).date()


def moment(today: date, timezone: str = "UTC") -> datetime:
    """A naive account-local timestamp on ``today`` at the current time of day (for requested_at)."""
    now = datetime.now(ZoneInfo(timezone)).replace(tzinfo=None, microsecond=0)
    return datetime.combine(today, now.time())


def utc_now() -> datetime:
    """A naive UTC timestamp of this instant (sign-in sessions, idle expiry and lockouts)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
