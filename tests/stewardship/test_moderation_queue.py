"""The stewards' moderation queue (issue 11.11): reports reach the stewards, who act on them
from the queue page, the API and the CLI; reporters are never named."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonground.contributions import services
from commonground.contributions.models import Comment, Report
from commonground.contributions.moderation import dismiss_reports, open_reports
from commonground.core.errors import Conflict, InvalidInput, NotAllowed
from commonground.issues.models import Issue
from commonground.ledger.models import LedgerEntry
from commonground.notifications.models import Notification
from tests.api.conftest import bearer, send
from tests.conftest import World

pytestmark = pytest.mark.django_db

BODY = "Cheap watches at spam.example"


@pytest.fixture
def comment(world: World, issue: Issue) -> Comment:
    return services.add_comment(world.member["civil_society"], issue=issue, body=BODY)


def _report(world: World, group: str, item: Comment, reason: str = "spam", note: str = "") -> None:
    services.report(world.member[group], "comment", item, reason=reason, note=note)


def _steward_notes(world: World) -> list[Notification]:
    return list(Notification.objects.filter(recipient__user=world.steward, kind="report"))


def test_first_report_tells_the_stewards_once_and_nobody_else(
    world: World, comment: Comment
) -> None:
    _report(world, "government", comment, "spam")
    notes = _steward_notes(world)
    assert len(notes) == 1 and "reported (spam)" in notes[0].text and BODY not in notes[0].text
    _report(world, "private_sector", comment, "offensive")
    assert len(_steward_notes(world)) == 1
    assert not Notification.objects.filter(kind="report").exclude(recipient__user=world.steward)


def test_automatic_hiding_tells_the_stewards_again(world: World, comment: Comment) -> None:
    for group in ("government", "private_sector", "academic_technical"):
        _report(world, group, comment)
    notes = _steward_notes(world)
    assert len(notes) == 2 and "hidden automatically" in notes[0].text


def test_queue_counts_open_reports_by_reason_most_reported_first(
    world: World, issue: Issue, comment: Comment
) -> None:
    other = services.add_comment(world.member["private_sector"], issue=issue, body="Fine.")
    _report(world, "government", other, "off_topic")
    _report(world, "government", comment, "spam", note="a link farm")
    _report(world, "private_sector", comment, "offensive")
    entries, total = open_reports(world.steward, world.forum)
    assert total == 2 and [e.item.pk for e in entries] == [comment.pk, other.pk]
    assert entries[0].count == 2 and entries[0].reasons == {"spam": 1, "offensive": 1}
    assert entries[0].notes == ["a link farm"]


def test_only_stewards_see_the_queue(world: World, comment: Comment) -> None:
    with pytest.raises(NotAllowed):
        open_reports(world.member["government"], world.forum)


def test_hiding_closes_the_open_reports(world: World, comment: Comment) -> None:
    _report(world, "government", comment)
    services.moderate(world.steward, "comment", comment, hide=True, reason="Spam.")
    report = Report.objects.get()
    assert report.resolution == "hidden" and report.resolved_by.user == world.steward
    assert open_reports(world.steward, world.forum) == ([], 0)


def test_dismissing_closes_reports_keeps_the_item_and_is_in_the_ledger(
    world: World, comment: Comment
) -> None:
    _report(world, "government", comment)
    _report(world, "private_sector", comment)
    assert dismiss_reports(world.steward, "comment", comment, reason="On topic.") == 2
    comment.refresh_from_db()
    assert not comment.hidden
    entry = LedgerEntry.objects.get(action="report.dismiss")
    assert entry.fields == {"reason": "On topic.", "reports": 2}
    assert entry.actor == world.steward.public_id
    with pytest.raises(Conflict):
        dismiss_reports(world.steward, "comment", comment, reason="Again.")


def test_a_new_report_after_a_dismissal_enters_the_queue_again(
    world: World, comment: Comment
) -> None:
    _report(world, "government", comment)
    dismiss_reports(world.steward, "comment", comment, reason="Fine.")
    _report(world, "private_sector", comment)
    entries, _ = open_reports(world.steward, world.forum)
    assert [e.count for e in entries] == [1]
    assert len(_steward_notes(world)) == 2


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_dismissing_needs_a_reason(world: World, comment: Comment, reason: str) -> None:
    _report(world, "government", comment)
    with pytest.raises(InvalidInput):
        dismiss_reports(world.steward, "comment", comment, reason=reason)
    assert Report.objects.get().resolved_at is None


def test_a_member_cannot_dismiss(world: World, comment: Comment) -> None:
    _report(world, "government", comment)
    with pytest.raises(NotAllowed):
        dismiss_reports(world.member["private_sector"], "comment", comment, reason="No.")
    assert Report.objects.get().resolved_at is None


# -- pages


def test_issue_page_flags_reported_content_to_stewards_only(
    world: World, issue: Issue, comment: Comment
) -> None:
    _report(world, "government", comment)
    steward_page = world.client_for(world.steward).get(issue.get_absolute_url()).content.decode()
    assert "Reported once, waiting for a steward." in steward_page
    member_page = world.client_for(world.member["private_sector"]).get(issue.get_absolute_url())
    assert "waiting for a steward" not in member_page.content.decode()


def test_queue_page_lists_reports_and_acts_in_place(world: World, comment: Comment) -> None:
    _report(world, "government", comment, "spam", note="a link farm")
    steward = world.client_for(world.steward)
    url = reverse("contributions:queue", args=["kenya-igf"])
    page = steward.get(url).content.decode()
    assert BODY in page and "Spam (1)" in page and "a link farm" in page
    assert world.member["government"].public_name not in page  # the reporter
    action = reverse("contributions:queue_action", args=["comment", comment.pk])
    response = steward.post(action, {"action": "hide", "reason": "Spam."})
    assert response.status_code == 302 and response.url == url
    comment.refresh_from_db()
    assert comment.hidden and comment.hidden_reason == "Spam."
    assert "No open reports" in steward.get(url).content.decode()


def test_queue_page_is_for_stewards_only(world: World, comment: Comment) -> None:
    _report(world, "government", comment)
    member = world.client_for(world.member["private_sector"])
    assert member.get(reverse("contributions:queue", args=["kenya-igf"])).status_code == 403
    action = reverse("contributions:queue_action", args=["comment", comment.pk])
    assert member.post(action, {"action": "dismiss", "reason": "x"}).status_code == 403
    assert Report.objects.get().resolved_at is None


def test_notification_links_to_the_queue(world: World, comment: Comment) -> None:
    _report(world, "government", comment)
    page = world.client_for(world.steward).get(reverse("notifications:index")).content.decode()
    assert reverse("contributions:queue", args=["kenya-igf"]) in page


# -- API


def test_api_reports_for_stewards_403_for_members_401_anonymous(
    world: World, comment: Comment, client
) -> None:
    _report(world, "government", comment, "spam", note="a link farm")
    path = "/forums/kenya-igf/reports"
    response = send(client, "GET", path, headers=bearer(world.steward))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["kind"], item["id"], item["open_reports"]) == ("comment", comment.pk, 1)
    assert item["reasons"] == {"spam": 1} and item["notes"] == ["a link farm"]
    assert world.member["government"].public_id not in response.content.decode()
    assert send(client, "GET", path, headers=bearer(world.member["government"])).status_code == 403
    assert send(client, "GET", path).status_code == 401


@pytest.mark.parametrize(
    ("action", "hidden", "ledger"),
    [("hide", True, "moderation.hide"), ("dismiss", False, "report.dismiss")],
)
def test_api_steward_acts_on_a_reported_contribution(
    world: World, comment: Comment, client, action: str, hidden: bool, ledger: str
) -> None:
    _report(world, "government", comment)
    path = f"/contributions/comment/{comment.pk}/moderation"
    body = {"action": action, "reason": "Looked at it."}
    response = send(client, "POST", path, body, headers=bearer(world.steward))
    assert response.status_code == 200
    assert response.json() == {
        "kind": "comment", "id": comment.pk, "hidden": hidden,
        "hidden_reason": "Looked at it." if hidden else "", "open_reports": 0,
    }  # fmt: skip
    assert LedgerEntry.objects.filter(action=ledger).count() == 1


def test_api_restore_and_refusals(world: World, comment: Comment, client) -> None:
    path = f"/contributions/comment/{comment.pk}/moderation"
    steward = bearer(world.steward)
    restore = {"action": "restore", "reason": "Fine."}
    assert send(client, "POST", path, restore, headers=steward).status_code == 409
    hide = {"action": "hide", "reason": "Spam."}
    member = bearer(world.member["government"])
    assert send(client, "POST", path, hide, headers=member).status_code == 403
    assert send(client, "POST", path, hide).status_code == 401
    assert (
        send(client, "POST", path, {"action": "hide", "reason": ""}, headers=steward).status_code
        == 422
    )
    assert send(client, "POST", path, hide, headers=steward).status_code == 200
    assert send(client, "POST", path, restore, headers=steward).json()["hidden"] is False
    missing = "/contributions/comment/999999/moderation"
    assert send(client, "POST", missing, hide, headers=steward).status_code == 404


def test_api_suspension(world: World, client) -> None:
    target = world.member["private_sector"].public_id
    path = f"/forums/kenya-igf/members/{target}/suspension"
    body = {"suspended": True, "reason": "Abuse."}
    member = bearer(world.member["government"])
    assert send(client, "POST", path, body, headers=member).status_code == 403
    assert send(client, "POST", path, body).status_code == 401
    response = send(client, "POST", path, body, headers=bearer(world.steward))
    assert response.status_code == 200 and response.json()["status"] == "suspended"
    assert send(client, "POST", path, body, headers=bearer(world.steward)).status_code == 409
    lift = {"suspended": False, "reason": "Apologised."}
    assert (
        send(client, "POST", path, lift, headers=bearer(world.steward)).json()["status"] == "active"
    )
    outsider = f"/forums/kenya-igf/members/{world.outsider.public_id}/suspension"
    assert send(client, "POST", outsider, body, headers=bearer(world.steward)).status_code == 404


def test_a_member_is_refused_before_the_reason_is_checked(
    world: World, comment: Comment, client
) -> None:
    _report(world, "government", comment)
    member = bearer(world.member["private_sector"])
    path = f"/contributions/comment/{comment.pk}/moderation"
    for action in ("hide", "dismiss"):
        body = {"action": action, "reason": " "}
        assert send(client, "POST", path, body, headers=member).status_code == 403
    target = world.member["academic_technical"].public_id
    suspend = f"/forums/kenya-igf/members/{target}/suspension"
    body = {"suspended": True, "reason": " "}
    assert send(client, "POST", suspend, body, headers=member).status_code == 403
