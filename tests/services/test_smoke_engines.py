from tests.conftest import Cli


def test_a_new_account_has_no_contacts_and_the_included_tier(cli: Cli) -> None:
    usage = cli("usage")
    assert usage["total"] == 0
    assert usage["tier_limit"] == 2000
    assert usage["next_update_date"] == "2026-12-01"
