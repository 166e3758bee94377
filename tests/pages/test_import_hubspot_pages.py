"""HubSpot files on the import page (AppTest; docs/domain.md §10, §11): a stale file shows what it keeps and asks
consent before undoing scheduled changes; rows match by Record ID; stages show by HubSpot's label."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.conftest import Cli
from tests.factories import state_of
from tests.pages.contacts_app import known_database

IMPORT = "pages/contacts/import_contacts.py"


def stale_file(url: str, tmp_path: object) -> bytes:
    """An export taken before a cleanup (m0, m1 set non-marketing after it), with p0 edited to marketing."""
    cli = Cli(url)
    path = f"{tmp_path}/before.csv"
    cli("export", path)
    cleanup = cli("set-status", "--to", "non-marketing", "--emails", "m0@example.com,m1@example.com")
    assert cleanup["scheduled"] == 2
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["Email"] == "p0@example.com":  # someone wants p0 back: it undoes its scheduled change
            row["Marketing contact until next update"] = "false"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def test_the_preview_of_a_stale_file_shows_what_it_keeps_and_asks_before_undoing(
    open_app: Callable[..., AppTest], app_env: str, tmp_path: object
) -> None:
    engine = known_database(app_env)
    data = stale_file(app_env, tmp_path)
    at = open_app(IMPORT)
    at.file_uploader(key="imp_file").set_value(("before.csv", data, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    shown = {m.label: m.value for m in at.metric}
    assert (shown["Stale rows: status kept"], shown["Pending changes undone"]) == ("2", "1")
    assert any("2 rows are older than their contact's last status change" in i.value for i in at.info)
    (kept,) = [d.value for d in at.dataframe if "Kept" in d.value.columns]
    assert sorted(kept["Email"]) == ["m0@example.com", "m1@example.com"]
    assert set(kept["Kept"]) == {"Marketing until next update"} and set(kept["The file says"]) == {"Marketing"}
    assert any("undoes 1 scheduled non-marketing changes" in w.value for w in at.warning)
    assert at.button(key="imp_run").disabled, "undoing needs consent"
    at.checkbox(key="imp_undo").check().run()
    assert not at.button(key="imp_run").disabled
    at.button(key="imp_run").click().run()
    assert not at.exception, at.exception
    report = {m.label: m.value for m in at.metric}
    assert report["Stale rows: their contacts kept their newer status"] == "2"
    assert (state_of(engine, "m0@example.com"), state_of(engine, "p0@example.com")) == ("pending", "marketing")


def _upload(at: AppTest, rows: list[tuple[str, ...]], name: str) -> dict[str, str]:
    header = ("Record ID", "Email", "Lifecycle Stage")
    text = "\n".join(",".join(r) for r in [header, *rows]) + "\n"
    at.file_uploader(key="imp_file").set_value((name, text.encode(), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    return {m.label: m.value for m in at.metric}


def test_a_hubspot_file_matches_by_record_id_and_shows_its_stages_by_label(
    open_app: Callable[..., AppTest], app_env: str
) -> None:
    known_database(app_env)
    at = open_app(IMPORT)
    first = _upload(at, [("900", "ada@example.com", "Marketing Qualified Lead")], "hubspot-1.csv")
    assert (first["New contacts"], first["Existing contacts updated"]) == ("1", "0")
    mapping = dict(zip(at.dataframe[1].value["Column in the file"], at.dataframe[1].value["Imported as"], strict=True))
    assert mapping["Record ID"].startswith("Record ID (matches contacts first")
    at.button(key="imp_run").click().run()
    at.button(key="imp_again").click().run()
    later = [("900", "ada.king@example.com", "marketingqualifiedlead"), ("900", "m0@example.com", "lead")]
    second = _upload(at, later, "hubspot-2.csv")
    assert (second["New contacts"], second["Existing contacts updated"], second["Rejected rows"]) == ("0", "1", "1")
    at.button(key="imp_run").click().run()
    (rejected,) = [d.value for d in at.dataframe if "Reason" in d.value.columns]
    assert list(rejected["Reason"]) == ["Record ID 900 and Email m0@example.com are two different contacts"]
    contacts = open_app("pages/contacts/contacts.py")
    table = contacts.dataframe(key=contacts.session_state["ct_table_key"]).value
    shown = dict(zip(table["Email"], table["Lifecycle stage"], strict=True))
    assert shown["ada.king@example.com"] == "Marketing Qualified Lead" and "ada@example.com" not in shown
