"""Creating, migrating and configuring the database (``init``), and the first start of the app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Connection, Engine, func, insert, select, update

from core.clock import deployment_today, moment
from core.errors import DomainError
from core.i18n import N_, translator
from core.rules.calendar import Commitment
from core.rules.requester import Requester
from core.rules.tiers import Edition, Pricing
from core.services.demo import HISTORY_DAYS, account_history, history_start, insert_demo
from core.services.unit import check_day, open_unit
from core.store import engine as db
from core.store import states
from core.store.access import Action
from core.store.account import (
    create_account,
    is_initialised,
    load_account,
    marketing_count,
    set_billed_tier,
    timezone_of,
)
from core.store.events import finish_operation
from core.store.migrate import upgrade
from core.store.schema import account, contacts, update_runs

DEMO_CONTACTS = 3_000
MAX_DEMO_CONTACTS = 10_000_000  # bounded work: checked before the write lock is taken (docs/domain.md §11)


@dataclass(frozen=True)
class InitResult:
    contacts: int
    created: bool
    migrated: bool
    counts_corrected: int = 0  # kept counts per state found wrong and rewritten (core.store.states.recount)

    def as_json(self) -> dict[str, object]:
        return {
            "contacts": self.contacts,
            "created": self.created,
            "migrated": self.migrated,
            "counts_corrected": self.counts_corrected,
        }


def _change_settings(
    conn: Connection,
    *,
    edition: Edition | None,
    commitment: Commitment | None,
    start_date: date | None,
    today: date,
    actor: str,
) -> None:
    if edition is None and commitment is None and start_date is None:
        return
    by = Requester(actor, "settings")
    unit = open_unit(conn, by=by, today=today, needs=(Action.MANAGE_SETTINGS,), catch_up_first=False)
    acct, now = unit.account, unit.now
    values: dict[str, object] = {}
    if commitment is not None:
        values["commitment"] = commitment.value
    if start_date is not None:
        values["start_date"] = start_date
    if edition is not None and edition != acct.edition:
        pricing = Pricing.default(edition)
        values.update(
            edition=edition.value,
            included_contacts=pricing.included,
            increment_size=pricing.increment,
            base_price=pricing.base_price,
            increment_price=pricing.increment_price,
        )
        marketing = marketing_count(conn)
        set_billed_tier(
            conn,
            old=acct.billed_tier,
            new=pricing.fitting_tier(marketing),
            reason="settings",
            effective_on=today,
            now=now,
            marketing=marketing,
            actor=actor,
        )
    if values:
        conn.execute(update(account).where(account.c.id == 1).values(updated_at=now, **values))
        unit.finish(unit.start("settings"), values)  # the audit trail


def _add_demo(conn: Connection, *, n: int, seed: int, today: date, actor: str) -> None:
    needs = (Action.EDIT_CONTACTS, Action.CHANGE_STATUS)  # demo contacts include marketing ones
    unit = open_unit(conn, by=Requester(actor, "demo", str(seed)), today=today, needs=needs, catch_up_first=False)
    acct = unit.account
    before = marketing_count(conn)
    op = unit.start("demo")
    days = insert_demo(
        conn,
        n=n,
        seed=seed,
        today=today,
        commitment=acct.commitment,
        start_date=acct.start_date,
        operation_id=op,
        t=translator(),  # the deployment's language (MARKETABLE_LANGUAGE) names what a person reads first
    )
    # The update runs and tier changes the generated history implies (docs/domain.md §3, §4): the history starts
    # no earlier than the subscription, so none of them comes before it either.
    past = account_history(
        days,
        first=history_start(today=today, start_date=acct.start_date),
        today=today,
        commitment=acct.commitment,
        start_date=acct.start_date,
        pricing=acct.pricing,
        tier=acct.billed_tier,
        marketing=before,
    )
    known = set(conn.execute(select(update_runs.c.update_date)).scalars())
    runs = [
        {
            "update_date": d,
            "ran_at": moment(d),
            "became_non_marketing": left,
            "marketing_after": after,
            "actor": "system",
        }
        for d, left, after in past.runs
        if d not in known
    ]
    if runs:
        conn.execute(insert(update_runs), runs)
    for on, old, new, reason, marketing in past.tier_changes:
        set_billed_tier(
            conn, old=old, new=new, reason=reason, effective_on=on, now=moment(on), marketing=marketing, actor=actor
        )
    finish_operation(conn, op, {"contacts": n, "seed": seed})


def init(
    engine: Engine,
    *,
    today: date,
    actor: str,
    edition: Edition | None = None,
    commitment: Commitment | None = None,
    start_date: date | None = None,
    demo: int = 0,
    seed: int = 1,
    demo_only_if_new: bool = False,
) -> InitResult:
    """Create or migrate the database, set the given account settings (never deletes data), add demo contacts."""
    if not 0 <= demo <= MAX_DEMO_CONTACTS:  # before the write lock: a huge demo never holds it
        raise DomainError(
            N_("the demo size must be 0 to {most} contacts, got {demo}"), most=MAX_DEMO_CONTACTS, demo=demo
        )
    migrated = upgrade(engine)
    corrected = 0
    with db.write(engine) as conn:
        created = not is_initialised(conn)
        if created:
            # Demo history is up to a year long: a new account without a start date starts when it does.
            backdated = today - timedelta(days=HISTORY_DAYS) if demo > 0 else today
            create_account(
                conn,
                edition=edition or Edition.PROFESSIONAL,
                commitment=commitment or Commitment.ANNUAL,
                start_date=start_date or backdated,
                today=today,
                now=moment(today),
            )
            check_day(load_account(conn), person=None, today=today)  # a new account never starts in the future
        else:
            _change_settings(
                conn, edition=edition, commitment=commitment, start_date=start_date, today=today, actor=actor
            )
            # the counts the triggers keep, checked against the status rows: right unless something bypassed the
            # triggers (a restore with triggers disabled, say); init is the command an operator runs after one
            corrected = len(states.recount(conn))
        if demo > 0 and (created or not demo_only_if_new):
            _add_demo(conn, n=demo, seed=seed, today=today, actor=actor)
        total = int(conn.execute(select(func.count()).select_from(contacts)).scalar_one())
    return InitResult(total, created, migrated, corrected)


def open_database(engine: Engine, *, today: date, demo: int = DEMO_CONTACTS) -> None:
    """On start: migrate an existing database, or create a new one filled with demo data."""
    upgrade(engine)
    with db.read(engine) as conn:
        ready = is_initialised(conn)
    if not ready:
        init(
            engine,
            today=today,
            actor="system",
            start_date=today - timedelta(days=300),
            demo=demo,
            seed=42,
            demo_only_if_new=True,
        )


def open_engine(url: str, *, today: date | None = None) -> Engine:
    """The engine for ``url``, its database migrated, or created with demo data on a first start (on ``today``,
    by default the deployment's day; a new account is in UTC)."""
    engine = db.make_engine(url)
    open_database(engine, today=today or deployment_today("UTC"))
    return engine


def account_timezone(engine: Engine) -> str:
    """The account's time zone (UTC before the account exists)."""
    with db.read(engine) as conn:
        return timezone_of(conn)


def today_of(engine: Engine) -> date:
    """The deployment's day for this database (``core.clock.deployment_today`` in the account's time zone): the
    day the command line acts on unless told otherwise."""
    return deployment_today(account_timezone(engine))
