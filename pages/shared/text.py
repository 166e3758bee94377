"""User text shown as text (docs/architecture.md, pages): names, list names, form ids, workflow names, display names
and errors that echo input go through ``plain`` before they reach Markdown (``st.markdown``, ``st.write``, captions,
titles, alerts, toasts and widget labels all render Markdown). Nothing a user typed becomes a link, an image (an
outside request), HTML, maths, a colour, emphasis or a heading; ordinary punctuation (. , - : ' @) is left as typed,
so a sentence reads the same."""

from __future__ import annotations

import re

# Links and images ([ ] and so ! and ( ) are inert), HTML and <autolinks> (< >), maths ($), code (`), emphasis
# (* ~, and _ at a word's edge), tables (|), Streamlit's colours (:red[...] needs [) and the backslash itself.
_ALWAYS = re.compile(r"([\\`*\[\]<>$~|&]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))")
# Bare links GitHub-flavoured Markdown finds in the text itself, after escapes and character references are read
# (https://..., www....): an invisible word joiner after the scheme or "www" keeps them text. (An email address may
# still show as a mailto link: no request is made.)
_AUTOLINK = re.compile(r"(?i)\b(?:(?:https?|ftp)(?=://)|www(?=\.))")
_JOINER = "\u2060"
# What starts a heading, a quote or a list at the start of the text.
_START = re.compile(r"^(\s*)([#>+=-])|^(\s*\d+)([.)])")


def plain(value: object) -> str:
    """``value`` as Markdown that shows exactly its characters, on one line."""
    text = "" if value is None else str(value).replace("\r", " ").replace("\n", " ")
    text = _ALWAYS.sub(r"\\\1", text)
    text = _AUTOLINK.sub(lambda m: m.group(0) + _JOINER, text)
    return _START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[2] else f"{m[3]}\\{m[4]}", text)


def code(value: object) -> str:
    """``value`` as inline code (an id shown as typed): Markdown is not read inside it, whatever it holds."""
    text = "" if value is None else str(value).replace("\r", " ").replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") or longest else text
    return f"{fence}{padded}{fence}"
