"""Following an issue: contributors follow it, followers are told of new contributions."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from commonground.contributions import services
from commonground.core.errors import NotAllowed
from commonground.issues.models import Issue
from commonground.notifications import services as notifications
from commonground.notifications.models import Follow, Notification
from tests.conftest import World
from tests.contributions.conftest import signal_fields

pytestmark = pytest.mark.django_db


def test_followers_hear_of_new_contributions_but_not_of_their_own(
    world: World, issue: Issue
) -> None:
    civil = world.member["civil_society"]
    client = world.client_for(civil)
    response = client.post(reverse("notifications:follow", args=[issue.pk]))
    assert response.status_code == 302
    services.signal_concern(world.member["government"], issue, **signal_fields("government"))
    services.add_comment(civil, issue=issue, body="Mine")
    services.add_comment(world.member["private_sector"], issue=issue, body="Theirs")
    texts = list(
        Notification.objects.filter(recipient=world.membership["civil_society"]).values_list(
            "text", flat=True
        )
    )
    assert len(texts) == 2
    assert any("signalled concern (KE)" in t for t in texts)
    assert not any("Mine" in t or "Theirs" in t for t in texts)  # never the text itself
    # The government member follows since signalling, and hears of the later comments.
    assert Notification.objects.filter(recipient=world.membership["government"]).count() == 2
    page = client.get(reverse("notifications:index"))
    assert page.status_code == 200 and "2 unread" in page.content.decode()
    client.post(reverse("notifications:index"))
    assert not Notification.objects.filter(
        recipient=world.membership["civil_society"], read_at__isnull=True
    ).exists()


def test_unfollowing_stops_notifications(world: World, issue: Issue) -> None:
    civil = world.member["civil_society"]
    notifications.follow_issue(civil, issue)
    client = world.client_for(civil)
    client.post(reverse("notifications:follow", args=[issue.pk]), {"action": "unfollow"})
    assert not Follow.objects.filter(membership=world.membership["civil_society"]).exists()
    services.add_comment(world.member["government"], issue=issue, body="Hello")
    assert not Notification.objects.filter(recipient=world.membership["civil_society"]).exists()


def test_outsiders_cannot_follow_and_notifications_are_private(world: World, issue: Issue) -> None:
    with pytest.raises(NotAllowed):
        notifications.follow_issue(world.outsider, issue)
    notifications.follow_issue(world.member["civil_society"], issue)
    services.add_comment(world.member["government"], issue=issue, body="Hello")
    other = world.client_for(world.member["private_sector"])
    assert "0 unread" in other.get(reverse("notifications:index")).content.decode()
    anonymous = world.client_for(None).get(reverse("notifications:index"))
    assert anonymous.status_code == 302


def _header_link(html: str) -> str:
    """The header's Notifications link, or "" when there is none."""
    match = re.search(r'<a href="/notifications/" class="nav-notifications">(.*?)</a>', html)
    return re.sub(r"<[^>]+>", "", match.group(1)) if match else ""


def test_header_links_to_notifications_with_the_unread_count_on_every_page(
    world: World, issue: Issue
) -> None:
    civil = world.member["civil_society"]  # raised the issue, so follows it
    client = world.client_for(civil)
    pages = ["/", issue.get_absolute_url(), f"/forums/{world.forum.slug}/moderation/"]
    for path in pages:
        assert _header_link(client.get(path).content.decode()) == "Notifications"
    services.add_comment(world.member["government"], issue=issue, body="One")
    services.add_comment(world.member["private_sector"], issue=issue, body="Two")
    for path in pages:
        assert _header_link(client.get(path).content.decode()) == "Notifications 2 unread"
    # Others' counts are their own; anonymous visitors have no link.
    other = world.client_for(world.member["academic_technical"]).get("/").content.decode()
    assert _header_link(other) == "Notifications"
    assert _header_link(world.client_for(None).get("/").content.decode()) == ""
    client.post(reverse("notifications:index"))
    assert _header_link(client.get("/").content.decode()) == "Notifications"
