"""A cycle in its call for sessions: a published agenda, an advisory group, proposals.

The personas propose and score; extra members fill the advisory group so that it passes
the composition rule (one seat each for government, private sector, the technical
community and civil society, and the IGO observer).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from commonground.forums.services import advance_cycle, join_forum, update_recognition_settings
from commonground.issues.models import Issue
from commonground.issues.services import support_issue
from commonground.meetings.models import Session
from commonground.meetings.services import advisory, proposals, schedule, selection
from commonground.participants.models import Membership, User
from commonground.recognition.services import publish_agenda
from tests.conftest import World, make_user

SPEAKERS: list[dict[str, Any]] = [
    {"name": "Amina Odhiambo", "stakeholder_group": "civil_society", "gender": "woman",
     "country": "KE", "confirmed": True, "onsite": True},
    {"name": "Brian Mwangi", "stakeholder_group": "private_sector", "gender": "man",
     "country": "KE", "confirmed": True, "onsite": True},
    {"name": "Chen Wei", "stakeholder_group": "academic_technical", "gender": "man",
     "country": "CN", "confirmed": True, "onsite": False},
]  # fmt: skip


def proposal(**changes: Any) -> dict[str, Any]:
    """A proposal that passes every screening rule, with ``changes`` applied."""
    data: dict[str, Any] = {
        "title": "Community networks for rural Kenya",
        "format": "workshop",
        "description": "How community networks bring affordable access to villages.",
        "policy_questions": ["What licensing lets community networks grow?"],
        "moderator": {"name": "Dana Moderator"},
        "rapporteur": {"name": "Rita Rapporteur"},
        "speakers": copy.deepcopy(SPEAKERS),
    }
    data.update(changes)
    return data


@dataclass
class Programme:
    world: World
    issue: Issue
    advisors: list[User]
    civil_advisor: User

    @property
    def forum(self) -> Any:
        return self.world.forum

    @property
    def steward(self) -> User:
        return self.world.steward

    def propose(self, user: User | None = None, **changes: Any) -> Session:
        data = proposal(**{"issue_ids": [self.issue.pk], **changes})
        session, _ = proposals.propose_session(
            user or self.world.member["civil_society"], self.forum, data
        )
        return session

    def advance(self) -> None:
        advance_cycle(self.steward, self.forum)
        self.world.cycle.refresh_from_db()


def add_member(world: World, email: str, group: str, country: str = "KE", **kw: Any) -> User:
    user = make_user(email)
    join_forum(user, world.forum, stakeholder_group=group, country=country, **kw)
    return user


@pytest.fixture
def programme(world: World, issue: Issue) -> Programme:
    """The world's cycle in ``call_for_sessions`` with ``issue`` on the published agenda and
    an advisory group of five (gov, PS, A&T, CS and the IGO observer)."""
    update_recognition_settings(
        None, world.forum, min_groups=1, min_supporters=1, min_share=0.0, agenda_slots=20
    )
    support_issue(world.member["government"], issue)
    advance_cycle(world.steward, world.forum)  # agenda_setting
    publish_agenda(world.steward, world.forum)
    advance_cycle(world.steward, world.forum)  # call_for_sessions
    world.cycle.refresh_from_db()
    civil = add_member(world, "carla.civil@example.org", "civil_society")
    advisors = [
        world.member["government"],
        world.member["private_sector"],
        world.member["academic_technical"],
        world.member["intergovernmental"],
        civil,
    ]
    advisory.set_advisory_group(world.steward, world.forum, [u.public_id for u in advisors])
    return Programme(world, issue, advisors, civil)


def membership(user: User, forum: Any) -> Membership:
    return Membership.objects.get(user=user, forum=forum)


def approve(programme: Programme, session: Session) -> Session:
    return selection.decide_session(
        programme.steward, session, {"decision": "approved", "reason": "Strong and diverse."}
    )


def slot(
    session: Session, programme: Programme, room: str, hours: float, minutes: int = 60
) -> Session:
    """Schedule ``session`` in ``room`` ``hours`` from now (negative: in the past)."""
    start = timezone.now().replace(microsecond=0) + timedelta(hours=hours)
    return schedule.schedule_session(
        programme.steward, session, room=room, starts_at=start, duration_minutes=minutes
    )
