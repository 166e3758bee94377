"""The Contacts index services on SQLite and PostgreSQL: keyset pages, sorts, filters, counts, edit, delete, detail."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, insert

from core.errors import DomainError
from core.rules.filters import parse_filter
from core.rules.selection import Selection
from core.rules.status import MarketingStatus
from core.services.contact_detail import find_contact_id, get_contact
from core.services.contacts import (
    ContactQuery,
    count_matching,
    create_contact_by_hand,
    delete_contacts,
    page_of_contacts,
    update_contact,
)
from core.services.status import set_status
from core.store import states
from core.store.contact_pages import PROBE, SORT_KEYS
from core.store.schema import contacts
from tests.conftest import TODAY, Cli
from tests.factories import NEXT_UPDATE, add_contacts, add_list, contact, count, events_of

STAGES = ["lead", "customer", None, "subscriber"]


def _people(engine: Engine, n: int = 23) -> list[dict[str, Any]]:
    """Contacts with distinct create dates, repeated last names and some empty sort keys."""
    base = datetime(2026, 2, 1, 8, 0)
    rows = []
    for i in range(n):
        rows.append(
            {
                "email": f"p{i:02d}@example.com",
                "email_lower": f"p{i:02d}@example.com",
                "first_name": f"f{i}",
                "last_name": None if i % 5 == 0 else f"name{i % 4}",
                "lifecycle_stage": STAGES[i % 4],
                "created_at": base + timedelta(hours=(i * 7) % n),
                "last_activity_at": None if i % 3 == 0 else base + timedelta(days=i % 6),
                "source_type": "import",
                "marketing_status": "marketing" if i % 2 else "non_marketing",
                "pending_non_marketing": False,
                "hard_bounced": i % 7 == 0,
                "unsubscribed_all": False,
            }
        )
    with engine.begin() as conn:
        conn.execute(insert(contacts), [{k: v for k, v in r.items() if k not in states.STATUS_COLUMNS} for r in rows])
        status = [{k: v for k, v in r.items() if k in states.STATUS_COLUMNS} for r in rows]
        states.insert_states(conn, [{"contact_id": i, **s} for i, s in enumerate(status, start=1)])
    return rows


def _expected(rows: list[dict[str, Any]], sort: str, descending: bool, keep: Any = lambda r: True) -> list[str]:
    column = "email_lower" if sort == "email" else sort
    ordered = list(enumerate(rows, start=1))  # ids are 1..n in insert order
    ordered = [(i, r) for i, r in ordered if keep(r)]
    filled = sorted(((r[column], i, r) for i, r in ordered if r[column] is not None), reverse=descending)
    empty = sorted(((i, r) for i, r in ordered if r[column] is None), reverse=descending)
    return [r["email"] for _, _, r in filled] + [r["email"] for _, r in empty]


def _all_pages(engine: Engine, query: ContactQuery, limit: int = 5) -> list[str]:
    seen, cursor = [], None
    while True:
        page = page_of_contacts(engine, query=query, after=cursor, limit=limit)
        assert len(page.rows) <= limit
        seen += [r["email"] for r in page.rows]
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", list(SORT_KEYS))
def test_keyset_pages_list_every_contact_once_in_sort_order_with_empty_values_last(
    engine: Engine, sort: str, descending: bool
) -> None:
    rows = _people(engine)
    assert _all_pages(engine, ContactQuery(sort=sort, descending=descending)) == _expected(rows, sort, descending)


@pytest.mark.parametrize("sort", ["created_at", "last_name", "last_activity_at"])
def test_pages_under_a_filter_hold_exactly_the_matching_contacts(engine: Engine, sort: str) -> None:
    rows = _people(engine)
    query = ContactQuery(
        parse_filter('[{"property": "lifecycle_stage", "operator": "in", "value": ["lead", "customer"]}]'),
        quick="marketing",
        sort=sort,
    )
    keep = lambda r: r["lifecycle_stage"] in ("lead", "customer") and r["marketing_status"] == "marketing"  # noqa: E731
    expected = _expected(rows, sort, True, keep)
    assert _all_pages(engine, query, limit=3) == expected
    assert count_matching(engine, selection=query.selection(), today=TODAY).total == len(expected)


def test_quick_filters_match_the_usage_counts(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 3, state="marketing", prefix="m")
    add_contacts(engine, 2, state="pending", prefix="p")
    add_contacts(engine, 4, state="non_marketing", prefix="n", hard_bounced=True)
    usage = cli("usage")
    everyone = count_matching(engine, selection=ContactQuery().selection(), today=TODAY)
    assert (everyone.total, everyone.marketing, everyone.pending) == (
        usage["total"],
        usage["marketing"],
        usage["pending"],
    )
    for quick, expected in (("marketing", 5), ("pending", 2), ("non_marketing", 4), ("unengaged", 4)):
        found = count_matching(engine, selection=ContactQuery(quick=quick).selection(), today=TODAY)
        assert found.total == expected, quick
        assert len(page_of_contacts(engine, query=ContactQuery(quick=quick)).rows) == expected


def test_an_empty_page_has_no_next_cursor(engine: Engine) -> None:
    page = page_of_contacts(engine, query=ContactQuery(quick="pending"))
    assert page.rows == [] and page.next_cursor is None


def test_a_broad_filter_on_sqlite_walks_the_sort_index_and_a_narrow_one_does_not(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("INDEXED BY is SQLite's; PostgreSQL's planner has statistics")
    add_contacts(engine, PROBE + 10, state="marketing", prefix="b", lifecycle_stage="lead")
    add_contacts(engine, 3, state="marketing", prefix="c", lifecycle_stage="customer")
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    broad = ContactQuery(parse_filter('[{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}]'))
    assert len(page_of_contacts(engine, query=broad).rows) == 50
    assert any("INDEXED BY ix_contacts_created_at" in s for s in statements)
    statements.clear()
    narrow = ContactQuery(parse_filter('[{"property": "lifecycle_stage", "operator": "eq", "value": "customer"}]'))
    assert len(page_of_contacts(engine, query=narrow).rows) == 3
    assert not any("INDEXED BY" in s for s in statements)


def test_an_unknown_sort_or_quick_filter_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot sort"):
        ContactQuery(sort="marketing_status")
    with pytest.raises(ValueError, match="quick filter"):
        ContactQuery(quick="vip")


def test_creating_by_hand_is_non_marketing_unless_ticked(engine: Engine, cli: Cli) -> None:
    plain = create_contact_by_hand(engine, email="a@example.com", first_name="Ann", today=TODAY, actor="ann")
    ticked = create_contact_by_hand(engine, email="b@example.com", marketing=True, today=TODAY, actor="ann")
    assert (plain.status, ticked.status) == ("non_marketing", "marketing")
    assert cli("usage")["marketing"] == 1
    detail = get_contact(engine, contact_id=ticked.contact_id)
    assert detail.made_marketing is not None and detail.made_marketing.actor == "ann"
    assert "manual creation" in detail.reason and "by ann" in detail.reason


def test_editing_fields_checks_the_email_and_keeps_the_status(engine: Engine) -> None:
    [a, _] = add_contacts(engine, 2, state="pending", prefix="e")
    with pytest.raises(DomainError, match=r"(?i)invalid email"):
        update_contact(engine, contact_id=a, changes={"email": "broken@"}, today=TODAY, actor="ann")
    with pytest.raises(DomainError, match="already has the email"):
        update_contact(engine, contact_id=a, changes={"email": "E1@example.com"}, today=TODAY, actor="ann")
    changed = update_contact(
        engine,
        contact_id=a,
        changes={
            "email": "New@Example.com",
            "first_name": " Eve ",
            "lifecycle_stage": "Customer",
            "hard_bounced": True,
        },
        today=TODAY,
        actor="ann",
    )
    assert changed == 4
    found = contact(engine, "new@example.com")
    assert (found["email"], found["first_name"], found["lifecycle_stage"], found["hard_bounced"]) == (
        "New@Example.com",
        "Eve",
        "customer",
        True,
    )
    assert found["pending_non_marketing"] is True, "editing fields never changes the status"
    assert update_contact(engine, contact_id=a, changes={"first_name": "Eve"}, today=TODAY, actor="ann") == 0
    with pytest.raises(DomainError, match="no contact"):
        update_contact(engine, contact_id=999, changes={"first_name": "x"}, today=TODAY, actor="ann")


def test_deleting_drops_the_marketing_count_at_once_but_never_the_billed_tier(engine: Engine, cli: Cli) -> None:
    ids = add_contacts(engine, 2099, state="marketing", prefix="d")
    [late] = add_contacts(engine, 1, state="non_marketing", prefix="late")
    assert (
        cli("set-status", "--to", "marketing", "--ids", str(late), "--allow-tier-upgrade")["tier_limit_after"] == 7000
    )
    add_list(engine, "Some", ids[:3])
    assert set_status(
        engine, selection=Selection(ids=(ids[0],)), to=MarketingStatus.NON_MARKETING, today=TODAY, actor="t"
    ).scheduled
    result = delete_contacts(engine, selection=Selection(ids=tuple(ids[:200])), today=TODAY, actor="ann")
    assert (result.deleted, result.marketing_before, result.marketing_after, result.tier_limit) == (
        200,
        2100,
        1900,
        7000,
    )
    usage = cli("usage")
    assert (usage["marketing"], usage["total"], usage["tier_limit"]) == (1900, 1900, 7000)
    assert count(engine, "list_members") == 0
    last = events_of(engine, ids[0])[-1]
    assert (last["old_state"], last["new_state"], last["actor"]) == ("pending", None, "ann")
    assert events_of(engine, ids[1])[-1]["old_state"] == "marketing"
    gone = get_contact(engine, contact_id=ids[0])
    assert gone.fields is None and gone.state is None and gone.reason.startswith("Deleted on")
    with pytest.raises(DomainError, match="choose the contacts"):
        delete_contacts(engine, selection=Selection(), today=TODAY, actor="ann")


def test_deleting_by_filter_removes_only_the_matching_contacts(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 3, state="non_marketing", prefix="x", lifecycle_stage="other")
    add_contacts(engine, 2, state="marketing", prefix="y", lifecycle_stage="lead")
    query = ContactQuery(parse_filter('[{"property": "lifecycle_stage", "operator": "eq", "value": "other"}]'))
    assert delete_contacts(engine, selection=query.selection(), today=TODAY, actor="ann").deleted == 3
    assert cli("usage")["total"] == 2 and count(engine, "status_events") == 3


def test_the_detail_answers_why_a_contact_is_marketing_and_lists_its_history(engine: Engine, cli: Cli) -> None:
    cli("create-contact", "--source", "form", "--source-id", "webinar", "--email", "w@example.com")
    cid = find_contact_id(engine, text="W@example.com")
    detail = get_contact(engine, contact_id=cid)
    assert detail.state == "marketing" and "form webinar" in detail.reason and "by cli" in detail.reason
    cli("--actor", "ops", "set-status", "--to", "non-marketing", "--ids", str(cid))
    detail = get_contact(engine, contact_id=cid)
    assert detail.state == "pending"
    assert "until 01 Dec 2026" in detail.reason and "bulk action" in detail.reason and "by ops" in detail.reason
    assert [(e.old_state, e.new_state) for e in detail.history] == [(None, "marketing"), ("marketing", "pending")]
    cli("apply-updates", today="2026-12-01")
    detail = get_contact(engine, contact_id=cid)
    assert detail.state == "non_marketing" and detail.reason.startswith("Non-marketing since 01 Dec 2026")
    assert detail.made_marketing is not None and detail.made_marketing.source == "form webinar"
    assert find_contact_id(engine, text=str(cid)) == cid
    with pytest.raises(DomainError, match="no contact"):
        find_contact_id(engine, text="nobody@example.com")
    with pytest.raises(DomainError, match="no contact"):
        get_contact(engine, contact_id=4242)


def test_a_contact_created_non_marketing_says_so(engine: Engine) -> None:
    [cid] = add_contacts(engine, 1, state="non_marketing", prefix="q")
    assert get_contact(engine, contact_id=cid).reason == "Non-marketing since it was created by import on 01 Mar 2026."


def test_contacts_page_command_lists_a_page_with_the_matching_counts(engine: Engine, cli: Cli) -> None:
    add_contacts(engine, 4, state="marketing", prefix="m", lifecycle_stage="lead")
    out = cli("contacts", "page", "--quick", "marketing", "--sort", "email", "--ascending", "--limit", "3")
    assert [c["email"] for c in out["contacts"]] == ["m0@example.com", "m1@example.com", "m2@example.com"]
    assert out["matching"]["total"] == 4
    shown = cli("contacts", "show", "--id", str(out["contacts"][0]["id"]))
    assert shown["state"] == "marketing" and shown["history"] == []
    assert cli("delete-contacts", "--emails", "m0@example.com")["deleted"] == 1
    assert count(engine, "contacts") == 3


@pytest.mark.parametrize(
    ("quick", "on_update_day", "after_it"),
    [
        pytest.param("pending", 0, 0, id="nobody is pending once the update date has come"),
        pytest.param("non_marketing", 5, 5, id="the pending ones are non-marketing"),
        pytest.param("marketing", 3, 3, id="billed: only the marketing ones"),
    ],
)
def test_a_later_day_moves_pending_contacts_past_their_update_date(
    engine: Engine, quick: str, on_update_day: int, after_it: int
) -> None:
    add_contacts(engine, 3, state="marketing", prefix="m")
    add_contacts(engine, 2, state="pending", prefix="p")  # leaving on the next update date, 01 Dec 2026
    add_contacts(engine, 3, state="non_marketing", prefix="n")
    query = ContactQuery(quick=quick)
    day_before = count_matching(engine, selection=query.selection(), today=TODAY).total
    on_day = count_matching(engine, selection=query.selection(), today=NEXT_UPDATE).total
    later = count_matching(engine, selection=query.selection(), today=NEXT_UPDATE + timedelta(days=9))
    assert day_before == {"pending": 2, "non_marketing": 3, "marketing": 5}[quick]
    assert (on_day, later.total) == (on_update_day, after_it)
    shown = page_of_contacts(engine, query=query, today=NEXT_UPDATE)
    assert len(shown.rows) == on_update_day
    assert {r["state"] for r in shown.rows} <= {"marketing", "non_marketing"}


def test_an_undone_pending_change_is_part_of_the_reason(engine: Engine, cli: Cli) -> None:
    cli("create-contact", "--source", "form", "--source-id", "webinar", "--email", "u@example.com")
    cid = find_contact_id(engine, text="u@example.com")
    cli("set-status", "--to", "non-marketing", "--ids", str(cid))
    cli("--actor", "ops", "set-status", "--to", "marketing", "--ids", str(cid))
    detail = get_contact(engine, contact_id=cid)
    assert detail.state == "marketing"
    assert detail.reason.startswith("Made marketing by form webinar")
    assert "undone by bulk action" in detail.reason and "by ops" in detail.reason, detail.reason
