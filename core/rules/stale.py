"""Stale rows (docs/domain.md §10): a row last modified before the contact's last status change does not change
its status. PURE.
"""

from __future__ import annotations

from datetime import datetime


def is_stale(row_modified: datetime | None, status_changed: datetime | None) -> bool:
    """Whether a row's status is older than the contact's: its ``Last Modified Date`` is before the contact's
    last status change. Compared to the second, the precision exports write (a file exported in the same second
    as the change it shows is not stale). A row without a date, or a contact never changed, is never stale."""
    if row_modified is None or status_changed is None:
        return False
    return row_modified < status_changed.replace(microsecond=0)
