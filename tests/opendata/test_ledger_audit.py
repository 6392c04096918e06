"""``commonground ledger audit``: the public state is a fold of the ledger (issue 18)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from commonground.cli import main as cli
from commonground.opendata.ledger_audit import audit_database
from commonground.opendata.models import AuditRun
from commonground.participants.models import Membership
from tests.conftest import World
from tests.ledger.helpers import ledger_key  # noqa: F401 - autouse fixture
from tests.ledger_helpers import run_sql
from tests.opendata.test_package_round_trip import seed_everything

pytestmark = pytest.mark.django_db


def _audit(capsys: Any) -> tuple[int, list[str]]:
    code = cli(["ledger", "audit"])
    out, err = capsys.readouterr()
    return code, (out + err).strip().splitlines()


def test_the_public_state_of_every_record_kind_follows_from_the_ledger(world: World) -> None:
    seed_everything(world)
    report = audit_database()
    assert [d.line() for d in report.differences] == []
    assert report.ok and report.entries > 50


def test_audit_cli_says_ok_and_keeps_the_run(world: World, capsys) -> None:
    seed_everything(world)
    code, lines = _audit(capsys)
    assert code == 0 and lines[-1].startswith("ledger audit OK: 3 forums")
    assert AuditRun.objects.get().ok


def test_a_support_moved_to_another_member_of_the_same_group_is_named(world: World, capsys) -> None:
    seed_everything(world)
    other = Membership.objects.get(user=world.steward, forum=world.forum)  # civil society too
    run_sql(
        "UPDATE issues_support SET membership_id = %s WHERE membership_id = %s",
        [other.pk, world.membership["civil_society"].pk],
    )
    code, lines = _audit(capsys)
    assert code == 1
    assert any("supports.csv row" in line and "not in the ledger" in line for line in lines)
    assert lines[-1].startswith("ledger audit FAILED: ")
    assert not AuditRun.objects.get().ok


def test_an_edited_title_and_a_verified_flag_are_named_by_column(world: World, capsys) -> None:
    seed_everything(world)
    run_sql("UPDATE issues_issue SET title = 'Forged title' WHERE title LIKE 'Rural%%'")
    run_sql(
        "UPDATE participants_membership SET verified = %s WHERE id = %s",
        [True, world.membership["private_sector"].pk],
    )
    code, lines = _audit(capsys)
    assert code == 1
    assert any("issues.csv row 1: title 'Forged title' differs" in line for line in lines)
    assert any(
        "participants.csv row" in line
        and "verified 'true' differs from the ledger's 'false'" in line
        for line in lines
    )


def test_a_changed_vote_and_a_removed_support_are_named(world: World, capsys) -> None:
    talk = seed_everything(world)
    assert talk
    run_sql("UPDATE dialogue_vote SET value = -value WHERE value <> 0")
    run_sql(
        "DELETE FROM issues_support WHERE membership_id = %s",
        [world.membership["academic_technical"].pk],
    )
    code, lines = _audit(capsys)
    assert code == 1
    assert any("votes.csv row 1: vote" in line for line in lines), lines
    assert any(
        "supports.csv: the ledger's support (participant, issue)" in line and "is missing" in line
        for line in lines
    ), lines


def test_the_worker_upkeep_audits_when_due_and_a_failure_shows_to_stewards_and_on_the_ledger_page(
    world: World, settings: Any
) -> None:
    from commonground.opendata import upkeep

    settings.COMMONGROUND_LEDGER_AUDIT_EVERY = 3600
    seed_everything(world)
    assert upkeep.run_if_due() is not None  # no run yet: due
    assert upkeep.run_if_due() is None  # just ran: not due
    page = world.client_for(None).get("/ledger/")
    assert page.status_code == 200 and "every public record followed from" in page.text
    run_sql("UPDATE issues_issue SET title = 'Forged title' WHERE title LIKE 'Rural%%'")
    AuditRun.objects.update(ran_at=AuditRun.objects.get().ran_at - timedelta(seconds=3601))
    report = upkeep.run_if_due()
    assert report is not None and not report.ok
    page = world.client_for(None).get("/ledger/")
    assert "The public record does not match the ledger" in page.text
    assert "issues.csv row 1: title" in page.text
    settings_page = world.client_for(world.steward).get(f"/forums/{world.forum.slug}/settings/")
    assert "The public record does not match the ledger" in settings_page.text
