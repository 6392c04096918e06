"""Reports, automatic hiding, steward moderation, the public log, and suspension through HTTP."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonground.contributions import services
from commonground.contributions.models import Comment, ModerationAction, Report
from commonground.core.errors import Conflict, InvalidInput, NotAllowed
from commonground.issues.models import Issue
from commonground.ledger.models import LedgerEntry
from commonground.participants.models import Membership
from tests.conftest import World

pytestmark = pytest.mark.django_db

BODY = "Cheap watches at spam.example"
REPORTERS = ("government", "private_sector", "academic_technical")


def _report_page(world: World, group: str, comment: Comment) -> int:
    response = world.client_for(world.member[group]).post(
        reverse("contributions:report", args=["comment", comment.pk]),
        {"reason": "spam", "note": f"note by {group}"},
    )
    return response.status_code


def test_three_reports_hide_a_comment_from_the_page_but_not_from_its_author(
    world: World, issue: Issue
) -> None:
    comment = services.add_comment(world.member["civil_society"], issue=issue, body=BODY)
    page = world.client_for(None).get(issue.get_absolute_url())
    assert BODY in page.content.decode()
    for group in REPORTERS[:2]:
        assert _report_page(world, group, comment) == 302
    comment.refresh_from_db()
    assert not comment.hidden
    assert _report_page(world, REPORTERS[2], comment) == 302
    comment.refresh_from_db()
    assert comment.hidden and "Reported by 3 members" in comment.hidden_reason
    for viewer in (None, world.member["government"], world.outsider):
        html = world.client_for(viewer).get(issue.get_absolute_url()).content.decode()
        assert BODY not in html
    own = world.client_for(world.member["civil_society"]).get(issue.get_absolute_url())
    html = own.content.decode()
    assert BODY in html and "Hidden by moderation" in html


def test_one_report_per_member_and_not_ones_own(world: World, issue: Issue) -> None:
    comment = services.add_comment(world.member["civil_society"], issue=issue, body=BODY)
    services.report(world.member["government"], "comment", comment, reason="spam")
    with pytest.raises(Conflict):
        services.report(world.member["government"], "comment", comment, reason="other")
    with pytest.raises(NotAllowed, match="own"):  # who may report: 403 (issue 11.17)
        services.report(world.member["civil_society"], "comment", comment, reason="spam")
    assert Report.objects.count() == 1


def test_threshold_is_a_forum_setting(world: World, issue: Issue) -> None:
    services.update_settings(
        world.steward, world.forum, verified_required=False, report_threshold=1
    )
    comment = services.add_comment(world.member["civil_society"], issue=issue, body=BODY)
    _, hidden = services.report(world.member["government"], "comment", comment, reason="offensive")
    assert hidden


def test_moderation_log_lists_reasons_but_never_reporters(world: World, issue: Issue) -> None:
    comment = services.add_comment(world.member["civil_society"], issue=issue, body=BODY)
    for group in REPORTERS:
        services.report(world.member[group], "comment", comment, reason="spam", note="by me")
    response = world.client_for(None).get(reverse("contributions:moderation", args=["kenya-igf"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Reported by 3 members (spam)" in html and "automatically" in html
    for group in REPORTERS:
        user = world.member[group]
        assert user.public_name not in html and user.public_id not in html
    assert "by me" not in html and BODY not in html
    # Nor does the public ledger name them.
    reports = LedgerEntry.objects.filter(action="report.add")
    assert reports.count() == 3 and set(reports.values_list("actor", flat=True)) == {None}


def test_steward_hides_and_restores_with_a_reason(world: World, issue: Issue) -> None:
    comment = services.add_comment(world.member["civil_society"], issue=issue, body=BODY)
    steward = world.client_for(world.steward)
    url = reverse("contributions:moderate", args=["comment", comment.pk])
    assert steward.post(url, {"action": "hide", "reason": "Advertising"}).status_code == 302
    comment.refresh_from_db()
    assert comment.hidden and comment.hidden_reason == "Advertising"
    log = world.client_for(None).get(reverse("contributions:moderation", args=["kenya-igf"]))
    assert "Advertising" in log.content.decode()
    assert steward.post(url, {"action": "restore", "reason": "On appeal"}).status_code == 302
    comment.refresh_from_db()
    assert not comment.hidden
    assert list(ModerationAction.objects.values_list("action", flat=True)) == ["restore", "hide"]
    # A participant cannot moderate.
    member = world.client_for(world.member["government"])
    assert member.post(url, {"action": "hide", "reason": "Mine"}).status_code == 403
    comment.refresh_from_db()
    assert not comment.hidden


def test_hidden_solution_takes_its_advice_and_comments_off_the_page(
    world: World, issue: Issue
) -> None:
    solution = services.propose_solution(
        world.member["private_sector"], issue, title="Sell more phones", description="Ads."
    )
    services.moderate(world.steward, "solution", solution, hide=True, reason="Off topic")
    html = world.client_for(None).get(issue.get_absolute_url()).content.decode()
    assert "Sell more phones" not in html
    with pytest.raises(Exception, match="no such solution"):
        services.add_comment(world.member["government"], solution=solution, body="x")


def test_the_suspension_form_names_its_action_field_in_the_readers_language(world: World) -> None:
    # Without a label Django named the field "Action" from its name, in English on every page.
    steward = world.client_for(world.steward)
    page = steward.get("/forums/kenya-igf/moderation/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert '<label for="id_action">操作:</label>' in html
    assert ">Action:<" not in html


def test_suspension_through_the_moderation_page_blocks_contributions(
    world: World, issue: Issue
) -> None:
    target = world.membership["government"]
    steward = world.client_for(world.steward)
    response = steward.post(
        reverse("contributions:suspend", args=["kenya-igf"]),
        {"participant": target.user.public_id, "action": "suspend", "reason": "Abuse"},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == Membership.Status.SUSPENDED
    gov = world.client_for(world.member["government"])
    response = gov.post(reverse("contributions:issue_comment", args=[issue.pk]), {"body": "Hi"})
    assert response.status_code == 403 and b"suspended" in response.content
    assert not Comment.objects.exists()
    # Members cannot suspend.
    member = world.client_for(world.member["civil_society"])
    response = member.post(
        reverse("contributions:suspend", args=["kenya-igf"]),
        {
            "participant": world.member["private_sector"].public_id,
            "action": "suspend",
            "reason": "x",
        },
    )
    assert response.status_code == 403
    with pytest.raises(InvalidInput, match="yourself"):
        services.set_suspended(
            world.steward, world.steward.memberships.get(), suspended=True, reason="x"
        )
