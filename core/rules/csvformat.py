"""The HubSpot-style CSV format: headers, and how cells are read and written (docs/domain.md §9)."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from core.errors import Sentence
from core.i18n import N_
from core.rules import email_address

EMAIL = "Email"
RECORD_ID = "Record ID"
FIRST_NAME = "First Name"
LAST_NAME = "Last Name"
LIFECYCLE = "Lifecycle Stage"
CREATED = "Create Date"
LAST_ACTIVITY = "Last Activity Date"
STATUS = "Marketing contact status"
PENDING = "Marketing contact until next update"
BOUNCE = "Email hard bounce reason"
UNSUBSCRIBED = "Unsubscribed from all email"
LAST_MODIFIED = "Last Modified Date"  # as HubSpot's export names it: a row older than a status change is stale
KNOWN_HEADERS = (
    RECORD_ID,
    EMAIL,
    FIRST_NAME,
    LAST_NAME,
    LIFECYCLE,
    CREATED,
    LAST_ACTIVITY,
    STATUS,
    PENDING,
    BOUNCE,
    UNSUBSCRIBED,
    LAST_MODIFIED,
)
# Extra columns the export adds for people; the import ignores them.
EXPORT_EXTRA = (
    "Marketing status source",
    "Marketing status source name",  # the source as a person reads it ("bulk action"), beside its code
    "Marketing status source ID",
    "Non-marketing effective on",
    "Original source",
    "Original source name",
    "Original source ID",
)


def legacy_export(header: list[str]) -> bool:
    """Whether a file is Marketable's export from before Record IDs (docs/domain.md §11): it has our export-only
    "Non-marketing effective on" but no "Last Modified Date". Its Record ID column holds Marketable's own ids as
    plain digits, which now mean HubSpot's: it is not read (rows are matched by email, as they were then)."""
    names = {h.strip().lower() for h in header}
    return "non-marketing effective on" in names and LAST_MODIFIED.lower() not in names


MARKETING_TEXT = "Marketing contact"
NON_MARKETING_TEXT = "Non-marketing contact"

_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")
_PLAIN_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$")  # strptime alone accepts 2026-1-5
_ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$")
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def reason_of(error: BaseException) -> str:
    """What an error says, for a rejected row's ``reason``: its ``Sentence`` (the English, with its sentence and fields
    kept so that the dashboard can translate it) when it was raised with one, or carries its sentence and fields as a
    ``DomainError`` does; else its English text as it is."""
    first = error.args[0] if len(error.args) == 1 else None
    if isinstance(first, Sentence):
        return first
    sentence = getattr(error, "sentence", None)
    if isinstance(sentence, Sentence) and sentence == str(error):
        return sentence
    message, params = getattr(error, "message", None), getattr(error, "params", None)
    if isinstance(message, str) and message and isinstance(params, dict):  # shaped like a DomainError
        said = Sentence(message, **params)
        if said == str(error):  # only when the sentence says exactly what the error says
            return said
    return str(error)


class CellError(ValueError):
    """One cell cannot be read; the message names the column and the value. Raised with a ``Sentence`` (its
    English is ``str(error)``), so that the dashboard can show a rejected row's reason in the reader's language."""


class StatusRequest(StrEnum):
    MARKETING = "marketing"
    NON_MARKETING = "non_marketing"
    UNTIL_UPDATE = "until_update"  # marketing now, non-marketing from the next update date
    LEAVE_AT_UPDATE = "leave_at_update"  # only "until next update" given: a deferred non-marketing request


def parse_email(text: str) -> str:
    """An Email cell, read by the one address rule (``core.rules.email_address``); a refusal is the cell's error."""
    try:
        return email_address.parse(text)
    except email_address.EmailError as exc:
        raise CellError(_email_reason(exc, text)) from None


def _email_reason(error: email_address.EmailError, text: str) -> str:
    """The address rule's refusal as a ``Sentence`` (for the dashboard to translate), saying exactly what it says."""
    said = reason_of(error)
    if isinstance(said, Sentence):
        return said
    known = (Sentence(N_("missing email")), Sentence(N_("invalid email {email}"), email=repr(text.strip())))
    return next((sentence for sentence in known if sentence == said), said)


def parse_datetime(text: str, column: str, timezone: str = "UTC") -> datetime | None:
    """The four readable forms; an offset is converted to the account's local time. Empty = None."""
    value = text.strip()
    if not value:
        return None
    if _PLAIN_DATE.match(value):
        try:
            return datetime.fromisoformat(value)  # exactly the _DATE_FORMATS shapes here, ~30x faster than strptime
        except ValueError:
            pass
    if _ISO_WITH_OFFSET.match(value):
        try:
            aware = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            try:
                return aware.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
            except OverflowError:  # 0001-01-01T00:00+05:00 is in year 0 in UTC: no date holds it
                raise CellError(
                    Sentence(
                        N_("date out of range in {column} once converted to {timezone}: {value}"),
                        column=repr(column),
                        timezone=timezone,
                        value=repr(value),
                    )
                ) from None
    raise CellError(Sentence(N_("unreadable date in {column}: {value}"), column=repr(column), value=repr(value)))


def parse_bool(text: str, column: str) -> bool | None:
    value = text.strip().lower()
    if not value:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise CellError(
        Sentence(
            N_("unknown value in {column}: {value} (use true or false)"), column=repr(column), value=repr(text.strip())
        )
    )


def parse_status(text: str) -> bool | None:
    """True for marketing, False for non-marketing, None when empty."""
    value = text.strip().lower()
    if not value:
        return None
    if value in ("marketing contact", "marketing", "true"):
        return True
    if value in ("non-marketing contact", "non-marketing", "non_marketing", "false"):
        return False
    raise CellError(
        Sentence(N_("unknown status value {value} in {column}"), value=repr(text.strip()), column=repr(STATUS))
    )


def status_request(status: bool | None, pending: bool | None) -> StatusRequest | None:
    """What a row asks for; non-marketing *and* until-next-update is contradictory (docs/domain.md §9)."""
    if status is False and pending:
        raise CellError(Sentence(N_("contradictory status: non-marketing and marketing until next update")))
    if pending:
        return StatusRequest.UNTIL_UPDATE if status else StatusRequest.LEAVE_AT_UPDATE
    if status is None:
        return None
    return StatusRequest.MARKETING if status else StatusRequest.NON_MARKETING


def _guarded(text: str) -> bool:
    # Apostrophes before a formula character are guarded too, so that unescape(escape(x)) == x for every x.
    return text.lstrip("'").startswith(FORMULA_STARTS)


def unescape_cell(text: str) -> str:
    """Undo the export's formula guard: a leading apostrophe before a formula character."""
    if text.startswith("'") and _guarded(text[1:]):
        return text[1:]
    return text


def escape_cell(value: object) -> str:
    """Neutralise spreadsheet formulas: cells starting with = + - @ tab or CR get a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if _guarded(text) else text


def format_datetime(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")  # strftime writes year 999 as "999", unreadable
    return value.isoformat()
