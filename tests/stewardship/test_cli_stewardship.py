"""The steward's acts on the command line (issue 11.15): the same services as the web and
the API; a non-steward named with --as is refused in one line and nothing changes."""

from __future__ import annotations

import json

import pytest

from commonground.cli import main as cli
from commonground.contributions import services
from commonground.contributions.models import Comment, Report
from commonground.forums.forum_settings import update_settings
from commonground.forums.models import Cycle, Forum
from commonground.issues.models import Issue
from commonground.issues.services import support_issue
from commonground.ledger.models import LedgerEntry
from commonground.participants.models import Membership
from commonground.recognition.models import AgendaPublication
from tests.conftest import World

pytestmark = pytest.mark.django_db

MEMBER = "gita.government@example.org"


def steward(world: World) -> list[str]:
    return ["--as", world.steward.email]


def phase(world: World) -> str:
    return Cycle.objects.get(pk=world.cycle.pk).phase


def _refused(capsys, argv: list[str]) -> None:
    before = LedgerEntry.objects.count()
    assert cli(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert LedgerEntry.objects.count() == before


def test_cycle_advance_with_expected_phase_and_correct(world: World, capsys) -> None:
    assert cli(["cycle", "advance", "kenya-igf", "--to", "agenda_setting", *steward(world)]) == 0
    _refused(capsys, ["cycle", "advance", "kenya-igf", "--to", "agenda_setting"])
    assert cli(["cycle", "advance", "kenya-igf", "--to", "agenda_setting"]) == 2
    said = capsys.readouterr().err
    assert "is in Agenda setting now, so it cannot move to Agenda setting." in said
    assert phase(world) == "agenda_setting"
    _refused(capsys, ["cycle", "correct", "kenya-igf", "call_for_issues", "--reason", "x",
                      "--as", MEMBER])  # fmt: skip
    argv = ["cycle", "correct", "kenya-igf", "call_for_issues", "--reason", "Too early."]
    assert cli([*argv, *steward(world)]) == 0
    assert phase(world) == "call_for_issues"
    assert LedgerEntry.objects.filter(action="cycle.correct").count() == 1


def test_agenda_publish_needs_a_steward(world: World, issue: Issue, capsys) -> None:
    update_settings(None, world.forum, {"min_supporters": 1})
    for group in ("government", "private_sector", "academic_technical"):
        support_issue(world.member[group], issue)
    _refused(capsys, ["agenda", "publish", "kenya-igf", *steward(world)])  # call for issues
    cli(["cycle", "advance", "kenya-igf"])
    _refused(capsys, ["agenda", "publish", "kenya-igf"])  # no --as
    _refused(capsys, ["agenda", "publish", "kenya-igf", "--as", MEMBER])
    assert cli(["agenda", "publish", "kenya-igf", *steward(world)]) == 0
    assert "published agenda #1 of kenya-igf: 1 issues" in capsys.readouterr().out
    assert AgendaPublication.objects.get().agenda == [str(issue.pk)]


def test_participant_verify_and_suspend(world: World, capsys) -> None:
    gov = world.member["government"].public_id
    _refused(capsys, ["participant", "verify", "kenya-igf", gov, "--as", MEMBER])
    assert cli(["participant", "verify", "kenya-igf", gov, *steward(world)]) == 0
    assert Membership.objects.get(user__public_id=gov).verified
    assert cli(["participant", "verify", "kenya-igf", MEMBER, "--undo", *steward(world)]) == 0
    assert not Membership.objects.get(user__public_id=gov).verified
    argv = ["participant", "suspend", "kenya-igf", gov, "--reason", "Abuse."]
    _refused(capsys, [*argv, "--as", "ines.igo@example.org"])
    assert cli([*argv, *steward(world)]) == 0
    assert Membership.objects.get(user__public_id=gov).status == "suspended"
    assert cli([*argv, "--lift", *steward(world)]) == 0
    assert Membership.objects.get(user__public_id=gov).status == "active"
    _refused(capsys, ["participant", "verify", "kenya-igf", "nobody@x.org", *steward(world)])


@pytest.fixture
def reported(world: World, issue: Issue) -> Comment:
    comment = services.add_comment(world.member["civil_society"], issue=issue, body="Spam.")
    services.report(world.member["private_sector"], "comment", comment, reason="spam")
    return comment


def test_moderation_queue_and_acts(world: World, reported: Comment, capsys) -> None:
    _refused(capsys, ["moderation", "queue", "kenya-igf", "--as", MEMBER])
    assert cli(["moderation", "queue", "kenya-igf", "--format", "json", *steward(world)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["count"] == 1 and data["items"][0]["reasons"] == {"spam": 1}
    pk = str(reported.pk)
    _refused(capsys, ["moderation", "hide", "comment", pk, "--reason", "No.", "--as", MEMBER])
    assert cli(["moderation", "hide", "comment", pk, "--reason", "Spam.", *steward(world)]) == 0
    assert capsys.readouterr().out == f"comment {pk}: hidden\n"  # the outcome, not the verb
    assert Comment.objects.get(pk=reported.pk).hidden
    assert Report.objects.get().resolution == "hidden"
    assert cli(["moderation", "restore", "comment", pk, "--reason", "Ok.", *steward(world)]) == 0
    assert capsys.readouterr().out == f"comment {pk}: restored\n"
    assert not Comment.objects.get(pk=reported.pk).hidden
    _refused(capsys, ["moderation", "dismiss", "comment", pk, "--reason", "x", *steward(world)])


def test_moderation_dismiss(world: World, reported: Comment, capsys) -> None:
    argv = ["moderation", "dismiss", "comment", str(reported.pk), "--reason", "On topic."]
    assert cli([*argv, *steward(world)]) == 0
    assert Report.objects.get().resolution == "dismissed"
    assert not Comment.objects.get(pk=reported.pk).hidden


def test_forum_create_and_cycle_open_as_a_steward(world: World, capsys) -> None:
    argv = ["forum", "create", "nairobi-igf", "--name", "Nairobi", "--level", "subnational"]
    _refused(capsys, [*argv, "--parent", "kenya-igf", "--as", MEMBER])
    assert cli([*argv, "--parent", "kenya-igf", *steward(world)]) == 0
    assert Forum.objects.get(slug="nairobi-igf").parent == world.forum
    _refused(capsys, ["cycle", "open", "igf", "2027", *steward(world)])
    assert cli(["cycle", "open", "nairobi-igf", "2027", *steward(world)]) == 0
