"""A forum in the messages phase with one issue on its published agenda, and helpers."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from commonground.forums.services import advance_cycle
from commonground.issues.models import Issue
from commonground.issues.services import support_issue
from commonground.outcomes import chairing, services
from commonground.outcomes.models import Message
from commonground.recognition.services import publish_agenda
from tests.conftest import World

DAY = timedelta(days=1)


@pytest.fixture
def agenda_issue(world: World, issue: Issue) -> Issue:
    """The shared issue, recognized on a lenient forum, on the published agenda; the cycle
    is then in the messages phase."""
    forum = world.forum
    forum.min_groups, forum.min_supporters, forum.min_share = 1, 1, 0.0
    forum.save()
    support_issue(world.member["government"], issue)
    advance_cycle(world.steward, forum)  # agenda_setting
    publish_agenda(world.steward, forum)
    for _ in range(4):  # call_for_sessions, evaluation, forum, messages
        advance_cycle(world.steward, forum)
    world.cycle.refresh_from_db()
    assert world.cycle.phase == "messages"
    issue.refresh_from_db()
    return issue


@pytest.fixture
def message(world: World, agenda_issue: Issue) -> Message:
    return services.draft_message(
        world.steward,
        agenda_issue,
        title="Connect every village",
        text="Rural connectivity needs **public** funding.",
    )


@pytest.fixture
def t0() -> datetime:
    """When the comment window opens (the current time, so the window is open now)."""
    return timezone.now()


@pytest.fixture
def commenting(world: World, message: Message, t0: datetime) -> Message:
    """The message with a seven-day window opening at ``t0``."""
    return services.open_comment_window(
        world.steward, message, opens_at=t0, closes_at=t0 + 7 * DAY, now=t0
    )


def positions(world: World, message: Message, table: dict[str, str], now: datetime) -> None:
    """Record one position per persona: ``{group: position}``."""
    for group, position in table.items():
        text = "I cannot live with this." if position == "object" else ""
        services.record_position(
            world.member[group], message, position=position, text=text, now=now
        )


def closed_and_designated(world: World, message: Message, t0: datetime) -> Message:
    """After the window: every objection rejected, the suggested level designated."""
    after = t0 + 8 * DAY
    for objection in message.positions.filter(position="object"):
        chairing.record_disposition(
            world.steward, objection, disposition="rejected", reason="Out of scope.", now=after
        )
    level = chairing.suggestion_of(message).level
    chairing.designate(world.steward, message, level=level, rationale="As suggested.", now=after)
    return message
