"""Usage & limits charts in the session's language. Plotly writes dates with English month names and numbers with
English separators: in another language the date axis gets Babel's tick labels (``sty 2027``), the unified hover
a numeric date, and the numbers the language's separators (``1 583``). English keeps Plotly's own."""

from __future__ import annotations

from datetime import date, timedelta

import plotly.graph_objects as go
from babel.numbers import get_decimal_symbol, get_group_symbol

from core.i18n import SOURCE_LANGUAGE, Translator

MAX_TICKS = 12


def _month_starts(first: date, last: date) -> list[date]:
    day = first.replace(day=1)
    if day < first:
        day = (day + timedelta(days=32)).replace(day=1)
    found = []
    while day <= last:
        found.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return found


def date_ticks(days: list[date], t: Translator) -> tuple[list[date], list[str]]:
    """Tick positions and labels for a date axis: months (``sty 2027``) over a long span, else days (``1 sty``)."""
    if not days:
        return [], []
    first, last = min(days), max(days)
    months = _month_starts(first, last)
    if len(months) >= 3:
        step = -(-len(months) // MAX_TICKS)
        shown = months[::step]
        return shown, [t.month(d) for d in shown]
    span = (last - first).days
    step = max(1, -(-span // 8))
    shown = [first + timedelta(days=i) for i in range(0, span + 1, step)]
    return shown, [t.day_month(d) for d in shown]


def localise(
    figure: go.Figure, t: Translator, *, days: list[date] | None = None, ticks: list[date] | None = None
) -> go.Figure:
    """The figure's numbers, and its date axis (``days``: the dates drawn, or ``ticks``: exactly where to put a
    label, each a month) in ``t``'s language. Nothing changes in English."""
    if t.language == SOURCE_LANGUAGE:
        return figure
    figure.update_layout(separators=get_decimal_symbol(t.language) + get_group_symbol(t.language))
    if ticks is not None:
        values, labels = ticks, [t.month(d) for d in ticks]
    elif days is not None:
        values, labels = date_ticks(days, t)
    else:
        return figure
    figure.update_xaxes(tickmode="array", tickvals=values, ticktext=labels, hoverformat="%-d.%m.%Y")
    return figure
