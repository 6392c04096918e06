"""Schedule clashes and reports (due date, late flag, who files)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from commonground.core.errors import Conflict, InvalidInput, NotAllowed, WrongPhase
from commonground.meetings.models import Session
from commonground.meetings.services import reports, schedule
from tests.meetings.conftest import SPEAKERS, Programme, add_member, approve, slot

pytestmark = pytest.mark.django_db


def approved(programme: Programme, n: int, **changes: object) -> list:
    sessions = [programme.propose(title=f"Session {i}", **changes) for i in range(n)]
    programme.advance()  # evaluation
    for s in sessions:
        approve(programme, s)
    programme.advance()  # forum
    return sessions


def unique_speakers(tag: str) -> list[dict]:
    return [{**s, "name": f"{s['name']} {tag}"} for s in SPEAKERS]


def test_back_to_back_in_one_room_passes_and_an_overlap_is_a_room_clash(
    programme: Programme,
) -> None:
    world = programme.world
    users = [world.member["civil_society"], world.member["internet_institution"], world.steward]
    a = programme.propose(users[0], speakers=unique_speakers("a"))
    b = programme.propose(users[1], speakers=unique_speakers("b"))
    c = programme.propose(users[2], speakers=unique_speakers("c"))
    programme.advance()
    for s in (a, b, c):
        approve(programme, s)
    programme.advance()
    slot(a, programme, "Room 1", 24)
    slot(b, programme, "Room 1", 25)  # starts as a ends
    with pytest.raises(Conflict, match="Room clash: Room 1"):
        slot(c, programme, "room 1", 24.99)
    assert slot(c, programme, "Room 2", 24.99).room == "Room 2"


def test_a_speaker_in_two_overlapping_sessions_is_a_clash(programme: Programme) -> None:
    a, b = approved(programme, 2)  # the same three speakers
    slot(a, programme, "Room 1", 24)
    with pytest.raises(Conflict, match="Speaker clash: Amina Odhiambo"):
        slot(b, programme, "Room 2", 24.5)
    assert slot(b, programme, "Room 2", 25).starts_at is not None


def test_a_speaker_in_three_sessions_passes_and_a_fourth_is_refused(programme: Programme) -> None:
    users = [programme.world.member[g] for g in ("civil_society", "internet_institution")]
    sessions = [programme.propose(users[i // 3], title=f"S{i}") for i in range(4)]
    programme.advance()
    for s in sessions:
        approve(programme, s)
    programme.advance()
    for i, s in enumerate(sessions[:3]):
        slot(s, programme, "Room 1", 24 + 2 * i)
    with pytest.raises(Conflict, match=r"Speaker limit: Amina Odhiambo .* 3"):
        slot(sessions[3], programme, "Room 2", 40)


def test_only_approved_sessions_are_scheduled_by_stewards_in_the_forum_phase(
    programme: Programme,
) -> None:
    a, b = programme.propose(), programme.propose(title="B", speakers=unique_speakers("b"))
    programme.advance()
    approve(programme, a)
    with pytest.raises(WrongPhase):
        slot(a, programme, "Room 1", 24)
    programme.advance()
    with pytest.raises(WrongPhase, match="approved"):
        slot(b, programme, "Room 1", 24)
    with pytest.raises(NotAllowed):
        schedule.schedule_session(
            programme.advisors[0], a, room="R", starts_at=timezone.now(), duration_minutes=60
        )
    with pytest.raises(InvalidInput):
        slot(a, programme, "Room 1", 24, minutes=4)


def test_a_report_is_accepted_once_the_session_has_started(programme: Programme) -> None:
    (session,) = approved(programme, 1)
    slot(session, programme, "Room 1", 1)
    proposer = programme.world.member["civil_society"]
    data = {"key_takeaways": ["Licensing matters."], "attendance": {"onsite": 40, "online": 12}}
    with pytest.raises(WrongPhase, match="started"):
        reports.file_report(proposer, session, data)
    session = slot(session, programme, "Room 1", -0.5)
    report, created = reports.file_report(proposer, session, data)
    assert created and report.onsite == 40 and not report.late
    assert report.due_at == session.ends_at + timedelta(days=14)


def test_a_report_on_a_slot_without_a_length_is_due_fourteen_days_after_the_start(
    programme: Programme,
) -> None:
    # A slot restored from open data may carry a start but no duration.
    (session,) = approved(programme, 1)
    session = slot(session, programme, "Room 1", -2)
    Session.objects.filter(pk=session.pk).update(duration_minutes=None)
    session.refresh_from_db()
    report, created = reports.file_report(
        programme.world.member["civil_society"], session, {"key_takeaways": ["One."]}
    )
    assert created and report.due_at == session.starts_at + timedelta(days=14)
    assert not report.late


def test_a_report_filed_within_fourteen_days_is_on_time_and_after_is_late(
    programme: Programme,
) -> None:
    a, b = approved(programme, 2)
    a = slot(a, programme, "Room 1", -13 * 24 - 1)  # ended 13 days ago
    b = slot(b, programme, "Room 2", -15 * 24 - 1)  # ended 15 days ago
    proposer = programme.world.member["civil_society"]
    data = {"key_takeaways": ["One."]}
    assert reports.is_overdue(b) and not reports.is_overdue(a)
    assert not reports.file_report(proposer, a, data)[0].late
    assert reports.file_report(proposer, b, data)[0].late


def test_the_rapporteur_files_and_otherwise_the_proposer(programme: Programme) -> None:
    rory = add_member(programme.world, "rory.rapporteur@example.org", "academic_technical")
    with_rapporteur = programme.propose(
        rapporteur={"name": "Rory", "participant_id": rory.public_id}
    )
    without = programme.propose(title="No member rapporteur", speakers=unique_speakers("x"))
    programme.advance()
    approve(programme, with_rapporteur)
    approve(programme, without)
    programme.advance()
    slot(with_rapporteur, programme, "Room 1", -2)
    slot(without, programme, "Room 2", -2)
    proposer = programme.world.member["civil_society"]
    data = {"key_takeaways": ["One."]}
    with pytest.raises(NotAllowed):
        reports.file_report(proposer, with_rapporteur, data)
    assert reports.file_report(rory, with_rapporteur, data)[1]
    with pytest.raises(NotAllowed):
        reports.file_report(rory, without, data)
    assert reports.file_report(proposer, without, data)[1]


@pytest.mark.parametrize(
    "data",
    [
        {"key_takeaways": []},
        {"key_takeaways": ["a", "b", "c", "d"]},
        {"key_takeaways": ["a"], "attendance": {"onsite": -1}},
        {"key_takeaways": ["a"], "attendance": {"women_share": 1.5}},
    ],
)
def test_bad_reports_are_refused(programme: Programme, data: dict) -> None:
    (session,) = approved(programme, 1)
    slot(session, programme, "Room 1", -2)
    with pytest.raises(InvalidInput):
        reports.file_report(programme.world.member["civil_society"], session, data)


def test_three_key_takeaways_are_accepted(programme: Programme) -> None:
    (session,) = approved(programme, 1)
    slot(session, programme, "Room 1", -2)
    report, _ = reports.file_report(
        programme.world.member["civil_society"], session, {"key_takeaways": ["a", "b", "c"]}
    )
    assert len(report.key_takeaways) == 3
