"""Moderation in a real browser: three members' reports hide a comment everywhere public.

A civil-society member reports a comment from the issue page; two more members report
it; the comment is then gone from the issue page and from the API, its author still sees
it marked hidden, and the forum's public moderation log lists it without naming anyone
who reported it.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from commonground.contributions import services
from commonground.contributions.models import Comment, Report
from commonground.issues.services import raise_issue
from tests.browser.conftest import Visitor
from tests.conftest import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "Cheap watches at spam-shop.example, today only"
REPORTERS = ("government", "academic_technical")  # after the civil-society member


def _report(visitor: Visitor, comment: Comment, note: str) -> None:
    """Open the comment's Report box on the issue page and send a spam report."""
    visitor.goto(comment.issue.get_absolute_url())
    box = visitor.page.locator(f"#comment-{comment.pk}")
    box.get_by_text("Report", exact=True).click()
    box.get_by_label("Reason").select_option("spam")
    box.get_by_label("Note (optional)").fill(note)
    box.get_by_role("button", name="Send report").click()


def _api_comments(visitor: Visitor, issue_id: int) -> list[dict[str, object]]:
    response = visitor.page.request.get(f"/api/v1/issues/{issue_id}/comments")
    assert response.status == 200
    return json.loads(response.text())["items"]


def test_three_reports_in_the_browser_hide_a_comment_from_page_and_api_not_from_its_author(
    world: World, visit: Callable[..., Visitor]
) -> None:
    issue = raise_issue(
        world.member["private_sector"],
        world.forum,
        title="Spectrum for community networks",
        description="Villages cannot get licences.",
    )
    author = world.member["private_sector"]
    comment = services.add_comment(author, issue=issue, body=BODY)
    keep = services.add_comment(world.member["government"], issue=issue, body="A real point.")
    anonymous = visit()
    anonymous.goto(issue.get_absolute_url())
    expect(anonymous.page.get_by_text(BODY)).to_be_visible()
    assert [c["id"] for c in _api_comments(anonymous, issue.pk)] == [comment.pk, keep.pk]

    # A civil-society member logs in and reports it; it stays up after one report.
    civil = visit()
    civil.log_in(world.member["civil_society"].email, PASSWORD)
    _report(civil, comment, "note from the first reporter")
    expect(civil.page.get_by_text("The stewards will look at your report.")).to_be_visible()
    expect(civil.page.get_by_text(BODY)).to_be_visible()

    # Two more members report it; the third report hides it.
    for n, group in enumerate(REPORTERS):
        reporter = visit()
        reporter.act_as(world.member[group])
        _report(reporter, comment, f"note from reporter {n + 2}")
    expect(
        reporter.page.get_by_text("Enough members reported it, so it is now hidden.")
    ).to_be_visible()
    assert Report.objects.filter(object_id=comment.pk).count() == 3
    expect(reporter.page.get_by_text(BODY)).to_have_count(0)

    # Gone from the page and the API for everyone else, the other comment untouched.
    for viewer in (anonymous, civil):
        viewer.goto(issue.get_absolute_url())
        expect(viewer.page.get_by_text(BODY)).to_have_count(0)
        expect(viewer.page.get_by_text("A real point.")).to_be_visible()
        listed = _api_comments(viewer, issue.pk)
        assert [c["id"] for c in listed] == [keep.pk]
        assert BODY not in json.dumps(listed)

    # Its author still sees it, marked hidden, on the page and in the API.
    own = visit()
    own.act_as(author)
    own.goto(issue.get_absolute_url())
    mine = own.page.locator(f"#comment-{comment.pk}")
    expect(mine.get_by_text(BODY)).to_be_visible()
    expect(mine.get_by_text("Hidden by moderation: Reported by 3 members (spam).")).to_be_visible()
    hidden = [c for c in _api_comments(own, issue.pk) if c["id"] == comment.pk]
    assert hidden and hidden[0]["hidden"] is True

    # The public moderation log says what, when and why, and never who reported.
    anonymous.goto(f"/forums/{world.forum.slug}/moderation/")
    row = anonymous.page.get_by_role("row").filter(has_text=f"Comment {comment.pk}")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Hidden")
    expect(row).to_contain_text("automatically, after reports")
    expect(row).to_contain_text("Reported by 3 members (spam).")
    expect(row.get_by_role("link", name=issue.title)).to_be_visible()
    log = anonymous.page.content()
    assert BODY not in log
    for group in ("civil_society", *REPORTERS):
        user = world.member[group]
        assert user.public_name not in log and user.public_id not in log
    assert "note from" not in log
    assert anonymous.problems == []
