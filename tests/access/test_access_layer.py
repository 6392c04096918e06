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
from commonground.issues.models import TALLY_SHARDS, ActiveTally, Issue, TallyVersion
from commonground.issues.services import support_issue, withdraw_support
from commonground.issues.tallies import active_counts
from commonground.participants.models import Membership
from commonground.recognition.services import live_agenda
from commonground.stakeholders import GROUPS
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


def test_a_cycle_opens_with_every_tally_shard_row_at_zero_and_its_supports_count_in_them(
    world: World, issue: Issue
) -> None:
    for _ in range(7):
        advance_cycle(None, world.forum)  # closes the cycle
    cycle = open_cycle(None, world.forum, "Next cycle")
    rows = len(GROUPS) * TALLY_SHARDS
    assert list(ActiveTally.objects.filter(cycle=cycle).values_list("count", flat=True)) == (
        [0] * rows
    )
    versions = TallyVersion.objects.filter(cycle=cycle).values_list("version", flat=True)
    assert list(versions) == [0] * TALLY_SHARDS
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
    # Counted in the rows the opening made: none was added.
    assert ActiveTally.objects.filter(cycle=cycle).count() == rows
    assert TallyVersion.objects.filter(cycle=cycle).count() == TALLY_SHARDS
