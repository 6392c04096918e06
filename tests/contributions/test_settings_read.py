"""A forum's contribution settings as the services and the issue page read them (one plain
statement, ``settings_of``): the defaults until a steward edits them, then the stored
values, on the primary or where the ORM would read them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonground.contributions.services import settings_of
from commonground.forums.forum_settings import update_settings
from commonground.issues.models import Issue
from tests.conftest import World

pytestmark = pytest.mark.django_db

RULE = b"whose stakeholder group is verified"


def test_a_forum_never_edited_has_the_default_settings_unsaved(world: World) -> None:
    found = settings_of(world.forum)
    assert found.pk is None and found.forum_id == world.forum.pk
    assert found.verified_required_for_signals_and_advice is False
    assert found.report_threshold == 3
    with CaptureQueriesContext(connection) as queries:
        assert found.forum == world.forum  # kept, not read again
    assert not queries.captured_queries


@pytest.mark.parametrize("threshold", [1, 1000])  # the lowest and the highest allowed
def test_a_stewards_settings_are_read_back_as_stored(world: World, threshold: int) -> None:
    update_settings(
        world.steward,
        world.forum,
        {"verified_required_for_signals_and_advice": True, "report_threshold": threshold},
    )
    found = settings_of(world.forum)
    assert found.pk is not None and found.forum_id == world.forum.pk
    assert found.verified_required_for_signals_and_advice is True
    assert found.report_threshold == threshold


def test_the_issue_page_tells_members_the_verified_rule_once_a_steward_sets_it(
    world: World, issue: Issue
) -> None:
    member = world.client_for(world.member["civil_society"])
    url = reverse("issues:detail", args=[issue.pk])
    assert RULE not in member.get(url).content
    update_settings(world.steward, world.forum, {"verified_required_for_signals_and_advice": True})
    assert RULE in member.get(url).content
