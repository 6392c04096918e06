"""E-mails go out in the recipient's language, with absolute links."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from commonground.contributions.services import add_comment
from commonground.issues.models import Issue
from commonground.notifications.email import send_digests, set_mode
from commonground.participants.services import set_language
from tests.conftest import World
from tests.test_mail import links_are_absolute

pytestmark = pytest.mark.django_db(transaction=True)


def _in(language: str, message: str, **values: Any) -> str:
    with translation.override(language):
        return translation.gettext(message) % values


def test_a_password_reset_mail_is_in_the_member_s_language_not_the_request_s(
    world: World, mailoutbox: list[Any]
) -> None:
    member = world.member["government"]
    set_language(member, "fr")
    Client().post("/accounts/password/reset/", {"email": member.email}, HTTP_ACCEPT_LANGUAGE="ru")
    (mail,) = mailoutbox
    with translation.override("fr"):
        subject = render_to_string("account/email/password_reset_key_subject.txt").strip()
    assert mail.subject == f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}"
    with translation.override("en"):
        english = render_to_string("account/email/password_reset_key_subject.txt").strip()
    assert subject != english  # allauth's French catalog
    links_are_absolute(mail.body)


def test_notification_mails_and_digests_are_in_each_recipient_s_language(
    world: World, issue: Issue, mailoutbox: list[Any]
) -> None:
    at_once, daily = world.member["civil_society"], world.member["government"]
    set_language(at_once, "es")
    set_language(daily, "ar")
    set_mode(at_once, "immediate")
    set_mode(daily, "daily")
    add_comment(world.member["government"], issue=issue, body="Seen it too.")
    add_comment(world.member["private_sector"], issue=issue, body="And here.")
    send_digests()
    page = f"{settings.COMMONGROUND_SITE_URL}/notifications/"
    immediate = [m for m in mailoutbox if m.to == [at_once.email]]
    digests = [m for m in mailoutbox if m.to == [daily.email]]
    assert immediate and digests
    for mail in immediate:
        assert _in("es", "Change your e-mail setting on %(url)s", url=page) in mail.body
        links_are_absolute(mail.body)
    (digest,) = digests
    assert _in("ar", "Change or stop these e-mails on %(url)s", url=page) in digest.body
    assert digest.subject == _in(
        "ar", "%(site)s: %(count)s new on the issues you follow",
        site=settings.COMMONGROUND_SITE_NAME, count=1,
    )  # fmt: skip
    links_are_absolute(digest.body)
