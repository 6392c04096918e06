"""Sessions and messages for the conformance run, written through the services.

The shared world's national forum stays in its call for issues (so the run reaches the
writes on issues and contributions); the regional forum is taken to its call for sessions
with a proposal by the token's holder (so edits and withdrawals reach their logic), and the
global forum to its messages phase with a reported session and a message under public
comment (so the routes of sessions, advisory scoring, reports, messages and objections
answer for real records, not 404s).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from commonground.forums.models import Forum
from commonground.forums.services import (
    advance_cycle,
    join_forum,
    open_cycle,
    update_recognition_settings,
)
from commonground.issues.models import Issue
from commonground.issues.services import raise_issue, support_issue
from commonground.meetings.services import advisory, proposals, reports, schedule, selection
from commonground.outcomes import services as outcomes
from commonground.participants.models import User
from commonground.participants.services import grant_steward
from commonground.recognition.services import publish_agenda
from tests.conftest import PERSONAS, World, make_user
from tests.meetings.conftest import proposal


def _forum_with_agenda(world: World, forum: Forum) -> tuple[User, Issue]:
    """Open a cycle on ``forum``, bring in the personas and a steward, recognize one issue
    and publish the agenda; the cycle is then in its call for sessions."""
    cycle = open_cycle(None, forum, "2027")
    for group, user in world.member.items():
        join_forum(user, forum, stakeholder_group=group, country=PERSONAS[group][1])
    grant_steward(
        None, join_forum(world.steward, forum, stakeholder_group="civil_society", country="KE")
    )
    update_recognition_settings(
        None, forum, min_groups=1, min_supporters=1, min_share=0.0, agenda_slots=20
    )
    issue = raise_issue(
        world.member["civil_society"],
        forum,
        title="Meaningful connectivity",
        description="Access that people can afford and use.",
    )
    support_issue(world.member["government"], issue)
    advance_cycle(world.steward, forum)  # agenda_setting
    publish_agenda(world.steward, forum)
    advance_cycle(world.steward, forum)  # call_for_sessions
    cycle.refresh_from_db()
    return world.steward, issue


def seed_programme(world: World) -> dict[str, list[Any]]:
    """The known records of the regional and global forums' later phases, by kind."""
    regional = Forum.objects.get(slug="africa-igf")
    _, regional_issue = _forum_with_agenda(world, regional)
    open_session, _ = proposals.propose_session(
        world.member["government"],
        regional,
        proposal(title="Open data for public services", issue_ids=[regional_issue.pk]),
    )

    global_forum = Forum.objects.get(slug="igf")
    steward, issue = _forum_with_agenda(world, global_forum)
    advisor = make_user("carla.civil@example.org", "Carla Civil")
    join_forum(advisor, global_forum, stakeholder_group="civil_society", country="KE")
    advisors = [world.member[g] for g in ("government", "private_sector", "academic_technical")]
    advisors += [world.member["intergovernmental"], advisor]
    advisory.set_advisory_group(steward, global_forum, [u.public_id for u in advisors])
    session, _ = proposals.propose_session(
        world.member["civil_society"], global_forum, proposal(issue_ids=[issue.pk])
    )
    advance_cycle(steward, global_forum)  # evaluation: the proposal is screened in
    advisory.score_session(
        world.member["private_sector"],
        session,
        {"relevance": 5, "content": 4, "interaction": 4, "diversity": 5},
    )
    selection.decide_session(steward, session, {"decision": "approved", "reason": "Strong."})
    advance_cycle(steward, global_forum)  # forum
    started = timezone.now().replace(microsecond=0) - timedelta(hours=3)
    schedule.schedule_session(
        steward, session, room="Room 1", starts_at=started, duration_minutes=60
    )
    report, _ = reports.file_report(
        world.member["civil_society"],
        session,
        {
            "key_takeaways": ["Community networks need spectrum."],
            "calls_to_action": ["Open a licence-exempt band."],
            "attendance": {"onsite": 40, "online": 25, "women_share": 0.5},
        },
    )
    advance_cycle(steward, global_forum)  # messages
    message = outcomes.draft_message(
        steward,
        issue,
        title="Connect every village",
        text="Rural connectivity needs **public** funding.",
        report_ids=[report.pk],
    )
    now = timezone.now()
    outcomes.open_comment_window(
        steward, message, opens_at=now, closes_at=now + timedelta(days=7), now=now
    )
    objection = outcomes.record_position(
        world.member["academic_technical"],
        message,
        position="object",
        text="Public funding alone will not last.",
        now=now,
    )
    outcomes.record_position(world.member["civil_society"], message, position="support", now=now)
    return {
        "sessions": [session.pk, open_session.pk],
        "messages": [message.pk],
        "objections": [objection.pk],
        "cycles": [global_forum.cycles.get().pk, regional.cycles.get().pk, world.cycle.pk],
    }
