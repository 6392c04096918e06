"""Notification e-mail: immediate (after commit only), daily digest, or off (the default)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commonground.contributions import services
from commonground.contributions.models import Comment
from commonground.issues.models import Issue
from commonground.notifications import services as notifications
from commonground.notifications.email import mode_of, send_digests
from commonground.notifications.models import Notification
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _choose(world: World, group: str, mode: str) -> Any:
    client = world.client_for(world.member[group])
    return client.post(reverse("notifications:index"), {"email": mode})


def test_the_notifications_page_offers_immediate_daily_and_off(world: World) -> None:
    client = world.client_for(world.member["civil_society"])
    html = client.get(reverse("notifications:index")).content.decode()
    for mode in ("immediate", "daily", "off"):
        assert f'name="email" value="{mode}"' in html
    assert 'value="off" checked' in html  # nobody gets e-mail they did not ask for
    for mode in ("immediate", "daily", "off"):
        response = _choose(world, "civil_society", mode)
        assert response.status_code == 302
        assert mode_of(world.member["civil_society"]) == mode
    page = client.get(reverse("notifications:index")).content.decode()
    assert 'value="off" checked' in page


def test_an_unknown_mode_is_refused_and_changes_nothing(world: World) -> None:
    _choose(world, "civil_society", "daily")
    response = _choose(world, "civil_society", "hourly")
    assert response.status_code == 400 and "Unknown e-mail setting" in response.content.decode()
    assert mode_of(world.member["civil_society"]) == "daily"


def test_immediate_mail_is_sent_once_after_commit(
    world: World, issue: Issue, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.COMMONGROUND_SITE_URL = "https://forum.example"
    _choose(world, "civil_society", "immediate")  # Cecile raised the issue, so she follows it
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.add_comment(world.member["private_sector"], issue=issue, body="Secret body")
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.member["civil_society"].email]
    assert "commented on “Affordable rural connectivity”" in message.subject
    assert f"https://forum.example/issues/{issue.pk}/" in message.body
    assert "Secret body" not in message.body


def test_a_rolled_back_change_sends_nothing(
    world: World, issue: Issue, django_capture_on_commit_callbacks: Any
) -> None:
    _choose(world, "civil_society", "immediate")

    class Abort(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        services.add_comment(world.member["private_sector"], issue=issue, body="Undone")
        raise Abort
    assert callbacks == [] and mail.outbox == []
    assert not Comment.objects.exists() and not Notification.objects.exists()


def test_only_immediate_followers_get_an_immediate_mail(
    world: World, issue: Issue, django_capture_on_commit_callbacks: Any
) -> None:
    for group, mode in (("civil_society", "daily"), ("government", "immediate")):
        notifications.follow_issue(world.member[group], issue)
        _choose(world, group, mode)
    notifications.follow_issue(world.member["academic_technical"], issue)  # never chose: off
    with django_capture_on_commit_callbacks(execute=True):
        services.propose_solution(
            world.member["private_sector"], issue, title="Fund it", description="Subsidies."
        )
    assert [m.to for m in mail.outbox] == [[world.member["government"].email]]
    # The actor hears nothing of their own contribution, whatever their setting.
    _choose(world, "private_sector", "immediate")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(world.member["private_sector"], issue=issue, body="Mine")
    assert world.member["private_sector"].email not in [m.to[0] for m in mail.outbox]


def test_daily_digest_once_a_day_with_unread_notifications(world: World, issue: Issue) -> None:
    civil, gov = world.member["civil_society"], world.member["government"]
    notifications.follow_issue(civil, issue)
    notifications.follow_issue(gov, issue)
    _choose(world, "civil_society", "daily")
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
    # Switching to immediate or off stops the digests.
    for mode in ("immediate", "off"):
        _choose(world, "civil_society", mode)
        services.add_comment(world.member["private_sector"], issue=issue, body="Again")
        assert send_digests(now=now + timedelta(days=3)) == 0


def test_command_reports_how_many_were_sent(world: World, issue: Issue, capsys: Any) -> None:
    call_command("send_digests")
    assert "Sent 0 digests." in capsys.readouterr().out
