"""Daily e-mail digests of notifications, for subscribers only, at most once a day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from commonground.contributions import services
from commonground.contributions.digests import send_digests
from commonground.issues.models import Issue
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_subscribers_get_one_digest_a_day_with_their_unread_notifications(
    world: World, issue: Issue
) -> None:
    civil, gov = world.member["civil_society"], world.member["government"]
    services.follow_issue(civil, issue)
    services.follow_issue(gov, issue)
    client = world.client_for(civil)
    client.post(reverse("contributions:notifications"), {"digest": "on"})
    services.add_comment(world.member["private_sector"], issue=issue, body="Secret body")
    now = timezone.now()
    assert send_digests(now=now, base_url="https://forum.example") == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [civil.email]
    body = mail.outbox[0].body
    assert "commented on “Affordable rural connectivity”" in body
    assert f"https://forum.example/issues/{issue.pk}/" in body and "Secret body" not in body
    # Nothing new, or too soon: no second e-mail.
    services.add_comment(world.member["private_sector"], issue=issue, body="More")
    assert send_digests(now=now + timedelta(hours=1)) == 0
    assert send_digests(now=now + timedelta(days=1)) == 1
    assert "1 new" in mail.outbox[1].subject
    # Unsubscribing stops them.
    client.post(reverse("contributions:notifications"), {"digest": "off"})
    services.add_comment(world.member["private_sector"], issue=issue, body="Again")
    assert send_digests(now=now + timedelta(days=3)) == 0


def test_command_reports_how_many_were_sent(world: World, issue: Issue, capsys) -> None:
    call_command("send_digests")
    assert "Sent 0 digests." in capsys.readouterr().out
