"""CSV import and export (docs/domain.md §9) through the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, select, text, update

from core.services.imports import service
from core.store import states
from core.store.engine import make_engine
from core.store.schema import account, contacts
from tests.conftest import Cli
from tests.factories import add_contacts, contact, count, events_of, fail_on_email, snapshot, state_of, write_csv
from tests.helpers import csv_text

H = ("Email", "Marketing contact status", "Marketing contact until next update")


def _import(cli: Cli, tmp_path: Path, content: str | bytes, *extra: str, today: str = "2026-11-26", **kw: int) -> dict:
    return cli("import", write_csv(tmp_path / "in.csv", content), *extra, today=today, **kw)


def test_the_json_has_created_updated_and_rejected(engine: Engine, cli: Cli, tmp_path: Path) -> None:
    add_contacts(engine, 1, state="non_marketing", prefix="old")
    result = _import(cli, tmp_path, csv_text([("old0@example.com",), ("new@example.com",)], header=("Email",)))
    assert (result["created"], result["updated"], result["rejected"]) == (1, 1, [])


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        pytest.param("2025-03-04", datetime(2025, 3, 4), id="a plain date"),
        pytest.param("2025-03-04 05:06", datetime(2025, 3, 4, 5, 6), id="date, hours and minutes"),
        pytest.param("2025-03-04 05:06:07", datetime(2025, 3, 4, 5, 6, 7), id="HubSpot's export format"),
        pytest.param("2025-03-04T05:06:07+02:00", datetime(2025, 3, 4, 3, 6, 7), id="ISO with T and an offset"),
        pytest.param("2025-03-04T05:06:07Z", datetime(2025, 3, 4, 5, 6, 7), id="ISO with Z"),
    ],
)
def test_each_readable_date_form_is_stored(
    engine: Engine, cli: Cli, tmp_path: Path, cell: str, stored: datetime
) -> None:
    content = csv_text([("a@example.com", cell, cell)], header=("Email", "Create Date", "Last Activity Date"))
    assert _import(cli, tmp_path, content)["created"] == 1
    row = contact(engine, "a@example.com")
    assert (row["created_at"], row["last_activity_at"]) == (stored, stored)


def test_a_bad_row_is_rejected_with_its_line_and_reason_while_the_others_import(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    header = ("Email", "Create Date", "Marketing contact status", "Unsubscribed from all email")
    rows = [
        ("good1@example.com", "2026-01-02", "Marketing contact", "no"),  # line 2
        ("", "2026-01-02", "", ""),  # line 3: missing email
        ("not-an-email", "", "", ""),  # line 4
        ("good2@example.com", "02/01/2026", "", ""),  # line 5: unreadable date
        ("good3@example.com", "", "Subscriber", ""),  # line 6: unknown status
        ("good4@example.com", "", "", "perhaps"),  # line 7: unknown boolean
        ("good5@example.com", "", "Non-marketing contact", "1"),  # line 8
    ]
    result = _import(cli, tmp_path, csv_text(rows, header=header))
    assert (result["created"], result["updated"]) == (2, 0)
    lines = {r["line"]: r["reason"] for r in result["rejected"]}
    assert sorted(lines) == [3, 4, 5, 6, 7]
    assert "missing email" in lines[3]
    assert "not-an-email" in lines[4]
    assert "unreadable date" in lines[5] and "02/01/2026" in lines[5]
    assert "Subscriber" in lines[6]
    assert "perhaps" in lines[7]
    assert count(engine, "contacts") == 2
    assert state_of(engine, "good1@example.com") == "marketing"
    assert contact(engine, "good5@example.com")["unsubscribed_all"] is True


def test_a_row_non_marketing_and_until_next_update_is_rejected_as_contradictory(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    rows = [("a@example.com", "Non-marketing contact", "true"), ("b@example.com", "Marketing contact", "false")]
    result = _import(cli, tmp_path, csv_text(rows, header=H))
    assert result["created"] == 1
    (rejected,) = result["rejected"]
    assert rejected["line"] == 2 and "contradictory" in rejected["reason"]
    assert count(engine, "contacts") == 1


def test_a_byte_order_mark_at_the_start_is_ignored(engine: Engine, cli: Cli, tmp_path: Path) -> None:
    content = "\ufeff" + csv_text([("bom@example.com", "Ada")], header=("Email", "First Name"))
    assert _import(cli, tmp_path, content)["created"] == 1
    assert contact(engine, "bom@example.com")["first_name"] == "Ada"


def test_a_file_without_an_email_column_exits_2_and_writes_nothing(engine: Engine, cli: Cli, tmp_path: Path) -> None:
    before = snapshot(engine)
    content = csv_text([("Ada", "Lovelace")], header=("First Name", "Last Name"))
    assert _import(cli, tmp_path, content, expect=2) is None
    assert "Email" in cli.message
    assert snapshot(engine) == before


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"", id="an empty file"),
        pytest.param(b"Email\n\xff\xfeada@example.com\n", id="a file that is not UTF-8"),
    ],
)
def test_an_unreadable_file_exits_2_and_writes_nothing(
    engine: Engine, cli: Cli, tmp_path: Path, content: bytes
) -> None:
    before = snapshot(engine)
    _import(cli, tmp_path, content, expect=2)
    assert snapshot(engine) == before


def test_a_missing_file_exits_2(engine: Engine, cli: Cli, tmp_path: Path) -> None:
    cli("import", str(tmp_path / "nope.csv"), expect=2)
    assert "nope.csv" in cli.message


def test_the_same_email_twice_applies_in_file_order_and_the_later_row_counts_as_updated(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    header = ("Email", "First Name", "Lifecycle Stage", "Marketing contact status")
    rows = [("Ada@Example.com", "Ada", "lead", "Marketing contact"), ("ada@example.COM", "Augusta", "", "")]
    result = _import(cli, tmp_path, csv_text(rows, header=header))
    assert (result["created"], result["updated"]) == (1, 1)
    row = contact(engine, "ada@example.com")
    assert (row["first_name"], row["lifecycle_stage"]) == ("Augusta", "lead")
    assert count(engine, "contacts") == 1
    assert state_of(engine, "ada@example.com") == "marketing"


def test_a_later_row_of_the_same_email_can_schedule_what_an_earlier_row_made_marketing(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    rows = [("twice@example.com", "Marketing contact", ""), ("TWICE@example.com", "Non-marketing contact", "")]
    result = _import(cli, tmp_path, csv_text(rows, header=H))
    assert (result["created"], result["updated"]) == (1, 1)
    assert state_of(engine, "twice@example.com") == "pending"  # made marketing this period: billed until Dec 1
    assert cli("usage")["marketing"] == 1


STATUS_ROWS = [
    pytest.param("marketing", "Non-marketing contact", "", "pending", id="marketing imported as non-marketing"),
    pytest.param("marketing", "false", "", "pending", id="marketing imported as false"),
    pytest.param("marketing", "Marketing contact", "true", "pending", id="marketing imported as until next update"),
    pytest.param("marketing", "Marketing contact", "", "marketing", id="marketing imported as marketing"),
    pytest.param("non_marketing", "Marketing contact", "", "marketing", id="non-marketing imported as marketing"),
    pytest.param("non_marketing", "true", "no", "marketing", id="non-marketing imported as true"),
    pytest.param("non_marketing", "Non-marketing contact", "", "non_marketing", id="non-marketing stays"),
    pytest.param("pending", "Marketing contact", "false", "marketing", id="pending imported as marketing: undone"),
    pytest.param("pending", "Non-marketing contact", "", "pending", id="pending imported as non-marketing"),
    pytest.param("pending", "Marketing contact", "true", "pending", id="pending imported as until next update"),
    pytest.param("marketing", "", "true", "pending", id="until next update alone schedules a marketing contact"),
    pytest.param("non_marketing", "", "true", "non_marketing", id="until next update alone on non-marketing"),
    pytest.param("pending", "", "yes", "pending", id="until next update alone on a pending contact"),
    pytest.param("marketing", "", "", "marketing", id="no status leaves a marketing contact"),
    pytest.param("pending", "", "", "pending", id="no status leaves a pending contact"),
]


@pytest.mark.parametrize(("before", "status", "pending", "after"), STATUS_ROWS)
def test_a_status_in_an_import_follows_section_2_with_import_as_the_source(
    engine: Engine, cli: Cli, tmp_path: Path, before: str, status: str, pending: str, after: str
) -> None:
    (contact_id,) = add_contacts(engine, 1, state=before)
    rows = csv_text([("c0@example.com", status, pending)], header=H)
    result = _import(cli, tmp_path, rows, "--allow-undo")  # undoing a pending change needs consent (§10)
    assert (result["created"], result["updated"], result["rejected"]) == (0, 1, [])
    assert state_of(engine, "c0@example.com") == after
    row = contact(engine, "c0@example.com")
    assert row["effective_on"] == (date(2026, 12, 1) if after == "pending" else None)
    events = events_of(engine, contact_id)
    if after != before:
        assert [(e["old_state"], e["new_state"]) for e in events] == [(before, after)]
        assert {(e["source_type"], e["actor"]) for e in events} == {("import", "cli")}
        assert row["status_source_type"] == "import"
        assert events[0]["effective_on"] == (date(2026, 12, 1) if after == "pending" else date(2026, 11, 26))
    else:
        assert events == []


@pytest.mark.parametrize(
    ("status", "pending", "as_marketing", "after"),
    [
        pytest.param("", "", False, "non_marketing", id="without a status a new contact is non-marketing"),
        pytest.param("", "", True, "marketing", id="with --as-marketing a new contact is marketing"),
        pytest.param("Non-marketing contact", "", True, "non_marketing", id="an explicit status beats the default"),
        pytest.param("Marketing contact", "", False, "marketing", id="a new contact imported as marketing"),
        pytest.param("Marketing contact", "yes", False, "pending", id="a new contact marked pending"),
        pytest.param("", "true", True, "pending", id="with --as-marketing until next update alone is pending"),
        pytest.param("", "true", False, "non_marketing", id="until next update alone on the non-marketing default"),
    ],
)
def test_a_new_contact_gets_its_rows_status_or_the_imports_default(
    engine: Engine, cli: Cli, tmp_path: Path, status: str, pending: str, as_marketing: bool, after: str
) -> None:
    flags = ["--as-marketing"] if as_marketing else []
    result = _import(cli, tmp_path, csv_text([("new@example.com", status, pending)], header=H), *flags)
    assert result["created"] == 1
    assert state_of(engine, "new@example.com") == after
    row = contact(engine, "new@example.com")
    assert row["source_type"] == "import"
    assert row["effective_on"] == (date(2026, 12, 1) if after == "pending" else None)
    if after != "non_marketing":
        assert events_of(engine, row["id"])[0]["new_state"] == "marketing"
        assert row["status_source_type"] == "import"


def test_as_marketing_does_not_change_existing_contacts_without_a_status(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    add_contacts(engine, 1, state="non_marketing", prefix="old")
    result = _import(
        cli, tmp_path, csv_text([("old0@example.com",), ("new@example.com",)], header=("Email",)), "--as-marketing"
    )
    assert (result["created"], result["updated"]) == (1, 1)
    assert (state_of(engine, "old0@example.com"), state_of(engine, "new@example.com")) == ("non_marketing", "marketing")


def test_a_row_marked_pending_gets_the_next_update_date_after_today(engine: Engine, cli: Cli, tmp_path: Path) -> None:
    rows = [("p@example.com", "Marketing contact", "true")]
    _import(cli, tmp_path, csv_text(rows, header=H), today="2026-12-01")  # on an update date: the following one
    assert contact(engine, "p@example.com")["effective_on"] == date(2027, 1, 1)


def test_other_fields_of_an_existing_contact_are_updated_and_empty_cells_keep_values(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    add_contacts(engine, 1, state="marketing", first_name="Ada", last_name="Lovelace", lifecycle_stage="lead")
    header = ("Email", "First Name", "Last Name", "Lifecycle Stage", "Email hard bounce reason", "Phone")
    _import(cli, tmp_path, csv_text([("C0@example.com", "", "King", "Customer", "mailbox full", "555")], header=header))
    row = contact(engine, "c0@example.com")
    assert (row["first_name"], row["last_name"], row["lifecycle_stage"]) == ("Ada", "King", "customer")
    assert row["hard_bounced"] is True
    assert state_of(engine, "c0@example.com") == "marketing"


def test_a_database_error_in_the_middle_of_an_import_leaves_nothing_half_written(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    add_contacts(engine, 3, state="marketing", prefix="old")
    fail_on_email(engine, "new7@example.com")
    before = snapshot(engine)
    rows = [(f"old{i}@example.com", "Non-marketing contact", "") for i in range(3)]
    rows += [(f"new{i}@example.com", "Marketing contact", "") for i in range(10)]
    assert _import(cli, tmp_path, csv_text(rows, header=H), expect=2) is None
    assert "refused by test trigger" in cli.message
    assert snapshot(engine) == before


def test_a_row_with_a_stray_quote_is_rejected_with_its_line_and_the_rest_imports(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    content = 'Email,First Name\nok1@example.com,Ada\nbad"quote@example.com,x\nok2@example.com,Bob\n'
    result = _import(cli, tmp_path, content)
    assert result["created"] == 2
    assert [r["line"] for r in result["rejected"]] == [3]


def test_an_unterminated_quote_is_reported_at_the_line_where_its_row_starts(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    content = 'Email,First Name\nok1@example.com,Ada\n"bad@example.com\nok2@example.com,Bob\n'
    result = _import(cli, tmp_path, content)
    assert result["created"] == 1
    assert [r["line"] for r in result["rejected"]] == [3]


def test_a_quoted_cell_spanning_lines_keeps_later_line_numbers_right(engine: Engine, cli: Cli, tmp_path: Path) -> None:
    content = 'Email,First Name\nok1@example.com,"Ada\nAugusta"\nnot-an-email,x\n'
    result = _import(cli, tmp_path, content)
    assert result["created"] == 1
    assert [r["line"] for r in result["rejected"]] == [4]


def test_a_row_with_a_nul_character_is_rejected_on_every_engine_and_the_rest_imports(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    content = (
        "Email,First Name\nok1@example.com,Ada\nnul\x00@example.com,x\nok2@example.com,B\x00b\nok3@example.com,C\n"
    )
    result = _import(cli, tmp_path, content)
    assert result["created"] == 2
    assert [r["line"] for r in result["rejected"]] == [3, 4]
    assert count(engine, "contacts") == 2


@pytest.fixture
def second_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """Another empty database on the same engine as ``db_url``."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path}/second.db"
        return
    base, _, _ = db_url.partition("?")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{base}?options=-csearch_path%3D{schema}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _export_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_export_then_import_into_an_empty_database_gives_the_same_contacts_and_usage(
    db_url: str, second_url: str, tmp_path: Path
) -> None:
    source = Cli(db_url)
    source("init", "--demo", "400", "--seed", "7", today="2026-11-26")
    engine = make_engine(db_url)
    add_contacts(
        engine, 1, state="pending", prefix="=odd", first_name="+Formula", last_name="-minus", lifecycle_stage="@x"
    )
    add_contacts(engine, 1, state="marketing", prefix="from-hubspot", hubspot_id=123_456_789_012)
    exported = source("export", str(tmp_path / "all.csv"))
    assert exported["exported"] == 402
    target = Cli(second_url)
    target("init", today="2026-11-26")
    result = target("import", str(tmp_path / "all.csv"))
    assert (result["created"], result["updated"], result["rejected"]) == (402, 0, [])
    keys = ("marketing", "pending", "non_marketing", "total", "tier_limit", "next_update_date")
    assert {k: target("usage")[k] for k in keys} == {k: source("usage")[k] for k in keys}
    columns = [
        states.column(c)
        for c in (
            "email",
            "first_name",
            "last_name",
            "lifecycle_stage",
            "created_at",
            "last_activity_at",
            "hard_bounced",
            "unsubscribed_all",
            "marketing_status",
            "pending_non_marketing",
            "effective_on",
            "hubspot_id",  # HubSpot's Record ID travels; our own ids are this database's (docs/domain.md §11)
        )
    ]
    target_engine = make_engine(second_url)
    query = select(*columns).select_from(states.ROWS).order_by(contacts.c.email_lower)
    with engine.connect() as a, target_engine.connect() as b:
        original = [tuple(r) for r in a.execute(query)]
        copied = [tuple(r) for r in b.execute(query)]
    assert len(original) == 402
    assert copied == [tuple(_no_microseconds(v) for v in row) for row in original]
    engine.dispose()
    target_engine.dispose()


def _no_microseconds(value: object) -> object:
    return value.replace(microsecond=0) if isinstance(value, datetime) else value


def test_the_export_neutralises_formulas_and_names_each_contacts_status(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    add_contacts(engine, 1, state="pending", prefix="p", first_name="=HYPERLINK(1)")
    add_contacts(engine, 1, state="non_marketing", prefix="n")
    assert cli("export", str(tmp_path / "out.csv"))["exported"] == 2
    rows = {r["Email"]: r for r in _export_rows(tmp_path / "out.csv")}
    pending = rows["p0@example.com"]
    assert pending["First Name"] == "'=HYPERLINK(1)"
    assert (pending["Marketing contact status"], pending["Marketing contact until next update"]) == (
        "Marketing contact",
        "true",
    )
    assert rows["n0@example.com"]["Marketing contact status"] == "Non-marketing contact"
    assert pending["Record ID"] == f"mk-{contact(engine, 'p0@example.com')['id']}"  # ours, never plain digits


def test_export_takes_a_selection_and_refuses_unknown_ids(engine: Engine, cli: Cli, tmp_path: Path) -> None:
    ids = add_contacts(engine, 3, state="marketing")
    assert cli("export", str(tmp_path / "two.csv"), "--ids", f"{ids[0]},{ids[2]}")["exported"] == 2
    cli("export", str(tmp_path / "bad.csv"), "--ids", "424242", expect=2)
    assert "424242" in cli.message
    assert not (tmp_path / "bad.csv").exists()


def test_imported_contacts_take_fresh_ids_never_a_deleted_contacts(engine: Engine, cli: Cli, tmp_path: Path) -> None:
    rows = [(f"p{i}@example.com", "Marketing contact", "") for i in range(3)]
    assert _import(cli, tmp_path, csv_text(rows, header=H))["created"] == 3
    newest = contact(engine, "p2@example.com")["id"]
    assert cli("delete-contacts", "--emails", "p2@example.com")["deleted"] == 1
    again = [("q0@example.com", "Non-marketing contact", ""), ("q1@example.com", "Marketing contact", "")]
    assert _import(cli, tmp_path, csv_text(again, header=H))["created"] == 2
    by_hand = cli("create-contact", "--source", "manual", "--email", "r@example.com")["contact_id"]
    ids = [contact(engine, e)["id"] for e in ("p0@example.com", "p1@example.com", "q0@example.com", "q1@example.com")]
    assert len({*ids, by_hand, newest}) == 6 and min([*ids[2:], by_hand]) > newest
    assert [(e["old_state"], e["new_state"]) for e in events_of(engine, ids[3])] == [(None, "marketing")]
    assert events_of(engine, ids[2]) == []  # created non-marketing by an import: no status event


@pytest.mark.parametrize("email", ["José.Núñez@example.com", "名前@example.com", "emoji😀@example.com"])
def test_a_non_ascii_email_already_there_is_updated_not_created_twice(
    engine: Engine, cli: Cli, tmp_path: Path, email: str
) -> None:
    assert _import(cli, tmp_path, csv_text([(email, "Non-marketing contact", "")], header=H))["created"] == 1
    again = _import(cli, tmp_path, csv_text([(email.upper(), "Marketing contact", "")], header=H))
    assert (again["created"], again["updated"], again["made_marketing"]) == (0, 1, 1)
    assert count(engine, "contacts") == 1


def test_the_file_is_parsed_before_the_write_lock_is_taken(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    order: list[str] = []
    parse, changing = service.pack_csv, service.changing

    def parsing(*args: Any, **kwargs: Any) -> Any:
        order.append("parse")
        return parse(*args, **kwargs)

    @contextmanager
    def locking(*args: Any, **kwargs: Any) -> Iterator[Any]:
        order.append("write lock")
        with changing(*args, **kwargs) as unit:
            yield unit

    monkeypatch.setattr(service, "pack_csv", parsing)
    monkeypatch.setattr(service, "changing", locking)
    assert service.import_csv(engine, b"Email\na@example.com\n", today=date(2026, 11, 26), actor="t").created == 1
    assert order == ["parse", "write lock"]


def test_dates_are_read_again_if_the_time_zone_changes_while_the_file_is_parsed(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    parse, zones = service.pack_csv, []

    def parsing(*args: Any, **kwargs: Any) -> Any:
        zones.append(kwargs["timezone"])
        if len(zones) == 1:  # someone changes the account's time zone while the file is parsed
            with engine.begin() as conn:
                conn.execute(update(account).values(timezone="Europe/Paris"))
        return parse(*args, **kwargs)

    monkeypatch.setattr(service, "pack_csv", parsing)
    data = b"Email,Create Date\na@example.com,2026-07-15T10:00:00Z\n"
    service.import_csv(engine, data, today=date(2026, 11, 26), actor="t")
    assert zones == ["UTC", "Europe/Paris"]
    assert contact(engine, "a@example.com")["created_at"] == datetime(2026, 7, 15, 12, 0)


def test_a_stage_longer_than_its_column_once_in_lower_case_rejects_its_row_not_the_import(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    rows = [("a@example.com", "İ" * 40), ("b@example.com", "Lead")]  # "İ".lower() is two characters
    result = _import(cli, tmp_path, csv_text(rows, header=("Email", "Lifecycle Stage")))
    assert (result["created"], [r["line"] for r in result["rejected"]]) == (1, [2])
    assert contact(engine, "b@example.com")["lifecycle_stage"] == "lead"
