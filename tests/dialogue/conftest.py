"""A conversation on an issue of the personas' forum."""

from __future__ import annotations

import pytest

from commonground.dialogue import services
from commonground.dialogue.models import Conversation, Statement
from commonground.issues.models import Issue
from commonground.issues.services import raise_issue
from tests.conftest import World


@pytest.fixture
def issue(world: World) -> Issue:
    return raise_issue(
        world.member["civil_society"],
        world.forum,
        title="Platform accountability",
        description="How should platforms be held to account?",
    )


@pytest.fixture
def conversation(world: World, issue: Issue) -> Conversation:
    return services.open_conversation(
        world.steward, issue, topic="Platform accountability", moderation="open"
    )


@pytest.fixture
def statements(world: World, conversation: Conversation) -> list[Statement]:
    texts = [f"Statement number {i} about platforms." for i in range(8)]
    return [services.add_statement(world.steward, conversation, t) for t in texts]
