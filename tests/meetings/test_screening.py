"""Screening rules (docs/sessions.md): each at its boundary and one past it, live and at the
close."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from commonground.core.errors import Conflict, InvalidInput, NotAllowed, WrongPhase
from commonground.forums.models import Cycle
from commonground.ledger.models import LedgerEntry
from commonground.meetings.models import Decision, Report, Session, SessionSettings
from commonground.meetings.services import proposals
from commonground.notifications.models import Notification
from tests.meetings.conftest import SPEAKERS, Programme, add_member, membership

pytestmark = pytest.mark.django_db


def failures(session: Session) -> list[str]:
    return proposals.screening_of(session).failures


def test_a_complete_proposal_passes_every_rule(programme: Programme) -> None:
    session = programme.propose()
    screening = proposals.screening_of(session)
    assert screening.passed and screening.failures == []
    assert [r.code for r in screening.rules] == [
        "required_fields",
        "min_confirmed_speakers",
        "speaker_gender_diversity",
        "min_speaker_groups",
        "advisory_member_proposer",
        "missing_past_report",
        "max_proposals_per_proposer",
    ]
    assert all(r.passed and r.text for r in screening.rules)


@pytest.mark.parametrize("field", ["title", "description", "policy_questions", "moderator"])
def test_required_fields_fails_when_one_is_empty(programme: Programme, field: str) -> None:
    empty = {"title": "", "description": "", "policy_questions": [], "moderator": {"name": ""}}
    assert failures(programme.propose(**{field: empty[field]})) == ["required_fields"]


def test_required_fields_needs_an_agenda_issue(programme: Programme) -> None:
    session = programme.propose()
    proposals.edit_session(programme.world.member["civil_society"], session, {"issue_ids": []})
    assert failures(session) == ["required_fields"]


def test_three_confirmed_speakers_pass_and_two_fail(programme: Programme) -> None:
    four = [*SPEAKERS, {**SPEAKERS[0], "name": "Dora", "confirmed": False}]
    assert failures(programme.propose(speakers=four)) == []
    two = [SPEAKERS[0], SPEAKERS[1], {**SPEAKERS[2], "confirmed": False}]
    assert failures(programme.propose(speakers=two)) == ["min_confirmed_speakers"]


def test_confirmed_speaker_minimum_is_a_forum_setting(programme: Programme) -> None:
    SessionSettings.objects.create(forum=programme.forum, min_confirmed_speakers=4)
    assert failures(programme.propose()) == ["min_confirmed_speakers"]


def test_one_speaker_of_another_gender_passes_and_all_of_one_gender_fail(
    programme: Programme,
) -> None:
    assert failures(programme.propose()) == []  # one woman, two men
    men = [{**s, "gender": "man"} for s in SPEAKERS]
    assert failures(programme.propose(speakers=men)) == ["speaker_gender_diversity"]


def test_undisclosed_genders_do_not_show_diversity(programme: Programme) -> None:
    hidden = [{**s, "gender": "undisclosed"} for s in SPEAKERS]
    hidden[0]["gender"] = "non_binary"
    assert failures(programme.propose(speakers=hidden)) == ["speaker_gender_diversity"]


def test_two_speaker_groups_pass_and_one_fails(programme: Programme) -> None:
    two = [{**s, "stakeholder_group": "civil_society"} for s in SPEAKERS]
    two[2]["stakeholder_group"] = "government"
    assert failures(programme.propose(speakers=two)) == []
    one = [{**s, "stakeholder_group": "civil_society"} for s in SPEAKERS]
    assert failures(programme.propose(speakers=one)) == ["min_speaker_groups"]


def test_an_advisory_member_proposer_fails_and_a_member_outside_the_group_passes(
    programme: Programme,
) -> None:
    assert failures(programme.propose(programme.world.member["civil_society"])) == []
    session = programme.propose(programme.civil_advisor)
    assert failures(session) == ["advisory_member_proposer"]


def test_three_proposals_pass_and_the_fourth_fails(programme: Programme) -> None:
    made = [programme.propose(title=f"Session {i}") for i in range(4)]
    assert [failures(s) for s in made] == [[], [], [], ["max_proposals_per_proposer"]]
    # Withdrawing one brings the fourth within the limit.
    proposals.withdraw_session(programme.world.member["civil_society"], made[0])
    assert failures(made[3]) == []


def _past_session(programme: Programme, cycles_ago: int, *, reported: bool) -> Session:
    cycle = programme.world.cycle
    past = Cycle.objects.create(
        forum=programme.forum,
        name=f"past-{cycles_ago}",
        phase="follow_up",
        is_open=False,
        opened_at=cycle.opened_at - timedelta(days=365 * cycles_ago),
    )
    proposer = membership(programme.world.member["civil_society"], programme.forum)
    start = timezone.now() - timedelta(days=365 * cycles_ago)
    session = Session.objects.create(
        forum=programme.forum,
        cycle=past,
        proposer=proposer,
        title="An earlier workshop",
        status=Session.Status.SCREENED_IN,
        decision=Decision.APPROVED,
        room="Room 1",
        starts_at=start,
        duration_minutes=60,
    )
    if reported:
        Report.objects.create(
            session=session, author=proposer, key_takeaways=["One."], due_at=start
        )
    return session


def test_a_reported_past_session_passes_and_an_unreported_one_fails(
    programme: Programme,
) -> None:
    _past_session(programme, 1, reported=True)
    assert failures(programme.propose()) == []
    _past_session(programme, 2, reported=False)
    assert failures(programme.propose()) == ["missing_past_report"]


def test_an_unreported_session_three_cycles_ago_is_not_counted(programme: Programme) -> None:
    _past_session(programme, 1, reported=True)
    _past_session(programme, 2, reported=True)
    _past_session(programme, 3, reported=False)
    assert failures(programme.propose()) == []


def test_proposals_are_refused_outside_the_call(programme: Programme) -> None:
    programme.advance()  # evaluation
    with pytest.raises(WrongPhase):
        programme.propose()


def test_an_issue_off_the_published_agenda_is_refused(programme: Programme) -> None:
    with pytest.raises(Conflict, match="not on the cycle's published agenda"):
        programme.propose(issue_ids=[programme.issue.pk + 1000])


def test_more_than_three_policy_questions_are_refused(programme: Programme) -> None:
    with pytest.raises(InvalidInput, match="At most 3"):
        programme.propose(policy_questions=["a?", "b?", "c?", "d?"])


def test_only_the_proposer_edits_or_withdraws(programme: Programme) -> None:
    session = programme.propose()
    other = programme.world.member["private_sector"]
    with pytest.raises(NotAllowed):
        proposals.edit_session(other, session, {"title": "Mine now"})
    with pytest.raises(NotAllowed):
        proposals.withdraw_session(other, session)
    assert Session.objects.get(pk=session.pk).title == "Community networks for rural Kenya"


def test_screening_applies_when_evaluation_begins_and_notifies_the_proposer(
    programme: Programme,
) -> None:
    good = programme.propose()
    men = [{**s, "gender": "man"} for s in SPEAKERS]
    bad = programme.propose(speakers=men, title="All-male panel")
    withdrawn = programme.propose(title="Changed my mind")
    proposals.withdraw_session(programme.world.member["civil_society"], withdrawn)
    before = LedgerEntry.objects.filter(action="session.screen").count()
    programme.advance()
    good.refresh_from_db()
    bad.refresh_from_db()
    withdrawn.refresh_from_db()
    assert (good.status, good.screening_failures) == ("screened_in", [])
    assert (bad.status, bad.screening_failures) == ("declined", ["speaker_gender_diversity"])
    assert withdrawn.status == "withdrawn"
    assert LedgerEntry.objects.filter(action="session.screen").count() == before + 2
    notes = Notification.objects.filter(kind="session", object_id=bad.pk)
    assert notes.count() == 1
    assert "not all of one gender" in notes.get().text


def test_a_screening_rule_can_be_switched_off(programme: Programme) -> None:
    SessionSettings.objects.create(forum=programme.forum, require_gender_diversity=False)
    men = [{**s, "gender": "man"} for s in SPEAKERS]
    assert failures(programme.propose(speakers=men)) == []


def test_a_linked_rapporteur_must_be_a_member(programme: Programme) -> None:
    outsider = programme.world.outsider
    with pytest.raises(Conflict, match="no member"):
        programme.propose(rapporteur={"name": "X", "participant_id": outsider.public_id})
    user = add_member(programme.world, "rory.rapporteur@example.org", "academic_technical")
    session = programme.propose(rapporteur={"name": "", "participant_id": user.public_id})
    assert session.rapporteur.user == user and session.rapporteur_name
