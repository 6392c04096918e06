"""Each follower reads a notification in their own language."""

from __future__ import annotations

import pytest
from django.utils import translation

from commonground.contributions.services import add_comment
from commonground.core.labels import group_label
from commonground.issues.models import Issue
from commonground.notifications.models import Notification
from commonground.notifications.services import follow
from commonground.participants.services import set_language
from tests.conftest import World

pytestmark = pytest.mark.django_db

MESSAGE = "%(name)s (%(group)s) commented on “%(title)s”"


def test_a_notification_is_written_in_each_recipient_s_language(world: World, issue: Issue) -> None:
    french, default = world.member["civil_society"], world.member["private_sector"]
    set_language(french, "fr")
    for member in (french, default):
        follow(world.membership[member_group(world, member)], issue)
    commenter = world.member["academic_technical"]
    add_comment(commenter, issue=issue, body="Seen it too.")
    texts = {
        n.recipient.user_id: n.text
        for n in Notification.objects.filter(issue=issue).select_related("recipient")
    }
    for member, language in ((french, "fr"), (default, "en")):
        with translation.override(language):
            expected = translation.gettext(MESSAGE) % {
                "name": commenter.public_name,
                "group": group_label("academic_technical"),
                "title": issue.title,
            }
        assert texts[member.pk] == expected


def member_group(world: World, member: object) -> str:
    return next(g for g, m in world.member.items() if m == member)
