"""A member votes through a conversation in a real browser, then reads the opinion map."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from commonground.dialogue import services
from commonground.dialogue.models import Vote
from commonground.issues.services import raise_issue
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_votes_statement_by_statement_and_sees_the_groups(
    world: World, visit, settings
) -> None:
    # Tests run tasks with the immediate backend: each vote's recompute runs right after
    # its commit, so the map is fresh when the page is opened.
    assert "ImmediateBackend" in settings.TASKS["default"]["BACKEND"]
    issue = raise_issue(
        world.member["civil_society"],
        world.forum,
        title="Platform accountability",
        description="How should platforms be held to account?",
    )
    conversation = services.open_conversation(
        world.steward, issue, topic="Holding platforms to account", moderation="open"
    )
    statements = [
        services.add_statement(world.steward, conversation, f"Statement {i}: platforms {w}.")
        for i, w in enumerate(["must pay", "must explain", "may refuse", "need courts"] * 2)
    ]
    # Two camps among the other personas, so that the map has groups to show.
    others = [u for g, u in world.member.items() if g != "government"]
    for i, user in enumerate(others):
        for j, statement in enumerate(statements):
            services.cast_vote(user, statement, 1 if (i % 2 == 0) == (j % 2 == 0) else -1)

    voter = visit()
    voter.act_as(world.member["government"])
    page = voter.page
    voter.goto(f"/conversations/{conversation.pk}/")
    expect(page.get_by_test_id("progress")).to_contain_text("0 of 8 statements voted")
    page.evaluate("window.sameDocument = true")
    # Keyboard first: the vote buttons are real buttons, reachable and pressable.
    page.get_by_role("button", name="Agree", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("progress")).to_contain_text("1 of 8 statements voted")
    for n in range(2, 9):
        name = "Agree" if n % 2 else "Disagree"
        page.get_by_role("button", name=name, exact=True).click()
        expect(page.get_by_test_id("progress")).to_contain_text(f"{n} of 8 statements voted")
    expect(page.get_by_test_id("all-voted")).to_be_visible()
    assert page.evaluate("window.sameDocument === true"), "a vote reloaded the page"
    assert Vote.objects.filter(membership=world.membership["government"]).count() == 8

    page.get_by_role("link", name="see the opinion map", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Opinion map")
    expect(page.get_by_test_id("opinion-group")).to_have_count(2)
    label = page.get_by_test_id("opinion-map").get_attribute("aria-label") or ""
    assert re.search(r"in 2 opinion groups", label), label
    expect(page.get_by_test_id("cross-table")).to_be_visible()
    assert voter.problems == []
