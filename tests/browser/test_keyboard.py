"""Keyboard use (issue 17.5): focus after in-place updates, access keys, the focus ring.

After a vote the keyboard focus is on the next statement's first vote button (not back
at the top of the page); after supporting, on the updated panel's button; the documented
access keys A, D and P vote; the focus ring stands out at least 3:1 from what surrounds it.
"""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from commonground.dialogue import services
from commonground.dialogue.models import Vote
from commonground.issues.services import raise_issue
from tests.browser.conftest import Site
from tests.browser.pagecheck import press_access_key
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const el = document.activeElement;
  return {testid: el.dataset.testid || "", tag: el.tagName.toLowerCase(),
          statement: (el.closest("#vote-card")?.querySelector("[data-statement]")
                      ?.dataset.statement) || ""};
}"""


def _conversation(world: World, statements: int):
    issue = raise_issue(
        world.member["civil_society"],
        world.forum,
        title="Platform accountability",
        description="How should platforms be held to account?",
    )
    conversation = services.open_conversation(
        world.steward, issue, topic="Holding platforms to account", moderation="open"
    )
    for i in range(statements):
        services.add_statement(world.steward, conversation, f"Statement {i}: platforms act.")
    return conversation


def test_after_a_vote_focus_is_on_the_next_statements_first_vote_button(
    world: World, visit
) -> None:
    conversation = _conversation(world, 3)
    voter = visit()
    voter.act_as(world.member["government"])
    voter.goto(f"/conversations/{conversation.pk}/")
    page = voter.page
    page.get_by_test_id("vote-disagree").focus()
    before = page.evaluate(FOCUSED)["statement"]
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("progress")).to_contain_text("1 of 3")
    # The card is swapped and then focused: on a loaded machine the two are separate
    # frames, so wait (bounded) for focus to leave the voted statement before reading it.
    # (On a timeout the assertions below name where focus is.)
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            f"(before) => ({FOCUSED})().statement !== before", arg=before, timeout=10_000
        )
    after = page.evaluate(FOCUSED)
    assert after["testid"] == "vote-agree", f"focus is on {after}, not the Agree button"
    assert after["statement"] and after["statement"] != before, "not the next statement"
    # Tab goes on from there to Disagree: no walk from the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["testid"] == "vote-disagree"
    assert voter.problems == []


def test_the_documented_access_keys_a_d_and_p_vote_agree_disagree_and_pass(
    world: World, visit
) -> None:
    conversation = _conversation(world, 4)
    voter = visit()
    voter.act_as(world.member["government"])
    voter.goto(f"/conversations/{conversation.pk}/")
    page = voter.page
    for n, key in enumerate("adp", start=1):
        press_access_key(page, key)
        expect(page.get_by_test_id("progress")).to_contain_text(f"{n} of 4")
    values = list(
        Vote.objects.filter(membership=world.membership["government"])
        .order_by("pk")
        .values_list("value", flat=True)
    )
    assert values == [1, -1, 0]


def test_after_supporting_focus_is_on_the_updated_panels_button(site: Site, visit) -> None:
    visitor = visit()
    visitor.act_as(site.world.member["intergovernmental"])
    visitor.goto(site.candidate.get_absolute_url())
    page = visitor.page
    page.get_by_role("button", name="Draw attention: support").focus()
    page.keyboard.press("Enter")
    withdraw = page.get_by_role("button", name="Withdraw my support")
    expect(withdraw).to_be_focused()


# The focus ring's colour against the colour behind the element (the first ancestor with
# an opaque background), as WCAG 2.1 computes contrast.
RING_CONTRAST = """(el) => {
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const style = getComputedStyle(el);
  let behind = el.parentElement;
  while (behind) {
    const bg = rgb(getComputedStyle(behind).backgroundColor);
    if (bg.length === 3 || (bg.length === 4 && bg[3] === 1)) break;
    behind = behind.parentElement;
  }
  const back = behind ? rgb(getComputedStyle(behind).backgroundColor) : [255, 255, 255];
  const a = lum(rgb(style.outlineColor)), b = lum(back);
  return {style: style.outlineStyle, width: parseFloat(style.outlineWidth),
          ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
}"""


def test_the_focus_ring_is_visible_and_at_least_3_to_1_against_its_background(
    site: Site, visit
) -> None:
    visitor = visit()
    visitor.act_as(site.world.member["civil_society"])
    visitor.goto(site.recognized.get_absolute_url())
    page = visitor.page
    weak: list[str] = []
    for _ in range(25):  # the first stops: skip link, header, breadcrumbs, the page
        page.keyboard.press("Tab")
        focused = page.evaluate_handle("document.activeElement")
        ring = focused.evaluate(RING_CONTRAST)
        what = focused.evaluate("el => el.outerHTML.slice(0, 80)")
        if ring["style"] == "none" or ring["width"] < 2 or ring["ratio"] < 3:
            weak.append(f"{what}: {ring}")
    assert not weak, "\n".join(weak)
