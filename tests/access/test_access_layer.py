"""The access layer: one getter per kind answers the web and the API alike, and the pages
offer exactly what the rules allow."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client

from commonground.access import rules
from commonground.access.lookup import get_visible_contribution
from commonground.access.members import membership_of
from commonground.contributions import services
from commonground.core.errors import NotFound
from commonground.forums.services import advance_cycle, open_cycle
from commonground.issues.models import ActiveTally, Issue
from commonground.issues.services import support_issue, withdraw_support
from commonground.issues.tallies import active_counts
from commonground.participants.models import Membership
from commonground.recognition.services import live_agenda
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_a_missing_issue_is_one_404_message_on_the_web_and_the_api(world: World) -> None:
    web = Client().get("/issues/424242/")
    api = Client().get("/api/v1/issues/424242")
    assert web.status_code == api.status_code == 404
    assert api.json() == {"detail": "No issue 424242."}
    assert "No issue 424242." in web.content.decode()


def test_a_hidden_comment_is_found_only_by_its_author_and_the_stewards(
    world: World, issue: Issue
) -> None:
    author = world.member["government"]
    comment = services.add_comment(author, issue=issue, body="Too costly.")
    services.moderate(world.steward, "comment", comment, hide=True, reason="Off topic")
    for who in (author, world.steward):
        assert get_visible_contribution("comment", comment.pk, who).pk == comment.pk
    for who in (world.member["civil_society"], world.outsider):
        with pytest.raises(NotFound, match=f"No comment {comment.pk}."):
            get_visible_contribution("comment", comment.pk, who)


def test_the_open_conversation_link_follows_the_rule(world: World, issue: Issue) -> None:
    """Shown to the issue's author and an active steward; not to another member, nor to a
    suspended author (whom the service would refuse)."""
    shown = {}
    for key, user in {
        "author": world.member["civil_society"],
        "steward": world.steward,
        "other": world.member["government"],
    }.items():
        page = world.client_for(user).get(issue.get_absolute_url()).content.decode()
        shown[key] = (
            f"/issues/{issue.pk}/conversations/new/" in page or "Open a conversation" in page
        )
    assert shown == {"author": True, "steward": True, "other": False}
    Membership.objects.filter(user=world.member["civil_society"], forum=world.forum).update(
        status=Membership.Status.SUSPENDED
    )
    author = membership_of(world.member["civil_society"], world.forum)
    assert not rules.can_open_conversation(author, issue)
    page = world.client_for(world.member["civil_society"]).get(issue.get_absolute_url())
    assert "Open a conversation" not in page.content.decode()


def test_templates_ask_the_rules_by_name_and_an_unknown_name_is_an_error(
    world: World, issue: Issue
) -> None:
    steward = membership_of(world.steward, world.forum)
    member = membership_of(world.member["government"], world.forum)
    template = Template(
        '{% load access %}{% can "open_conversation" m issue as ok %}{{ ok }}'
        " {{ m|can_steward }} {{ issue.cycle.phase|phase_label }}"
    )
    assert template.render(Context({"m": steward, "issue": issue})) == "True True Call for issues"
    assert template.render(Context({"m": member, "issue": issue})) == "False False Call for issues"
    with pytest.raises(TemplateSyntaxError, match="No access rule 'fly'"):
        Template('{% load access %}{% can "fly" m %}').render(Context({"m": member}))


def test_a_cycle_opens_without_tallies_and_its_first_supports_make_the_rows_they_count_in(
    world: World, issue: Issue
) -> None:
    for _ in range(7):
        advance_cycle(None, world.forum)  # closes the cycle
    cycle = open_cycle(None, world.forum, "Next cycle")
    assert not ActiveTally.objects.filter(cycle=cycle).exists()
    assert live_agenda(cycle).result.active.tolist() == [0] * 6
    fresh = Issue.objects.create(
        forum=world.forum,
        cycle=cycle,
        author=world.membership["civil_society"],
        title="New",
        description="D",
    )
    support_issue(world.member["government"], fresh)
    support_issue(world.member["private_sector"], fresh)
    withdraw_support(world.member["government"], fresh)
    counted = {g: n for g, n in active_counts(cycle.pk).items() if n}
    assert counted == {"private_sector": 1}
    assert set(cycle.active_tallies.values_list("stakeholder_group", flat=True)) >= {
        "government",
        "private_sector",
    }
