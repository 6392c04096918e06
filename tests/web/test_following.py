"""Raising or supporting an issue follows it, so its people hear of new contributions."""

from __future__ import annotations

import pytest

from commonground.issues.services import raise_issue, support_issue, withdraw_support
from commonground.notifications.models import Follow
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_raising_an_issue_follows_it(world: World) -> None:
    issue = raise_issue(world.member["civil_society"], world.forum, title="T", description="D")
    assert Follow.objects.filter(membership=world.membership["civil_society"], issue=issue).exists()


def test_supporting_an_issue_follows_it_once(world: World) -> None:
    issue = raise_issue(world.member["civil_society"], world.forum, title="T", description="D")
    support_issue(world.member["government"], issue)
    withdraw_support(world.member["government"], issue)
    support_issue(world.member["government"], issue)
    assert (
        Follow.objects.filter(membership=world.membership["government"], issue=issue).count() == 1
    )
