"""The CSV round trip with HubSpot (issue 12; docs/domain.md §11) through the command line, on SQLite and
PostgreSQL: HubSpot's labels and internal names, Record IDs, stale files, consent, the export for people."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sqlalchemy import Engine, func, select

from core.services.breakdown import marketing_breakdown
from core.store.schema import contacts
from tests.conftest import TODAY, Cli
from tests.factories import add_contacts
from tests.helpers import csv_text

HUBSPOT = ("Record ID", "Email", "Lifecycle Stage", "Marketing contact status")


def _import(cli: Cli, tmp_path: Path, content: str, *extra: str, expect: int = 0) -> dict:
    path = tmp_path / "in.csv"
    path.write_text(content, encoding="utf-8")
    return cli("import", str(path), *extra, expect=expect)


def _stages(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(select(contacts.c.lifecycle_stage, func.count()).group_by(contacts.c.lifecycle_stage))
        return {str(stage): int(n) for stage, n in rows}


def test_hubspots_label_and_internal_name_are_one_stage(engine: Engine, cli: Cli, tmp_path: Path) -> None:
    rows = [
        ("", "a@example.com", "Marketing Qualified Lead", "Marketing contact"),
        ("", "b@example.com", "marketingqualifiedlead", "Marketing contact"),
        ("", "c@example.com", "MARKETING QUALIFIED LEAD", "Marketing contact"),
        ("", "d@example.com", "Partner", "Marketing contact"),  # a custom stage: kept
    ]
    assert _import(cli, tmp_path, csv_text(rows, header=HUBSPOT))["created"] == 4
    assert _stages(engine) == {"marketingqualifiedlead": 3, "partner": 1}
    assert dict(marketing_breakdown(engine, today=TODAY).by_stage) == {"marketingqualifiedlead": 3, "partner": 1}
    for value in ("Marketing Qualified Lead", "marketingqualifiedlead", "MQL"):  # a filter takes either form
        spec = json.dumps([{"property": "lifecycle_stage", "operator": "eq", "value": value}])
        assert cli("contacts", "page", "--filter", spec)["matching"]["total"] == 3, value


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _write_rows(path: Path, rows: list[dict[str, str]]) -> str:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def _by_email(engine: Engine) -> dict[str, dict[str, object]]:
    with engine.connect() as conn:
        return {r["email_lower"]: dict(r) for r in conn.execute(select(contacts)).mappings()}


def test_a_hubspot_record_id_follows_its_contact_through_an_email_change(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    first = [("123456789012", "ada@example.com", "lead", ""), ("51", "bob@example.com", "customer", "")]
    assert _import(cli, tmp_path, csv_text(first, header=HUBSPOT))["created"] == 2
    later = [("123456789012", "ada.king@example.com", "customer", "")]  # a later HubSpot export: email changed
    result = _import(cli, tmp_path, csv_text(later, header=HUBSPOT))
    assert (result["created"], result["updated"], result["rejected"]) == (0, 1, [])
    stored = _by_email(engine)
    assert set(stored) == {"ada.king@example.com", "bob@example.com"}, "updated, not a duplicate"
    assert (stored["ada.king@example.com"]["hubspot_id"], stored["bob@example.com"]["hubspot_id"]) == (
        123456789012,
        51,
    )
    assert stored["ada.king@example.com"]["lifecycle_stage"] == "customer"


def test_our_own_export_matches_by_record_id_and_export_writes_what_ids_accepts(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    add_contacts(engine, 2, state="marketing", prefix="here")
    add_contacts(engine, 1, state="marketing", prefix="hub", hubspot_id=51)
    cli("export", str(tmp_path / "out.csv"))
    rows = _rows(tmp_path / "out.csv")
    record_ids = sorted(r["Record ID"] for r in rows)
    assert record_ids[0] == "51" and all(r.startswith("mk-") for r in record_ids[1:])
    assert cli("export", str(tmp_path / "some.csv"), "--ids", ",".join(record_ids))["exported"] == 3
    assert sorted(c["record_id"] for c in cli("contacts", "page")["contacts"]) == record_ids
    for row in rows:  # emails changed in the spreadsheet
        row["Email"] = row["Email"].replace("@example.com", "@example.org")
    result = cli("import", _write_rows(tmp_path / "edited.csv", rows))
    assert (result["created"], result["updated"], result["rejected"]) == (0, 3, [])
    assert {e.split("@")[1] for e in _by_email(engine)} == {"example.org"}


def test_a_row_whose_record_id_and_email_name_two_contacts_is_rejected_with_its_line(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    ada, bob = add_contacts(engine, 2, state="non_marketing")
    rows = [
        (f"mk-{ada}", "c1@example.com", "customer", ""),  # Ada's id, Bob's email
        ("77", "c0@example.com", "customer", ""),  # Ada has no HubSpot id: she takes 77
        ("78", "c0@example.com", "customer", ""),  # ...and now has another
        ("1.23E+11", "new@example.com", "", ""),  # a number a spreadsheet rewrote
    ]
    before = _by_email(engine)
    result = _import(cli, tmp_path, csv_text(rows, header=HUBSPOT))
    assert result["rejected"] == [
        {"line": 2, "reason": f"Record ID mk-{ada} and Email c1@example.com are two different contacts"},
        {"line": 4, "reason": "Email c0@example.com is the contact with Record ID 77, not 78"},
        {
            "line": 5,
            "reason": "unreadable Record ID '1.23E+11': HubSpot's are whole numbers, Marketable's own are mk-<number>",
        },
    ]
    after = _by_email(engine)
    assert after["c1@example.com"] == before["c1@example.com"], "Bob untouched"
    assert (after["c0@example.com"]["hubspot_id"], after["c0@example.com"]["lifecycle_stage"]) == (77, "customer")
    assert bob == after["c1@example.com"]["id"]


def test_a_marketable_export_from_before_record_ids_is_matched_by_email(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    (ada,) = add_contacts(engine, 1, state="non_marketing")
    header = ("Record ID", "Email", "Lifecycle Stage", "Non-marketing effective on")  # no Last Modified Date
    result = _import(cli, tmp_path, csv_text([(str(ada + 1000), "c0@example.com", "lead", "")], header=header))
    assert (result["created"], result["updated"], result["rejected"]) == (0, 1, [])
    assert _by_email(engine)["c0@example.com"]["hubspot_id"] is None, "our old plain ids are not HubSpot's"


def test_a_stale_reimport_keeps_the_newer_statuses_and_counts_them(engine: Engine, cli: Cli, tmp_path: Path) -> None:
    """The issue's case: an export taken before a cleanup, re-imported minutes later, undid it silently."""
    ids = add_contacts(engine, 5, state="marketing")
    old = cli("export", str(tmp_path / "before.csv"))
    assert old["exported"] == 5
    cleanup = cli("set-status", "--to", "non-marketing", "--ids", ",".join(map(str, ids[:3])))
    assert cleanup["scheduled"] == 3
    result = cli("import", str(tmp_path / "before.csv"))  # no --allow-undo needed: nothing is undone
    assert (result["stale"], result["undone"], result["updated"]) == (3, 0, 5)
    assert cli("usage")["pending"] == 3


def test_an_import_that_undoes_scheduled_changes_exits_3_unless_allowed(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    add_contacts(engine, 2, state="pending")
    rows = csv_text([("c0@example.com", "Marketing contact"), ("c1@example.com", "")], header=HUBSPOT[1::2])
    before = _by_email(engine)
    refused = _import(cli, tmp_path, rows, expect=3)
    assert (refused["undone"], refused["written"], refused["updated"]) == (1, False, 2)
    assert "--allow-undo" in cli.message and _by_email(engine) == before, "nothing written"
    done = _import(cli, tmp_path, rows, "--allow-undo")
    assert (done["undone"], cli("usage")["pending"]) == (1, 1)


def test_an_import_that_raises_the_tier_exits_3_unless_allowed(engine: Engine, cli: Cli, tmp_path: Path) -> None:
    add_contacts(engine, 2000, state="marketing", prefix="full")
    rows = csv_text([("new@example.com", "Marketing contact")], header=HUBSPOT[1::2])
    refused = _import(cli, tmp_path, rows, expect=3)
    assert (refused["tier_limit_before"], refused["tier_limit_after"], refused["written"]) == (2000, 7000, False)
    assert cli("usage")["total"] == 2000
    assert _import(cli, tmp_path, rows, "--allow-tier-upgrade")["tier_limit_after"] == 7000


def test_the_export_is_for_people_utf8_with_a_byte_order_mark_and_source_names(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    add_contacts(engine, 1, state="marketing", first_name="Zoë", status_source_type="bulk_action")
    cli("export", str(tmp_path / "out.csv"))
    data = (tmp_path / "out.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "Zoë".encode() in data
    (row,) = _rows(tmp_path / "out.csv")
    assert (row["Marketing status source"], row["Marketing status source name"]) == ("bulk_action", "bulk action")
    assert (row["Original source"], row["Original source name"]) == ("import", "import")
    assert row["Last Modified Date"] == "2026-03-01 09:00:00"  # never changed: its creation


def test_emails_passed_on_between_contacts_in_one_file_land_without_a_clash(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    add_contacts(engine, 1, email="a@example.com", hubspot_id=1)
    add_contacts(engine, 1, email="b@example.com", hubspot_id=2)
    rows = [("1", "x@example.com", "", ""), ("2", "a@example.com", "", ""), ("1", "b@example.com", "", "")]
    result = _import(cli, tmp_path, csv_text(rows, header=HUBSPOT))  # a -> x, b -> a, then x -> b: a swap
    assert (result["created"], result["updated"], result["rejected"]) == (0, 3, [])
    assert {e: c["hubspot_id"] for e, c in _by_email(engine).items()} == {"b@example.com": 1, "a@example.com": 2}


def test_an_email_a_contact_leaves_can_be_taken_by_a_new_contact_in_the_same_file(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    """A later HubSpot export: contact 1 moved from a@ to a2@, and a new person now has a@. Failed before with
    UNIQUE constraint failed: contacts.email_lower (the new contact was written before the old one moved away)."""
    add_contacts(engine, 1, email="a@example.com", hubspot_id=1)
    rows = [("1", "a2@example.com", "", ""), ("", "a@example.com", "lead", "")]
    result = _import(cli, tmp_path, csv_text(rows, header=HUBSPOT))
    assert (result["created"], result["updated"], result["rejected"]) == (1, 1, [])
    stored = _by_email(engine)
    assert stored["a2@example.com"]["hubspot_id"] == 1
    assert stored["a@example.com"]["hubspot_id"] is None and stored["a@example.com"]["lifecycle_stage"] == "lead"
