"""A newcomer's path through the site in a real browser: sign up, join, raise, support."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from commonground.issues.models import Issue, Support
from commonground.issues.services import raise_issue
from tests.browser.conftest import Visitor
from tests.conftest import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONFIRMATION_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


def _support_without_navigation(page: Page, expected_count: str) -> None:
    """Click the support button; HTMX must swap the panel in the same document."""
    page.evaluate("window.sameDocument = true")
    page.get_by_role("button", name="Draw attention: support").click()
    expect(page.get_by_test_id("support-count")).to_have_text(expected_count)
    expect(page.get_by_role("button", name="Withdraw my support")).to_be_visible()
    assert page.evaluate("window.sameDocument === true"), "the support click reloaded the page"


def _chart_label(page: Page) -> str:
    label = page.locator("#group-chart-box [role=img]").get_attribute("aria-label")
    assert label, "the supports chart has no text alternative"
    return label


def test_newcomer_signs_up_joins_raises_an_issue_and_each_supporting_group_counts_once(
    world: World, visit, mailoutbox
) -> None:
    newcomer = visit()
    page = newcomer.page

    # Sign up; e-mail verification is mandatory, so the link in the e-mail comes first.
    newcomer.goto("/accounts/signup/")
    page.get_by_label("Email").fill("nia.newcomer@example.org")
    page.get_by_label("Your name").fill("Nia Newcomer")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again):", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Verify", re.I))
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["nia.newcomer@example.org"]
    link = CONFIRMATION_LINK.search(mailoutbox[0].body)
    assert link, mailoutbox[0].body
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # Join the national forum as civil society, from Kenya.
    newcomer.goto(f"/forums/{world.forum.slug}/join/")
    page.get_by_role("radio", name="Civil society").check()
    page.get_by_label("Country").select_option("KE")
    page.get_by_role("button", name="Join the forum").click()
    expect(page.get_by_text(f"Welcome to {world.forum.name}.")).to_be_visible()

    # Raise an issue from the forum page.
    page.get_by_role("link", name="Raise an issue").click()
    page.get_by_label("Title").fill("Public libraries need open Wi-Fi")
    page.get_by_label("Description").fill("Libraries are where many people first go online.")
    page.get_by_label("Topics (optional)").fill("connectivity, SDG 4")
    page.get_by_role("button", name="Raise the issue").click()
    expect(page.get_by_text("Your issue is raised.")).to_be_visible()
    issue = Issue.objects.get(title="Public libraries need open Wi-Fi")
    assert issue.author.stakeholder_group == "civil_society"
    assert page.url.endswith(issue.get_absolute_url())
    expect(page.get_by_test_id("support-count")).to_have_text("0")  # raising is not supporting

    # The author supports it too, then a private-sector member logs in and supports it.
    _support_without_navigation(page, "1")
    supporter = visit()
    supporter.log_in(world.member["private_sector"].email, PASSWORD)
    supporter.goto(issue.get_absolute_url())
    _support_without_navigation(supporter.page, "2")

    # One supporter in each of the two groups, in the swapped chart and after a reload.
    for label in (_chart_label(supporter.page), (page.reload(), _chart_label(page))[1]):
        assert "CSO · Civil society: 1" in label and "PRI · Private sector: 1" in label, label
        assert "GOV · Government: 0" in label, label
    groups = sorted(Support.objects.filter(issue=issue).values_list("stakeholder_group", flat=True))
    assert groups == ["civil_society", "private_sector"]
    assert newcomer.problems == [] and supporter.problems == []


def test_support_button_posts_and_redirects_back_without_javascript(world: World, visit) -> None:
    issue = raise_issue(
        world.member["government"],
        world.forum,
        title="Open standards in public procurement",
        description="Governments buy software that locks data in.",
    )
    visitor: Visitor = visit(java_script_enabled=False)
    visitor.log_in(world.member["academic_technical"].email, PASSWORD)
    visitor.goto(issue.get_absolute_url())
    page = visitor.page
    expect(page.get_by_test_id("support-count")).to_have_text("0")

    with page.expect_navigation():
        page.get_by_role("button", name="Draw attention: support").click()
    assert page.url.endswith(issue.get_absolute_url())
    expect(page.get_by_test_id("support-count")).to_have_text("1")
    assert "ACT · Academic & technical: 1" in _chart_label(page)
    assert Support.objects.filter(issue=issue, stakeholder_group="academic_technical").exists()

    with page.expect_navigation():
        page.get_by_role("button", name="Withdraw my support").click()
    assert page.url.endswith(issue.get_absolute_url())
    expect(page.get_by_test_id("support-count")).to_have_text("0")
    assert not Support.objects.filter(issue=issue).exists()
