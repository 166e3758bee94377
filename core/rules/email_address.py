"""What a valid email address is, and how two addresses are matched: one rule for contacts and users. PURE.

An address is stored as it was written (trimmed) and matched without regard to case: ``Ada@Example.com``
and ``ada@example.com`` are one contact (``contacts.email_lower``) and one user (``users.email``).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from core.errors import SentenceError
from core.i18n import N_

MAX_LENGTH = 254  # the longest address SMTP carries (RFC 5321); the email columns are this wide

_VALID = re.compile(
    r"^[^@\s\x00-\x1f\x7f\"(),:;<>\[\]\\]+"  # no control characters (PostgreSQL refuses NUL)
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)


class EmailError(SentenceError):
    """An address that cannot be stored; the message says why ("missing email", "invalid email '...'")."""

    def capitalized(self) -> tuple[str, dict[str, Any]]:
        """The message as a sentence of its own (``Invalid email 'x'``) and its fields, for a ``DomainError``:
        the English is ``str(self).capitalize()``, as it always was."""
        return CAPITALIZED[self.message], {k: str(v).lower() for k, v in self.params.items()}


MISSING = N_("missing email")
INVALID = N_("invalid email {email}")
CAPITALIZED = {MISSING: N_("Missing email"), INVALID: N_("Invalid email {email}")}


_INVISIBLE = {"Cc", "Cf", "Cn", "Co", "Cs"}  # control, format (zero-width), unassigned, private use, surrogates


def is_valid(text: str) -> bool:
    """A local part without spaces, invisible characters or specials, one @, and a domain of two or more labels;
    at most 254 characters, also once lower-cased (``İ`` lower-cases to two characters)."""
    if len(text) > MAX_LENGTH or len(match_key(text)) > MAX_LENGTH or not _VALID.match(text):
        return False
    return not any(unicodedata.category(c) in _INVISIBLE for c in text)


def parse(text: str) -> str:
    """The address to store: as written, trimmed; a missing or invalid one is refused."""
    email = text.strip()
    if not email:
        raise EmailError(MISSING)
    if not is_valid(email):
        raise EmailError(INVALID, email=repr(email))
    return email


def match_key(text: str) -> str:
    """What addresses are matched by (and users' emails stored as): trimmed and in lower case."""
    return text.strip().lower()
