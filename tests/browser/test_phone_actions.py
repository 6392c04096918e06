"""On a phone (390 x 844): the support button is on the first screen of an issue page, and
a member votes, sees the vote recorded, goes back to change it, and is told by the map how
many more votes place them (issue 11.14)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from commonground.dialogue import services
from commonground.dialogue.models import Vote
from tests.browser.conftest import PHONE, Site

pytestmark = [pytest.mark.browser, pytest.mark.scenario, pytest.mark.django_db(transaction=True)]


def test_support_button_is_on_the_first_phone_screen_of_an_issue_page(site: Site, visit) -> None:
    visitor = visit(viewport=PHONE)
    visitor.act_as(site.world.member["intergovernmental"])
    visitor.goto(site.candidate.get_absolute_url())
    button = visitor.page.locator("#support-button")
    box = button.bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    # And it works from there: the status, the table and the chart follow the support.
    button.click()
    expect(visitor.page.get_by_role("button", name="Withdraw my support")).to_be_visible()
    expect(visitor.page.get_by_test_id("supports-intergovernmental")).to_have_text("1")
    label = visitor.page.locator("#group-chart-box [role=img]").get_attribute("aria-label")
    assert label is not None and "Intergovernmental: 1" in label
    assert not visitor.problems, visitor.problems


def test_support_button_is_on_the_first_phone_screen_right_to_left_too(
    site: Site, visit, live_server
) -> None:
    visitor = visit(viewport=PHONE)
    visitor.context.add_cookies(
        [{"name": "django_language", "value": "ar", "url": live_server.url}]
    )
    visitor.act_as(site.world.member["intergovernmental"])
    visitor.goto(site.candidate.get_absolute_url())
    assert visitor.page.evaluate("document.documentElement.dir") == "rtl"
    box = visitor.page.locator("#support-button").bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box


def test_member_on_a_phone_votes_sees_it_recorded_and_changes_it(site: Site, visit) -> None:
    world = site.world
    conversation = services.open_conversation(
        world.steward, site.recognized, topic="Licences for community networks", moderation="open"
    )
    statements = [
        services.add_statement(world.steward, conversation, f"Statement {i} on licences.")
        for i in range(8)
    ]
    voter = visit(viewport=PHONE)
    voter.act_as(world.member["government"])
    page = voter.page
    voter.goto(f"/conversations/{conversation.pk}/")
    first = int(page.get_by_test_id("statement-text").get_attribute("data-statement"))
    page.get_by_role("button", name="Agree", exact=True).click()
    recorded = page.get_by_test_id("vote-recorded")
    expect(recorded).to_be_visible()
    expect(recorded).to_contain_text("Vote recorded: you agree with")
    expect(page.get_by_test_id("progress")).to_contain_text("1 of 8 statements voted")
    # Back to the earlier statement: the list of votes, then "Disagree instead".
    page.get_by_text("Show the statements you voted on").click()
    row = page.locator(f'[data-testid=my-votes] li[data-statement="{first}"]')
    expect(row.get_by_test_id("my-vote")).to_have_text("agree")
    row.get_by_role("button", name="Disagree instead").click()
    expect(recorded).to_contain_text("Vote recorded: you disagree with")
    expect(page.locator(f'li[data-statement="{first}"]').get_by_test_id("my-vote")).to_have_text(
        "disagree"
    )
    vote = Vote.objects.get(membership=world.membership["government"])
    assert (vote.statement_id, vote.value) == (first, -1)
    assert len(statements) == 8
    # On the map, the voter is placed (few people yet: the most active are all placed);
    # a member who has not voted is told how many votes place them (7 of 8 statements).
    voter.goto(f"/conversations/{conversation.pk}/map/")
    expect(page.get_by_text("The ringed mark is you")).to_be_visible()
    newcomer = visit(viewport=PHONE)
    newcomer.act_as(world.member["private_sector"])
    newcomer.goto(f"/conversations/{conversation.pk}/map/")
    expect(newcomer.page.get_by_test_id("placement")).to_contain_text(
        "you have voted on 0. Vote on 7 more statements to be placed"
    )
    assert not voter.problems and not newcomer.problems, voter.problems + newcomer.problems
