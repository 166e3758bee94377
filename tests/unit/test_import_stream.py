"""A big file read as a stream and its rows kept packed (issue 11) read and fold exactly as the whole text and row
objects do: the same rows, rejections, line numbers, open quotes, UTF-8 errors and folded contacts."""

from __future__ import annotations

import random
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from core.errors import DomainError
from core.services.imports import packed, parse
from core.services.imports.fold import Folded, Record, fold_packed, fold_rows
from core.services.imports.parse import Source, decode, pack_csv, parse_csv, source_of

TODAY, NEXT_UPDATE = date(2026, 11, 26), date(2026, 12, 1)
HEADER = (
    "Record ID,Email,First Name,Last Name,Lifecycle Stage,Create Date,Last Activity Date,Marketing contact status,"
    "Non-marketing effective on,Hard bounce reason,Unsubscribed from all email,Last Modified Date"
)
FILES = {
    "plain": "Email,First Name\na@example.com,Ada\nB@Example.com,Bob\n",
    "crlf": 'Email,First Name\r\na@example.com,Ada\r\nb@example.com,"two\r\nlines"\r\n',
    "cr only": "Email,First Name\ra@example.com,Ada\rb@example.com,Bob\r",
    "bom": "\ufeffEmail,First Name\na@example.com,Ada\n",
    "no last newline": "Email,First Name\na@example.com,Ada",
    "blank lines": "Email\n\n\na@example.com\n,\n\n",
    "open quote at the end": 'Email,First Name\na@example.com,Ada\nb@example.com,"Bob\nc@example.com,Cy\n',
    "open quote on the last line": 'Email,First Name\na@example.com,Ada\nb@example.com,"Bob',
    "open quote in a bad row": 'Email,Create Date\na@example.com,2026-01-01\nb@example.com,"never\nc@x.com,1\n',
    "bad rows": "Email,Create Date\nnot an email,\na@example.com,yesterday\nb@example.com,2026-01-01\n",
    "nul": "Email,First Name\na@example.com,A\x00da\nb@example.com,Bob\n",
    "guarded": "Email,First Name\na@example.com,'=cmd\n",
    "multi-line header": 'Email,"First\nName"\na@example.com,Ada\n',
    "header quote never closed": 'Email,"First Name\na@example.com,Ada\n',
    "record ids": f"{HEADER}\n"
    "12,a@example.com,Ada,King,lead,2026-01-02,2026-02-03 10:00:00,Marketing contact,,,false,2026-03-04T10:00:00Z\n"
    "mk-7,b@example.com,,,,,,Non-marketing contact,true,bounced,true,\n"
    "x9,c@example.com,,,,,,,,,,\n"
    "12,A@EXAMPLE.COM,Ada,,customer,,,,,,,\n",
}


def _streamed(text: str, tmp_path: Path, *, timezone: str = "UTC") -> tuple[list[Any], list[Any]]:
    """The rows and rejections as an import reads them: streamed from the file, packed, unpacked again."""
    results = []
    path = tmp_path / "file.csv"
    path.write_bytes(text.encode("utf-8"))
    for source in (source_of(text.encode("utf-8")), source_of(path)):
        rows = pack_csv(source, timezone=timezone)
        unpacked = [packed.unpack(key, rows.row(i)) for i, key in enumerate(rows.keys)]
        assert [rows.request(i) for i in range(len(rows))] == [r.request for r in unpacked]
        results.append((unpacked, rows.rejected))
    assert results[0] == results[1]
    return results[0]


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_file_streamed_and_packed_reads_as_its_whole_text(name: str, tmp_path: Path) -> None:
    text = FILES[name]
    try:
        expected = parse_csv(text.removeprefix("\ufeff"), timezone="Europe/Warsaw")
    except DomainError as exc:
        with pytest.raises(DomainError, match=re.escape(str(exc))):
            _streamed(text, tmp_path, timezone="Europe/Warsaw")
        return
    assert _streamed(text, tmp_path, timezone="Europe/Warsaw") == expected


def test_rows_are_packed_in_blocks_and_read_back_in_any_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packed, "BLOCK", 3)
    lines = [f"p{i}@example.com,Name {i} ünïcode" for i in range(10)]
    rows = pack_csv(source_of(("Email,First Name\n" + "\n".join(lines)).encode()))
    order = list(range(10))
    random.Random(4).shuffle(order)
    assert [packed.unpack(rows.keys[i], rows.row(i)).fields["first_name"] for i in order] == [
        f"Name {i} ünïcode" for i in order
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"Email\na@example.com\n\xff",
        b"\xef\xbb\xbfEmail\n\xe2\x82",
        b"\xef\xbb\xff",
        b"\xef\xbb",
        b"\xff",
        b"Email\n" + "é".encode() * 7 + b"\xe9x",
        b"Email\n" + b"a" * 9 + b"\xe2\x82",
    ],
)
@pytest.mark.parametrize("block", [1, 2, 3, 5, 1 << 20])
def test_a_file_that_is_not_utf8_names_the_byte_decode_names(
    data: bytes, block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parse, "_BLOCK", block)
    with pytest.raises(DomainError) as whole:
        decode(data)
    with pytest.raises(DomainError) as streamed:
        Source(data=data).check_utf8()
    assert str(streamed.value) == str(whole.value)


@pytest.mark.parametrize("block", [1, 2, 1 << 20])
def test_utf8_files_pass_the_check_whatever_the_blocks(block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse, "_BLOCK", block)
    for data in (b"", b"\xef\xbb\xbf", b"\xef\xbb\xbfEmail", "Email\nzoë@example.com 😀\n".encode()):
        Source(data=data).check_utf8()


def _records(folded: Folded) -> list[tuple[str, Any]]:
    return [
        (key, (r.id, r.fields, r.state, r.events, r.hubspot_id, r.adopted, r.email_changed))
        for key, entry in folded.records.items()
        for r in [folded.record(key, entry)]
    ]


def _known() -> dict[str, Record]:
    from core.rules.status import State

    return {
        "ada@example.com": Record(7, {"email": "ada@example.com"}, State.PENDING, [], hubspot_id=900),
        "bob@example.com": Record(8, {"email": "bob@example.com"}, State.MARKETING, []),
    }


@pytest.mark.parametrize("seed", range(10))
def test_packed_rows_fold_as_row_objects_do(seed: int) -> None:
    """Random files of repeated emails, Record IDs (ours, HubSpot's, known and new) and statuses."""
    rnd = random.Random(seed)
    statuses = ["", "Marketing contact", "Non-marketing contact"]
    people = [f"p{i}" for i in range(seed * 40)]  # more emails: more contacts that one row made
    ids = 5 + seed * 40  # HubSpot Record IDs that name no contact
    lines = [HEADER]
    for _ in range(300):
        email = rnd.choice(["ada", "bob", "cy", "dee", "eve", "fay", "gus", *people]) + "@example.com"
        rid = rnd.choice(["", "", "", "900", "mk-7", "mk-8", "901", "902", str(rnd.randrange(903, 903 + ids))])
        pending = rnd.choice(["", "", "true"])
        name = rnd.choice(["", "Ann", "Bo"])
        lines.append(
            f"{rid},{email.upper() if rnd.random() < 0.2 else email},{name},,,,,{rnd.choice(statuses)},{pending},,,"
        )
    text = "\n".join(lines) + "\n"
    rows, rejected = parse_csv(text)
    expected = fold_rows(rows, _known(), as_marketing=seed % 2 == 0, today=TODAY, effective=NEXT_UPDATE)
    packed_rows = pack_csv(source_of(text.encode()))
    assert packed_rows.rejected == rejected
    found = fold_packed(packed_rows, _known(), as_marketing=seed % 2 == 0, today=TODAY, effective=NEXT_UPDATE)
    assert (found.created, found.updated, found.rejected, found.stale_rows) == (
        expected.created,
        expected.updated,
        expected.rejected,
        expected.stale_rows,
    )
    assert _records(found) == _records(expected)
    assert found.event_counts() == expected.event_counts()


def test_a_packed_time_is_what_the_writer_hands_sqlite_and_postgresql() -> None:
    from core.store.bulk_contacts import Cells

    text = "Email,Create Date,Last Activity Date\na@example.com,2026-01-02 03:04:05,2026-01-03T04:05:06+02:00\n"
    (row,), _ = parse_csv(text)
    rows = pack_csv(source_of(text.encode()))
    created, activity = packed.cells(rows.keys[0], rows.row(0))[4:6]
    for sqlite in (True, False):
        cells = Cells(sqlite=sqlite)
        assert cells.stamp_text(created) == cells.stamp(row.fields["created_at"])
        assert cells.stamp_text(activity) == cells.stamp(row.fields["last_activity_at"])


def test_a_file_that_stops_being_utf8_once_checked_names_its_byte(tmp_path: Path) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes(b"Email\na@example.com\n")
    source = source_of(path)
    path.write_bytes(b"Email\na@example.com\n\xff\n")  # changed while it is read
    with pytest.raises(DomainError, match=re.escape("(byte 20)")):
        pack_csv(source)
