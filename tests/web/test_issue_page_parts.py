"""The issue page's parts that no support moves ({% readcached_part %} in
issues/issue_detail.html: the head's title and author, its translation notices and
topics, the dialogue list): rendered once for anonymous readers until a broad change
(``all``), and put together with what a support moves into the page rendered whole."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

import pytest
from django.contrib.humanize.templatetags import humanize
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonground.dialogue import services as dialogue
from commonground.issues.models import Issue
from commonground.issues.services import edit_issue, support_issue
from tests.conftest import World
from tests.web.cached_reads import read_with_sql, without_csrf

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("still_humanize_clock")
def test_after_a_support_the_dialogue_list_comes_from_memory_and_a_new_conversation_shows(
    world: World, issue: Issue, settings: Any
) -> None:
    url = reverse("issues:detail", args=[issue.pk])
    dialogue.open_conversation(world.steward, issue, topic="Rural spectrum")
    first, sql = read_with_sql(Client(), url)
    assert b"Rural spectrum" in first and "dialogue_conversation" in sql
    support_issue(world.member["government"], issue)  # the page renders again...
    again, sql = read_with_sql(Client(), url)
    assert "issues_support" in sql or "issues_issue" in sql
    assert "dialogue_conversation" not in sql  # ...its dialogue list taken from memory
    assert b"Rural spectrum" in again and b"Affordable rural connectivity" in again
    settings.COMMONGROUND_READ_CACHE_SECONDS = 0  # no cache: everything rendered now
    assert without_csrf(again) == without_csrf(Client().get(url).content)
    settings.COMMONGROUND_READ_CACHE_SECONDS = 60
    dialogue.open_conversation(world.steward, issue, topic="Community networks")  # all
    latest, sql = read_with_sql(Client(), url)
    assert "dialogue_conversation" in sql
    assert b"Community networks" in latest and b"Rural spectrum" in latest


def test_the_time_since_an_edit_is_current_on_a_page_put_together_from_parts(
    world: World, issue: Issue, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit_issue(
        world.member["civil_society"],
        issue,
        title="Affordable connectivity for villages",
        description="Villages pay more.",
        topics=["access"],
    )
    # Raised a day before its edit (in one test the two fall in the same second).
    Issue.objects.filter(pk=issue.pk).update(raised_at=F("updated_at") - timedelta(days=1))
    issue.refresh_from_db()
    later = [timedelta(0)]

    class MovedClock(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> MovedClock:
            moment = issue.updated_at + later[0]
            return cls.fromtimestamp(moment.timestamp(), tz or timezone.get_current_timezone())

    monkeypatch.setattr(humanize, "datetime", MovedClock)
    url = reverse("issues:detail", args=[issue.pk])
    later[0] = timedelta(minutes=3)
    assert b"edited 3\xc2\xa0minutes ago" in Client().get(url).content  # the parts kept
    later[0] = timedelta(minutes=9)
    support_issue(world.member["government"], issue)  # rendered again with those parts
    page = Client().get(url).content
    assert b"edited 9\xc2\xa0minutes ago" in page
    assert b"Affordable connectivity for villages" in page


@pytest.mark.usefixtures("still_humanize_clock")
def test_a_steward_gets_the_parts_rendered_for_them_not_the_anonymous_ones(
    world: World, issue: Issue
) -> None:
    url = reverse("issues:detail", args=[issue.pk])
    create = reverse("dialogue:create", args=[issue.pk]).encode()
    assert create not in Client().get(url).content  # the anonymous parts, kept
    assert create in world.client_for(world.steward).get(url).content
