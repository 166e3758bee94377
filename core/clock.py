"""The only place that reads the wall clock; rules never do, services take ``today``.

The deployment's day (``deployment_today``) is ``MARKETABLE_TODAY`` when it is set (demos and tests pin it), else
the real date in the account's time zone. The command line's default ``--today``, the dashboard's today and the
limit every change is checked against (``core/services/unit.py``, docs/domain.md §10) all come from it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from core.errors import InvalidValue
from core.i18n import N_
from core.settings import TODAY_ENV, pinned_today


def today_in(timezone: str) -> date:
    """The real date in the account's time zone (update dates happen at 00:00 there)."""
    return datetime.now(ZoneInfo(timezone)).date()


def deployment_today(timezone: str) -> date:
    """Today for this deployment: ``MARKETABLE_TODAY`` when pinned, else the real date in ``timezone``."""
    pinned = pinned_today()
    if pinned is None:
        return today_in(timezone)
    try:
        return date.fromisoformat(pinned)
    except ValueError:
        raise InvalidValue(
            N_("{setting} must be a date YYYY-MM-DD, got {text}"), setting=TODAY_ENV, text=repr(pinned)
        ) from None


def moment(today: date, timezone: str = "UTC") -> datetime:
    """A naive account-local timestamp on ``today`` at the current time of day: when a change counts on the day
    it acts on (status events, a contact's ``status_changed_at``)."""
    now = datetime.now(ZoneInfo(timezone)).replace(tzinfo=None, microsecond=0)
    return datetime.combine(today, now.time())


def now_in(timezone: str) -> datetime:
    """This instant as a naive account-local timestamp: the real time an operation is recorded at (the audit)."""
    return datetime.now(ZoneInfo(timezone)).replace(tzinfo=None, microsecond=0)


def utc_now() -> datetime:
    """A naive UTC timestamp of this instant (sign-in sessions, idle expiry and lockouts)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
