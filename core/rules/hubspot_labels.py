"""HubSpot's internal names and labels for the enumerated properties Marketable reads (docs/domain.md §11). PURE.

HubSpot stores an enumerated property by its internal name (``marketingqualifiedlead``) and shows, and exports,
its label ("Marketing Qualified Lead"). Marketable accepts both wherever a value comes in (imports, the
HubSpot sync, forms, the dashboard, filters), stores the internal name, and shows the label. A value that is
neither (a custom lifecycle stage of the account) is kept as it comes, in lower case like every stage, and
shown as stored.

The marketing status cells have their own readers in ``core.rules.csvformat`` ("Marketing contact" or
``true``; "Non-marketing contact" or ``false``); ``STATUS_LABELS`` are their labels.
"""

from __future__ import annotations

import re

from core.i18n import N_

# HubSpot's default lifecycle stages, in their order (property ``lifecyclestage``): internal name -> label. The labels
# are marked ``N_``: the dashboard shows them translated (``_(stage_label(v))``); the CSV export and the command line
# keep HubSpot's English labels.
LIFECYCLE_STAGES: dict[str, str] = {
    "subscriber": N_("Subscriber"),
    "lead": N_("Lead"),
    "marketingqualifiedlead": N_("Marketing Qualified Lead"),
    "salesqualifiedlead": N_("Sales Qualified Lead"),
    "opportunity": N_("Opportunity"),
    "customer": N_("Customer"),
    "evangelist": N_("Evangelist"),
    "other": N_("Other"),
}
# Short forms people type, and the spellings HubSpot's own screens and older exports use.
_STAGE_ALIASES = {"mql": "marketingqualifiedlead", "sql": "salesqualifiedlead"}
_SEPARATORS = re.compile(r"[\s_\-]+")
_BY_SPELLING = {
    **{_SEPARATORS.sub("", label.lower()): name for name, label in LIFECYCLE_STAGES.items()},
    **_STAGE_ALIASES,
}

# hs_marketable_status: internal value -> label.
STATUS_LABELS = {"true": N_("Marketing contact"), "false": N_("Non-marketing contact")}


def stage_value(text: str | None) -> str | None:
    """The lifecycle stage to store for what came in: a default stage's internal name, whether its label
    ("Marketing Qualified Lead"), internal name or a short form (MQL) came, in any case and spacing; any
    other stage (a custom one) as it came, trimmed, in lower case. Empty is None."""
    value = (text or "").strip().lower()
    if not value:
        return None
    return _BY_SPELLING.get(_SEPARATORS.sub("", value), value)


def stage_label(value: str | None) -> str:
    """How a stored lifecycle stage is shown: a default stage's label, a custom one as stored, none as ''."""
    if not value:
        return ""
    return LIFECYCLE_STAGES.get(value, value)


def stage_options(extra: list[str] | None = None) -> list[tuple[str, str]]:
    """(internal name, label) for a choice of stage: HubSpot's default stages in their order, then the
    custom stages in ``extra`` (stored values, e.g. those the account's contacts have), by label."""
    custom = sorted({v for v in extra or [] if v and v not in LIFECYCLE_STAGES})
    return [*LIFECYCLE_STAGES.items(), *((v, v) for v in custom)]
