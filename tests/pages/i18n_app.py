"""Reading a page in a language (issue 15): every text an AppTest page shows, and what in it is still English.

``visible_texts`` walks the page's element tree and takes every string a person reads: bodies, labels, help,
placeholders, options, tab and expander labels, metric values, the column names and text cells of tables, and
the titles, names, tick labels and hover texts of charts. ``english_left`` finds English among them: a word
from a list of English words that Polish never uses (data such as e-mail addresses and the ids of things is
left out)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

TEXT_FIELDS = {"label", "body", "help", "placeholder", "options", "text", "title", "caption", "value"}
SKIPPED_TYPES = {"html"}  # the layout's CSS and the cookie bridge: nothing a person reads
CHART_KEYS = {"text", "name", "hovertemplate", "ticktext"}

# English words a Polish sentence does not contain (not "a", "to", "do", "no", "on", "nie": Polish words too).
ENGLISH_WORDS = set(
    """the and of with is are was were will would this these that those from for by your you not be been has have
    can could when what which who whose all any each every only more than then there their them they it its into
    out over under again also here how why where after before until since while about between both none yes
    contact contacts marketing non-marketing update updates updated date dates change changes changed
    imported export settings setting user users workflow workflows list lists filter filters search show shown run
    runs edit view views source sources tier billed pending month months day days today simulate simulating save
    saved cancel delete deleted add added new next previous page pages sign signed open close apply applied
    confirm confirmed become becomes became leave leaves left count counts limit limits usage price cost money
    renewal history forecast wizard why number numbers created rejected row rows file files download upload
    enabled disabled enable disable role roles admin editor viewer password account audit kind actor details
    when acted connected connection connections lifecycle stage stages subscriber customer other
    first last name email form forms integration manual bulk action tool tools default nothing
    everything everyone someone something must may should cannot can't don't doesn't isn't won't choose chosen
    select selected selection all clear reset back home language total entries entry""".split()  # noqa: SIM905 (a block of words reads better)
)
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['-])*")  # whole words, Polish letters included ("Próby" is not "by")
# e-mail addresses, links, code, placeholders, icons (:material/close:)
_DATA = re.compile(r"\S+@\S+|https?://\S+|`[^`]*`|\{[^}]*\}|:material/\w+:")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)) or (hasattr(value, "__iter__") and not isinstance(value, (bytes, dict))):
        for item in value:
            if isinstance(item, str):
                yield item


def _repeated(field: Any) -> bool:
    """Whether a protobuf field is repeated (``is_repeated`` in protobuf 7, ``label`` before)."""
    flag = getattr(field, "is_repeated", None)
    return bool(flag) if flag is not None else field.label == field.LABEL_REPEATED


def _proto_texts(message: Any) -> Iterator[str]:
    for field, value in message.ListFields():
        if field.name == "spec" and isinstance(value, str):
            yield from _chart_texts(json.loads(value))
        elif field.message_type is not None:
            items = value if _repeated(field) else [value]
            for item in items:
                if hasattr(item, "ListFields"):
                    yield from _proto_texts(item)
        elif field.name in TEXT_FIELDS:
            yield from _strings(value)


def _chart_texts(spec: Any, key: str = "") -> Iterator[str]:
    if isinstance(spec, dict):
        for k, v in spec.items():
            yield from _chart_texts(v, k)
    elif isinstance(spec, list):
        for v in spec:
            yield from _chart_texts(v, key)
    elif isinstance(spec, str) and key in CHART_KEYS:
        yield spec


def _frame_texts(frame: pd.DataFrame) -> Iterator[str]:
    yield from (str(c) for c in frame.columns)
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column].dtype):  # pandas 3: str
            yield from (v for v in frame[column].head(50) if isinstance(v, str))


def visible_texts(at: AppTest) -> list[str]:
    """Every string a person reads on the page, the sidebar included."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if getattr(node, "type", None) in SKIPPED_TYPES:
            return
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ListFields"):
            found.extend(_proto_texts(proto))
        if getattr(node, "type", None) in ("arrow_data_frame", "dataframe", "table"):
            value = getattr(node, "value", None)
            if isinstance(value, pd.DataFrame):
                found.extend(_frame_texts(value))
        children = getattr(node, "children", None) or {}
        for child in children.values() if isinstance(children, dict) else children:
            walk(child)

    walk(at._tree)
    return [text for text in found if text.strip()]


def english_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(_DATA.sub(" ", text)) if w.lower() in ENGLISH_WORDS]


def english_left(at: AppTest, *, allowed: tuple[str, ...] = ()) -> list[str]:
    """The texts on the page that still contain English (``allowed``: data the test put there, such as a name)."""
    left = []
    for text in visible_texts(at):
        cleaned = text
        for data in allowed:
            cleaned = cleaned.replace(data, " ")
        if english_words(cleaned):
            left.append(text)
    return sorted(set(left))
