"""User text shown as text (docs/architecture.md, pages): names, list names, form ids, workflow names, display names
and errors that echo input go through ``plain`` before they reach Markdown (``st.markdown``, ``st.write``, captions,
titles, alerts, toasts and widget labels all render Markdown). Nothing a user typed becomes a link, an image (an
outside request), a colour, a formula or HTML."""

from __future__ import annotations

import re

# Every ASCII punctuation character CommonMark lets a backslash escape, minus none: links ([ ] ( )), images (!),
# emphasis (* _ ~), code (`), headings (#), lists (+ - .), tables (|), HTML and autolinks (< > :), maths ($),
# Streamlit's colours and icons (: [ ]) and the backslash itself.
_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def plain(value: object) -> str:
    """``value`` as Markdown that shows exactly its characters."""
    text = "" if value is None else str(value)
    return _SPECIAL.sub(r"\\\1", text).replace("\n", " ").replace("\r", " ")
