"""The wizard's selection, Review counts and update, against ``set-status`` on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from core.errors import DomainError
from core.rules.status import State
from core.services import wizard
from core.store import states
from core.store.schema import status_events
from tests.conftest import TODAY, Cli
from tests.services.usage_data import count, import_rows, make_list, person

LEADS = [{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}]


def _contacts(cli: Cli, tmp_path: Path) -> None:
    rows = [person(n, stage="lead") for n in range(4)]
    rows += [person(4, stage="customer", bounced=True), person(5, stage="customer", unsub=True)]
    rows += [
        person(6, stage="customer", bounced=True, unsub=True),
        person(7, stage="lead", marketing=False, unsub=True),
    ]
    rows += [person(n, stage="customer") for n in range(8, 12)]
    import_rows(cli, tmp_path, rows, today=TODAY)


def _dry_run(cli: Cli, *selection: str) -> dict:
    return cli("set-status", "--to", "non-marketing", *selection, "--dry-run")


@pytest.mark.parametrize(
    ("choice", "cli_args"),
    [
        ({"unengaged": True}, ("--unengaged",)),
        (
            {"unengaged": False, "conditions": LEADS},
            ("--filter", '[{"property": "lifecycle_stage", "operator": "eq", "value": "lead"}]'),
        ),
        ({"unengaged": False, "lists": ["Newsletter"]}, ("--list", "Newsletter")),
    ],
)
def test_the_review_counts_equal_set_status_dry_run_for_the_same_selection(
    engine: Engine, cli: Cli, tmp_path: Path, choice: dict, cli_args: tuple[str, ...]
) -> None:
    _contacts(cli, tmp_path)
    make_list(engine, "Newsletter", ["c0@example.com", "c7@example.com", "c8@example.com"])
    review = wizard.review(engine, selection=wizard.wizard_selection(**choice), today=TODAY)
    assert review.change.as_json() == _dry_run(cli, *cli_args)


def test_unengaged_contacts_are_counted_by_reason_and_state(engine: Engine, cli: Cli, tmp_path: Path) -> None:
    _contacts(cli, tmp_path)
    counts = wizard.unengaged_counts(engine, today=TODAY)
    assert (counts.hard_bounced, counts.unsubscribed, counts.marketing, counts.not_included) == (2, 2, 3, 1)


def test_the_union_of_unengaged_contacts_a_filter_and_a_list_counts_each_contact_once(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    _contacts(cli, tmp_path)
    make_list(engine, "Newsletter", ["c0@example.com", "c4@example.com", "c8@example.com"])
    selection = wizard.wizard_selection(unengaged=True, conditions=LEADS, lists=["Newsletter"])
    change = wizard.review(engine, selection=selection, today=TODAY).change
    assert (change.selected, change.scheduled, change.unchanged) == (9, 8, 1)  # c0-c8; c7 is non-marketing


def test_nothing_chosen_selects_no_contact_rather_than_every_contact(engine: Engine, cli: Cli, tmp_path: Path) -> None:
    _contacts(cli, tmp_path)
    change = wizard.review(engine, selection=wizard.wizard_selection(unengaged=False), today=TODAY).change
    assert (change.selected, change.scheduled) == (0, 0)


def test_update_contacts_schedules_the_selection_with_the_wizard_as_source(
    engine: Engine, cli: Cli, tmp_path: Path
) -> None:
    _contacts(cli, tmp_path)
    events = count(engine, status_events)
    change = wizard.update_contacts(
        engine, selection=wizard.wizard_selection(unengaged=True), today=TODAY, actor="ops@example.com"
    )
    assert (change.scheduled, change.unchanged, str(change.effective_on)) == (3, 1, "2026-12-01")
    assert count(engine, status_events) == events + 3
    with engine.connect() as conn:
        sources = (
            conn.execute(select(states.column("status_source_type")).where(states.is_state(State.PENDING)))
            .scalars()
            .all()
        )
        actors = (
            conn.execute(select(status_events.c.actor).where(status_events.c.new_state == "pending")).scalars().all()
        )
    assert sources == ["usage_wizard"] * 3
    assert actors == ["ops@example.com"] * 3
    assert cli("usage")["pending"] == 3


@pytest.mark.parametrize(
    ("conditions", "lists", "message"),
    [
        ([{"property": "shoe_size", "operator": "eq", "value": "42"}], [], "unknown property 'shoe_size'"),
        ([], ["No such list"], "no static list named 'No such list'"),
    ],
)
def test_a_bad_filter_or_list_is_a_user_error(engine: Engine, conditions: list, lists: list, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        wizard.review(
            engine, selection=wizard.wizard_selection(unengaged=False, conditions=conditions, lists=lists), today=TODAY
        )
