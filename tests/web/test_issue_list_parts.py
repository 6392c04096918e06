"""The issue list's parts that no support moves ({% readcached_part %} in
issues/issue_list.html: the filter form, each issue's title and author, its signals and
topics): rendered once for anonymous readers until a broad change (``all``), and put
together with the counts and bars a support moves into the list rendered whole."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

import pytest
from django.contrib.humanize.templatetags import humanize
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonground.issues.models import Issue
from commonground.issues.services import raise_issue, support_issue
from tests.conftest import World
from tests.web.cached_reads import read_with_sql, without_csrf

pytestmark = pytest.mark.django_db

# The filter form's topics: those of the cycle's issues, each once.
FILTER_TOPICS = "SELECT DISTINCT"


@pytest.mark.usefixtures("still_humanize_clock")
def test_after_a_support_the_list_takes_its_filters_and_items_from_memory_and_a_new_issue_shows(
    world: World, issue: Issue, settings: Any
) -> None:
    url = reverse("issues:index", args=[world.forum.slug])
    first, sql = read_with_sql(Client(), url)
    assert FILTER_TOPICS in sql and b"Affordable rural connectivity" in first
    support_issue(world.member["government"], issue)  # the list renders again...
    again, sql = read_with_sql(Client(), url)
    assert "issues_issue" in sql
    assert FILTER_TOPICS not in sql  # ...its filter form taken from memory
    assert b"<strong>1</strong><span>support</span>" in again
    settings.COMMONGROUND_READ_CACHE_SECONDS = 0  # no cache: everything rendered now
    assert without_csrf(again) == without_csrf(Client().get(url).content)
    settings.COMMONGROUND_READ_CACHE_SECONDS = 60
    raise_issue(  # a broad change: the parts render again
        world.member["government"],
        world.forum,
        title="Spectrum for community networks",
        description="Licences cost too much.",
        topics=["spectrum"],
    )
    latest, sql = read_with_sql(Client(), url)
    assert FILTER_TOPICS in sql
    assert b"Spectrum for community networks" in latest
    assert b'<option value="spectrum"' in latest


def test_the_time_since_an_issue_was_raised_is_current_on_a_list_put_together_from_parts(
    world: World, issue: Issue, monkeypatch: pytest.MonkeyPatch
) -> None:
    Issue.objects.filter(pk=issue.pk).update(raised_at=F("raised_at") - timedelta(days=1))
    issue.refresh_from_db()
    later = [timedelta(0)]

    class MovedClock(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> MovedClock:
            moment = issue.raised_at + later[0]
            return cls.fromtimestamp(moment.timestamp(), tz or timezone.get_current_timezone())

    monkeypatch.setattr(humanize, "datetime", MovedClock)
    url = reverse("issues:index", args=[world.forum.slug])
    later[0] = timedelta(minutes=3)
    assert b"raised 3\xc2\xa0minutes ago" in Client().get(url).content  # the parts kept
    later[0] = timedelta(minutes=9)
    support_issue(world.member["government"], issue)  # rendered again with those parts
    assert b"raised 9\xc2\xa0minutes ago" in Client().get(url).content


@pytest.mark.usefixtures("still_humanize_clock")
def test_a_member_who_supports_sees_it_marked_in_the_list_the_anonymous_parts_aside(
    world: World, issue: Issue
) -> None:
    url = reverse("issues:index", args=[world.forum.slug])
    Client().get(url)  # the anonymous parts, kept
    member = world.member["government"]
    support_issue(member, issue)
    assert "you support this" in world.client_for(member).get(url).content.decode()
    assert "you support this" not in Client().get(url).content.decode()
