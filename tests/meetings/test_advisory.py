"""The advisory group's composition rule, conflicts and blind scoring (docs/sessions.md)."""

from __future__ import annotations

from typing import Any

import pytest

from commonground.core.errors import InvalidInput, NotAllowed, WrongPhase
from commonground.ledger.models import LedgerEntry
from commonground.meetings.models import AdvisorySeat, Score
from commonground.meetings.services import advisory
from commonground.participants.models import User
from tests.meetings.conftest import SPEAKERS, Programme, add_member, membership

pytestmark = pytest.mark.django_db

GOOD = {"relevance": 4, "content": 5, "interaction": 4, "diversity": 4}


def members(programme: Programme, counts: dict[str, int]) -> list[User]:
    users = []
    for group, n in counts.items():
        for i in range(n):
            users.append(add_member(programme.world, f"{group}{i}@example.org", group))
    return users


def appoint(programme: Programme, users: list[User]) -> list[Any]:
    return advisory.set_advisory_group(
        programme.steward, programme.forum, [u.public_id for u in users]
    )


def test_governments_at_forty_percent_pass_and_one_more_fails(programme: Programme) -> None:
    # 2 of 5 counted seats (the IGO observer is not counted) is exactly 40 %.
    users = members(
        programme,
        {"government": 3, "civil_society": 1, "private_sector": 1, "academic_technical": 1,
         "intergovernmental": 2},
    )  # fmt: skip
    at_limit = [u for u in users if not u.email.startswith("government2")]
    assert len(appoint(programme, at_limit)) == 7
    with pytest.raises(InvalidInput) as refused:
        appoint(programme, users)
    assert "government_share" in refused.value.message
    assert "3 of 6" in refused.value.message and "at most 40% of the seats" in refused.value.message
    # Nothing changed: the group is still the one at the limit.
    assert AdvisorySeat.objects.filter(forum=programme.forum).count() == 7


def test_balanced_groups_within_one_seat_pass_and_two_apart_fail(programme: Programme) -> None:
    users = members(
        programme,
        {"civil_society": 3, "private_sector": 1, "internet_institution": 1,
         "academic_technical": 0},
    )  # fmt: skip
    two_one_one = [u for u in users if not u.email.startswith("civil_society2")]
    assert len(appoint(programme, two_one_one)) == 4
    with pytest.raises(InvalidInput) as refused:
        appoint(programme, users)
    message = refused.value.message
    assert "balanced_groups" in message
    assert "civil society 3" in message and "private sector 1" in message
    assert "technical community 1" in message


def test_internet_institutions_and_academics_count_together(programme: Programme) -> None:
    users = members(
        programme,
        {"civil_society": 2, "private_sector": 2, "internet_institution": 1,
         "academic_technical": 1},
    )  # fmt: skip
    assert len(appoint(programme, users)) == 6


def test_only_stewards_appoint_the_group(programme: Programme) -> None:
    with pytest.raises(NotAllowed):
        advisory.set_advisory_group(programme.world.member["government"], programme.forum, [])


def test_the_appointment_is_in_the_ledger(programme: Programme) -> None:
    entry = LedgerEntry.objects.filter(action="advisory_group.set").latest("seq")
    assert entry.fields["seats_by_group"]["intergovernmental"] == 1
    assert len(entry.fields["members"]) == 5


def _screened(programme: Programme, **changes: Any) -> Any:
    session = programme.propose(**changes)
    return session


def _to_evaluation(programme: Programme) -> None:
    programme.advance()


def test_scores_above_three_need_no_reason_and_a_three_does(programme: Programme) -> None:
    session = programme.propose()
    _to_evaluation(programme)
    scorer = programme.world.member["government"]
    score, created = advisory.score_session(scorer, session, GOOD)
    assert created and score.values == (4, 5, 4, 4)
    low = {**GOOD, "interaction": 3}
    with pytest.raises(InvalidInput, match="interaction"):
        advisory.score_session(scorer, session, low)
    with pytest.raises(InvalidInput):
        advisory.score_session(scorer, session, {**low, "reason_code": "weak_interaction"})
    score, created = advisory.score_session(
        scorer, session, {**low, "reason_code": "weak_interaction", "comment": "Panel only."}
    )
    assert not created and score.interaction == 3
    assert Score.objects.filter(session=session).count() == 1


@pytest.mark.parametrize("bad", [0, 6, "4", 4.5, True, None])
def test_scores_are_whole_numbers_from_one_to_five(programme: Programme, bad: Any) -> None:
    session = programme.propose()
    _to_evaluation(programme)
    with pytest.raises(InvalidInput):
        advisory.score_session(
            programme.world.member["government"], session, {**GOOD, "content": bad}
        )


def test_only_advisory_members_score_and_only_during_evaluation(programme: Programme) -> None:
    session = programme.propose()
    with pytest.raises(WrongPhase):
        advisory.score_session(programme.world.member["government"], session, GOOD)
    _to_evaluation(programme)
    for user in (programme.world.member["internet_institution"], programme.steward):
        with pytest.raises(NotAllowed):
            advisory.score_session(user, session, GOOD)


def test_the_queue_leaves_out_declared_conflicts(programme: Programme) -> None:
    first = programme.propose()
    second = programme.propose(title="Second session")
    _to_evaluation(programme)
    member = membership(programme.world.member["government"], programme.forum)
    cycle = programme.world.cycle
    assert list(advisory.queue_for(member, cycle)) == [first, second]
    advisory.declare_conflict(programme.world.member["government"], second)
    assert list(advisory.queue_for(member, cycle)) == [first]
    with pytest.raises(NotAllowed):
        advisory.score_session(programme.world.member["government"], second, GOOD)


def test_the_queue_leaves_out_proposals_naming_the_member_as_speaker(programme: Programme) -> None:
    paula = programme.world.member["private_sector"]
    speakers = [*SPEAKERS, {**SPEAKERS[1], "name": "Paula", "participant_id": paula.public_id}]
    mine = programme.propose(speakers=speakers)
    other = programme.propose(title="Another")
    _to_evaluation(programme)
    queue = list(advisory.queue_for(membership(paula, programme.forum), programme.world.cycle))
    assert mine not in queue and other in queue


def test_the_queue_leaves_out_proposals_of_the_members_organisation(programme: Programme) -> None:
    world = programme.world
    proposer = add_member(
        world, "pat.proposer@example.org", "civil_society", affiliation="Acme Labs"
    )
    advisor = programme.advisors[0]
    seat = membership(advisor, programme.forum)
    seat.affiliation = "acme labs"
    seat.save()
    ours = programme.propose(proposer)
    theirs = programme.propose()
    _to_evaluation(programme)
    queue = list(advisory.queue_for(seat, world.cycle))
    assert ours not in queue and theirs in queue


def test_progress_counts_scored_proposals_of_the_queue(programme: Programme) -> None:
    sessions = [programme.propose(title=f"S{i}") for i in range(3)]
    _to_evaluation(programme)
    scorer = programme.world.member["government"]
    member = membership(scorer, programme.forum)
    assert advisory.progress_of(member, programme.world.cycle) == (0, 3)
    advisory.score_session(scorer, sessions[0], GOOD)
    assert advisory.progress_of(member, programme.world.cycle) == (1, 3)


def test_declined_proposals_are_not_in_the_queue(programme: Programme) -> None:
    men = [{**s, "gender": "man"} for s in SPEAKERS]
    declined = programme.propose(speakers=men)
    _to_evaluation(programme)
    member = membership(programme.world.member["government"], programme.forum)
    assert list(advisory.queue_for(member, programme.world.cycle)) == []
    with pytest.raises(Exception, match="No session"):
        advisory.score_session(programme.world.member["government"], declined, GOOD)
