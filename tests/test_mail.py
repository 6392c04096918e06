"""E-mails carry the site's name and absolute links, and greet people by name (issue 11.10)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from commonground.contributions.services import add_comment
from commonground.issues.models import Issue
from commonground.notifications.email import send_digests, set_mode
from tests.conftest import World

pytestmark = pytest.mark.django_db(transaction=True)

PASS = "a-long-pass-phrase-9"
# A path written without its site: "/issues/4/", "/accounts/confirm-email/..."
BARE_PATH = re.compile(r"(?<![\w.:/-])/(?:issues|notifications|accounts|forums)/\S*")
LINK = re.compile(r"https?://[^\s>\"]+")


def links_are_absolute(body: str) -> None:
    assert BARE_PATH.findall(body) == [], body
    for link in LINK.findall(body):
        assert link.startswith(settings.COMMONGROUND_SITE_URL + "/"), link


def test_every_mail_names_the_site_and_links_absolutely(
    world: World, issue: Issue, mailoutbox: list[Any]
) -> None:
    # Sign-up: the confirmation mail, with the name given at sign-up.
    Client(HTTP_HOST="127.0.0.1:8731").post(
        "/accounts/signup/",
        {"email": "nia@example.org", "display_name": "Nia Newcomer", "password1": PASS,
         "password2": PASS},
    )  # fmt: skip
    # A password reset.
    Client().post("/accounts/password/reset/", {"email": world.member["government"].email})
    # A notification sent at once, and a daily digest.
    set_mode(world.member["civil_society"], "immediate")
    set_mode(world.member["government"], "daily")
    add_comment(world.member["government"], issue=issue, body="Seen it too.")
    add_comment(world.member["private_sector"], issue=issue, body="And here.")
    assert send_digests() >= 0
    kinds = [m.subject for m in mailoutbox]
    assert len(mailoutbox) >= 3, kinds

    confirmation = mailoutbox[0]
    assert confirmation.to == ["nia@example.org"]
    assert confirmation.subject.startswith("[Common Ground] "), confirmation.subject
    # The request named the host "127.0.0.1:8731"; the mail names the site and its address.
    assert "127.0.0.1:8731" not in confirmation.subject + confirmation.body
    assert "Nia Newcomer" in confirmation.body and "Participant p" not in confirmation.body
    for mail in mailoutbox:
        assert mail.subject.startswith(("[Common Ground] ", "Common Ground: ")), mail.subject
        links_are_absolute(mail.body)
        assert LINK.search(mail.body), mail.body
