"""Text members write takes its own direction (``dir="auto"``) and, when its language is
known and is not the page's, its ``lang``: Arabic in an English page and Latin text in
an Arabic page lay out as they are written."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from commonground.contributions.services.comments import add_comment
from commonground.contributions.services.solutions import propose_solution
from commonground.dialogue import services as dialogue
from commonground.issues.models import Issue
from commonground.issues.services import raise_issue
from tests.conftest import World

pytestmark = pytest.mark.django_db

ARABIC_TITLE = "الوصول إلى الطيف للشبكات المجتمعية"


def _arabic_issue(world: World) -> Issue:
    return raise_issue(
        world.member["civil_society"], world.forum, title=ARABIC_TITLE,
        description="تحتاج الشبكات الريفية إلى تراخيص.", language="ar",
    )  # fmt: skip


def _opening_tag(html: str, text: str) -> str:
    """The opening tag of the first element in the body whose content starts with ``text``."""
    end = html.index(">" + text, html.index("<body"))
    return html[html.rindex("<", 0, end) : end + 1]


def test_an_arabic_issue_in_an_english_page_has_auto_direction_and_lang_ar(
    world: World, anonymous: Client
) -> None:
    issue = _arabic_issue(world)
    html = anonymous.get(issue.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _opening_tag(html, ARABIC_TITLE) == '<h1 id="issue-title" dir="auto" lang="ar">'
    assert '<div class="prose" dir="auto" lang="ar">' in html
    listing = anonymous.get(f"/forums/{world.forum.slug}/issues/").content.decode()
    assert 'dir="auto" lang="ar">' + ARABIC_TITLE in listing


def test_in_an_arabic_page_the_same_issue_keeps_auto_direction_without_a_lang(
    world: World, anonymous: Client
) -> None:
    issue = _arabic_issue(world)
    html = anonymous.get(issue.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert _opening_tag(html, ARABIC_TITLE) == '<h1 id="issue-title" dir="auto">'


def test_a_latin_comment_and_statement_in_an_arabic_page_take_their_own_direction(
    world: World, anonymous: Client
) -> None:
    issue = _arabic_issue(world)
    add_comment(world.member["private_sector"], issue=issue, body="Latin text in a comment.")
    conversation = dialogue.open_conversation(
        world.steward, issue, topic="Spectrum", moderation="open"
    )
    dialogue.add_statement(world.steward, conversation, "Licences should be cheaper.")
    page = anonymous.get(issue.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    comment = re.search(r'<div class="prose"[^>]*>\s*<p>Latin text in a comment', page)
    assert comment is not None and 'dir="auto"' in comment.group(0)
    client = world.client_for(world.member["government"])
    vote = client.get(conversation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="auto">Licences should be cheaper.' in vote


def test_a_spanish_solution_in_an_english_page_has_lang_es_and_an_english_one_none(
    world: World, anonymous: Client
) -> None:
    issue = _arabic_issue(world)
    spanish = propose_solution(
        world.member["private_sector"], issue, title="Licencias comunitarias",
        description="Un régimen de licencias.", language="es",
    )  # fmt: skip
    english = propose_solution(
        world.member["government"], issue, title="Community licences",
        description="A licence regime.", language="en",
    )  # fmt: skip
    html = anonymous.get(issue.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'id="solution-{spanish.pk}-title" dir="auto" lang="es">' in html
    assert f'id="solution-{english.pk}-title" dir="auto">' in html
