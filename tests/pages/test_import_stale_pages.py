"""The import preview of a stale file (AppTest; docs/domain.md §10): it shows what it keeps and asks consent
before undoing scheduled changes."""

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
