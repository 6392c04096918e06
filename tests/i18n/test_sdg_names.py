"""An SDG topic is shown with the UN's short title in the reader's language; the stored
label (API, open data) stays English, and a member's free tag is shown as written."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client

from commonground.issues.models import Issue
from commonground.issues.services import raise_issue
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _issue(world: World, topics: list[str]) -> Issue:
    return raise_issue(
        world.member["civil_society"], world.forum, title="Rural access",
        description="Why.", topics=topics,
    )  # fmt: skip


def _page(client: Client, url: str, language: str) -> str:
    return unescape(client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode())


def test_the_first_and_the_last_goal_read_in_french_and_arabic(
    world: World, anonymous: Client
) -> None:
    issue = _issue(world, ["SDG 1", "SDG 17"])
    french = _page(anonymous, issue.get_absolute_url(), "fr")
    assert "ODD 1 : Pas de pauvreté" in french
    assert "ODD 17 : Partenariats pour la réalisation des objectifs" in french
    assert "No poverty" not in french
    arabic = _page(anonymous, issue.get_absolute_url(), "ar")
    assert "هدف التنمية المستدامة 17: عقد الشراكات لتحقيق الأهداف" in arabic


def test_the_issue_list_and_its_topic_filter_use_the_reader_s_language(
    world: World, anonymous: Client
) -> None:
    _issue(world, ["SDG 9"])
    page = _page(anonymous, f"/forums/{world.forum.slug}/issues/", "zh-hans")
    assert page.count("可持续发展目标9：产业、创新和基础设施") == 2  # the tag and the filter
    assert "SDG 9: Industry" not in page


def test_a_free_tag_is_shown_as_written_and_the_api_keeps_the_english_label(
    world: World, anonymous: Client
) -> None:
    issue = _issue(world, ["SDG 13", "spectrum policy"])
    page = _page(anonymous, issue.get_absolute_url(), "es")
    assert "ODS 13: Acción por el clima" in page and ">spectrum policy<" in page
    topics = anonymous.get(f"/api/v1/issues/{issue.pk}", HTTP_ACCEPT_LANGUAGE="es").json()["topics"]
    assert {"slug": "sdg-13", "label": "SDG 13: Climate action", "is_sdg": True} in topics
