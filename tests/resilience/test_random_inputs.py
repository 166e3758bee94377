"""Property-based (hypothesis): random CSV files into import and random filter JSON into set-status, on
SQLite and PostgreSQL. Never a traceback (only DomainError / FilterError, or success), never a partial write."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from core.cli import run
from core.errors import DomainError
from core.rules import csvformat as fmt
from core.rules.filters import ALL_OPERATORS, OPERATORS, PROPERTIES, FilterError, Kind, parse_filter
from core.rules.selection import Selection
from core.rules.status import MarketingStatus
from core.services.imports.service import import_csv
from core.services.setup import init
from core.services.status import set_status
from core.store.engine import make_engine
from tests.conftest import TODAY
from tests.resilience.conftest import broken_chains, fingerprint, replay_mismatches

EXAMPLES = 100
RANDOM = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same inputs on every run: CI stays deterministic
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
SEEN: dict[str, dict[str, int]] = {}


@pytest.fixture
def seeded(db_url: str) -> Iterator[tuple[Engine, list[str]]]:
    """A Professional account with 300 demo contacts, and some of their emails (random rows hit them)."""
    engine = make_engine(db_url)
    init(engine, today=TODAY, actor="test", start_date=date(2026, 1, 15), demo=300, seed=9)
    with engine.connect() as conn:
        emails = [e for (e,) in conn.execute(text("SELECT email FROM contacts ORDER BY id LIMIT 25"))]
    yield engine, emails
    engine.dispose()


weird_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
formula = st.sampled_from(["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("x")'])
dates = st.one_of(
    st.dates(min_value=date(1, 1, 1)).map(str),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%d %H:%M:%S")),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%S+02:00")),
    st.sampled_from(["2026-02-30", "26/11/2026", "9999-12-31 23:59:59", "0001-01-01T00:00Z", "2026-11-26T25:00+01:00"]),
)
words = st.sampled_from(
    [
        "Marketing contact",
        "Non-marketing contact",
        "marketing",
        "true",
        "false",
        "yes",
        "0",
        "Hard bounced",
        "lead",
        "x" * 101,
        "x" * 300,
        "",
        " ",
        "\x00",
        "a\x00b",
        "'=1",
        "\ufeff",
    ]
)


def emails(known: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(known),
        st.sampled_from(known).map(str.upper),
        st.from_regex(r"[a-z0-9._%+-]{1,20}@[a-z]{1,10}\.[a-z]{2,4}", fullmatch=True),
        st.from_regex(r"[a-z]{1,240}@example\.com", fullmatch=True),
        weird_text,
    )


def cells(known: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(emails(known), weird_text, formula, dates, words)


def mostly(good: st.SearchStrategy[str], bad: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Four times in five a value the column accepts, else anything."""
    return st.one_of(good, good, good, good, bad)


person_names = st.one_of(
    st.sampled_from(["Ada", "O'Brien", "Zoë", "李", "=cmd|' /C calc'!A0", "a\x00b", "x" * 100, "x" * 101, "  "]),
    weird_text,
)
good_dates = st.one_of(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 1, 1)).map(str),
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2027, 1, 1)).map(
        lambda d: d.strftime("%Y-%m-%d %H:%M:%S")
    ),
    st.just(""),
)
flags = st.sampled_from(["true", "false", ""])


def column_cells(known: list[str]) -> dict[str, st.SearchStrategy[str]]:
    return {
        fmt.EMAIL: mostly(st.one_of(st.sampled_from(known), emails(known)), weird_text),
        fmt.STATUS: mostly(st.sampled_from(["Marketing contact", "Non-marketing contact", "", "marketing"]), words),
        fmt.PENDING: mostly(flags, words),
        fmt.UNSUBSCRIBED: mostly(flags, words),
        fmt.BOUNCE: mostly(st.sampled_from(["", "Hard bounced"]), words),
        fmt.CREATED: mostly(good_dates, dates),
        fmt.LAST_ACTIVITY: mostly(good_dates, dates),
        fmt.FIRST_NAME: person_names,
        fmt.LAST_NAME: person_names,
        fmt.LIFECYCLE: mostly(st.sampled_from(["lead", "customer", "", "Subscriber"]), person_names),
    }


@st.composite
def csv_files(draw: Any, known: list[str]) -> bytes:
    """Half the files are well formed with plausible cells per column; the rest are anything."""
    names = [*fmt.KNOWN_HEADERS, *fmt.EXPORT_EXTRA, "junk", ""]
    spelled = st.tuples(st.sampled_from(names), st.sampled_from(["same", "upper", "spaced"])).map(
        lambda t: {"same": t[0], "upper": t[0].upper(), "spaced": f" {t[0]} "}[t[1]]
    )
    header = draw(st.lists(spelled, max_size=10))
    if draw(st.sampled_from([True, True, True, False])):  # sampled_from favours its first values
        header.insert(draw(st.integers(0, len(header))), "Email")
    typed = {k.lower(): v for k, v in column_cells(known).items()}
    plausible = [typed.get(h.strip().lower(), weird_text) for h in header]
    if draw(st.sampled_from(["plausible", "plausible", "anything"])) == "plausible":
        rows = draw(st.lists(st.tuples(*plausible).map(list), min_size=1, max_size=25))
    else:
        rows = draw(st.lists(st.lists(cells(known), max_size=len(header) + 2), max_size=25))
    shape = draw(st.sampled_from(["csv", "csv", "csv", "csv", "naive", "bytes"]))
    if shape == "bytes":
        return draw(st.binary(max_size=300))
    if shape == "naive":  # no quoting at all: stray quotes, commas and newlines break rows
        text_ = "\n".join(",".join(r) for r in [header, *rows])
    else:
        out = io.StringIO()
        csv.writer(out).writerows([header, *rows])
        text_ = out.getvalue()
    prefix = draw(st.sampled_from(["", "", "\ufeff"]))
    return (prefix + text_).encode("utf-8", errors="surrogatepass")


def _count(kind: str, outcome: str) -> None:
    SEEN.setdefault(kind, {}).setdefault(outcome, 0)
    SEEN[kind][outcome] += 1


def _check_consistent(engine: Engine) -> None:
    assert replay_mismatches(engine) == 0, "a contact's state differs from the replay of its events"
    assert broken_chains(engine) == 0


def test_random_csv_files_import_completely_or_not_at_all(seeded: tuple[Engine, list[str]], db_url: str) -> None:
    engine, known = seeded

    @RANDOM
    @given(data=csv_files(known), as_marketing=st.booleans())
    def check(data: bytes, as_marketing: bool) -> None:
        before = fingerprint(engine)
        try:
            result = import_csv(engine, data, today=TODAY, actor="test", as_marketing=as_marketing)
        except (DomainError, FilterError) as exc:
            assert fingerprint(engine) == before, f"a refused import left a partial write: {exc}"
            _count("import " + db_url.split(":")[0], "refused")
            return
        after = fingerprint(engine)
        events = result.made_marketing + result.scheduled + result.undone
        assert after["contacts"][0] == before["contacts"][0] + result.created
        assert after["events"][0] == before["events"][0] + events
        _check_consistent(engine)
        _count("import " + db_url.split(":")[0], "imported" if result.created + result.updated else "no rows")

    check()


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False),
        weird_text,
        dates,
        st.sampled_from(["marketing", "non_marketing", "lead", "form", "import", "Kim"]),
    ),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(weird_text, inner, max_size=3),
    max_leaves=8,
)


TYPED_VALUES = {
    Kind.TEXT: st.one_of(weird_text, st.sampled_from(["lead", "form", "import", "Kim", "example.com", "a\x00b"])),
    Kind.DATE: st.one_of(st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 1, 1)).map(str), dates),
    Kind.BOOL: st.one_of(st.booleans(), st.sampled_from(["true", "no", 1])),
    Kind.STATUS: st.sampled_from(["marketing", "non_marketing", "pending", "Marketing"]),
    Kind.LIST: st.one_of(weird_text, st.sampled_from(["VIP", "nobody"])),
}


@st.composite
def valid_looking(draw: Any) -> dict[str, Any]:
    prop = draw(st.sampled_from(list(PROPERTIES)))
    kind = PROPERTIES[prop]
    operator = draw(st.sampled_from(OPERATORS[kind]))
    value = draw(TYPED_VALUES[kind])
    if operator == "in":
        value = draw(st.lists(TYPED_VALUES[kind], max_size=3))
    if operator in ("is_known", "is_unknown"):
        return {"property": prop, "operator": operator}
    return {"property": prop, "operator": operator, "value": value}


@st.composite
def filter_texts(draw: Any) -> str:
    """Mostly conditions that look right (so changes happen), some anything, some broken JSON."""
    condition = st.fixed_dictionaries(
        {},
        optional={
            "property": st.sampled_from([*PROPERTIES, "id", "Email", ""]) | weird_text,
            "operator": st.sampled_from([*ALL_OPERATORS, "like", "EQ"]) | weird_text,
            "value": json_values,
            "extra": json_values,
        },
    )
    kind = draw(st.sampled_from(["valid"] * 6 + ["mixed"] * 2 + ["any", "broken"]))
    if kind == "valid":
        value: Any = draw(st.lists(valid_looking(), min_size=1, max_size=3))
    elif kind == "mixed":
        value = draw(st.lists(st.one_of(valid_looking(), condition), max_size=3))
    else:
        value = draw(json_values)
    text_ = json.dumps(value)
    if kind == "broken":
        return draw(st.sampled_from([text_[: len(text_) // 2], "", "null", text_ + "]", "[{"]))
    return text_


def test_random_filters_change_status_completely_or_not_at_all(seeded: tuple[Engine, list[str]], db_url: str) -> None:
    engine, _ = seeded

    @RANDOM
    @given(text_=filter_texts(), to=st.sampled_from(list(MarketingStatus)), allow_upgrade=st.booleans())
    def check(text_: str, to: MarketingStatus, allow_upgrade: bool) -> None:
        before = fingerprint(engine)
        try:
            selection = Selection(conditions=parse_filter(text_))
            change = set_status(
                engine, selection=selection, to=to, today=TODAY, actor="test", allow_tier_upgrade=allow_upgrade
            )
        except (DomainError, FilterError) as exc:
            assert fingerprint(engine) == before, f"a refused change left a partial write: {exc}"
            _count("set-status " + db_url.split(":")[0], "refused")
            return
        after = fingerprint(engine)
        assert after["events"][0] == before["events"][0] + change.will_change
        _check_consistent(engine)
        _count("set-status " + db_url.split(":")[0], "changed" if change.will_change else "nothing to change")

    check()
    print("random inputs:", SEEN)


argv_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40)
id_lists = st.one_of(
    st.lists(st.integers(min_value=-(2**70), max_value=2**70), min_size=1, max_size=5).map(
        lambda ids: ",".join(map(str, ids))
    ),
    st.lists(st.integers(min_value=1, max_value=320), min_size=1, max_size=5).map(lambda ids: ",".join(map(str, ids))),
    argv_text,
)


@st.composite
def selection_args(draw: Any, known: list[str]) -> list[str]:
    """A command line selection as a person might type it, right or wrong."""
    kind = draw(st.sampled_from(["--ids", "--emails", "--filter", "--list", "--unengaged"]))
    if kind == "--unengaged":
        return [kind]
    value = {
        "--ids": id_lists,
        "--emails": st.one_of(st.lists(st.sampled_from(known), min_size=1, max_size=3).map(",".join), argv_text),
        "--filter": filter_texts().filter(lambda t: "\x00" not in t),
        "--list": argv_text,
    }[kind]
    return [kind, draw(value)]


def test_random_command_lines_exit_0_2_or_3_and_never_write_partially(
    seeded: tuple[Engine, list[str]], db_url: str
) -> None:
    engine, known = seeded

    @RANDOM
    @given(
        selection=selection_args(known),
        to=st.sampled_from(["marketing", "non-marketing"]),
        flags=st.lists(st.sampled_from(["--dry-run", "--allow-tier-upgrade"]), unique=True),
    )
    def check(selection: list[str], to: str, flags: list[str]) -> None:
        before = fingerprint(engine)
        code, payload, message = run(
            ["--db", db_url, "--today", str(TODAY), "set-status", "--to", to, *selection, *flags]
        )
        assert code in (0, 2, 3), message
        if code:
            assert message and "Traceback" not in message
            assert fingerprint(engine) == before, f"a refused command left a partial write: {message}"
        else:
            assert payload is not None
            _check_consistent(engine)
        _count("command line " + db_url.split(":")[0], {0: "ran", 2: "refused", 3: "needs tier consent"}[code])

    check()
    print("random inputs:", SEEN)
