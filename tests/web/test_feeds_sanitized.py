"""Atom feeds carry the same sanitized HTML as the pages, or escaped plain text (issue 11.1).

Every user-written field that reaches a feed (titles, descriptions, statements, advice,
comments, moderation reasons, agenda titles) is filled with each payload of the sanitizer
tests; every feed the site serves is then read the way a feed reader would: the text of
an element declared ``type="html"`` is parsed as HTML, and must hold no script, event
handler, style or non-http(s) URL.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern

from commonground import feeds
from commonground.contributions import services as contributions
from commonground.forums.services import advance_cycle, update_recognition_settings
from commonground.issues.models import Issue
from commonground.issues.services import raise_issue, support_issue
from commonground.notifications import limits
from commonground.recognition.services import publish_agenda
from tests.conftest import World
from tests.markup import unsafe_markup
from tests.test_markdown_sanitizer import PAYLOADS

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def hostile(world: World, settings: Any) -> list[Issue]:
    """One issue per payload, with the payload in every field a feed shows."""
    settings.COMMONGROUND_RATE_LIMITS = dict.fromkeys(limits.DEFAULTS, 0)
    member = world.member
    update_recognition_settings(
        None, world.forum, min_groups=1, min_supporters=1, min_share=0.0, agenda_slots=100
    )
    issues = []
    for payload in PAYLOADS:
        issue = raise_issue(
            member["civil_society"], world.forum, title=payload, description=payload
        )
        support_issue(member["government"], issue)
        contributions.signal_concern(
            member["government"], issue, jurisdiction="KE", priority="high", statement=payload
        )
        solution = contributions.propose_solution(
            member["private_sector"], issue, title=payload, description=payload
        )
        contributions.give_advice(
            member["academic_technical"],
            solution,
            feasibility="feasible",
            conditions=payload,
            benefits=payload,
            risks=payload,
        )
        comment = contributions.add_comment(
            member["internet_institution"], issue=issue, body=payload
        )
        contributions.moderate(world.steward, "comment", comment, hide=True, reason=payload)
        contributions.moderate(world.steward, "comment", comment, hide=False, reason=payload)
        issues.append(issue)
    advance_cycle(None, world.forum)
    publish_agenda(world.steward, world.forum)
    return issues


def feed_urls(world: World, issues: list[Issue]) -> list[str]:
    """The address of every feed the site serves, for the forum and each issue."""
    urls = []
    for pattern in feeds.urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        if "<slug:slug>" in route:
            urls.append("/" + route.replace("<slug:slug>", world.forum.slug))
        elif "<int:pk>" in route:
            urls.extend("/" + route.replace("<int:pk>", str(issue.pk)) for issue in issues)
        else:
            raise AssertionError(f"a feed route this test does not know how to fill: {route}")
    return urls


def html_parts(root: ET.Element) -> list[str]:
    """The text of every element a feed reader renders as HTML."""
    parts = []
    for element in root.iter():
        kind = element.get("type", "text")
        if kind in {"html", "xhtml"}:
            parts.append(
                element.text or "" if kind == "html" else ET.tostring(element, encoding="unicode")
            )
        else:
            assert kind == "text" or kind.startswith(("text/", "application/")), kind
    return parts


def test_feeds_carry_no_unsafe_markup_from_any_payload(world: World, hostile: list[Issue]) -> None:
    urls = feed_urls(world, hostile)
    assert len(urls) == 3 + len(PAYLOADS)
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 200, url
        root = ET.fromstring(response.content)
        entries = list(root.iter(f"{ATOM}entry"))
        assert entries, url
        for html in html_parts(root):
            assert unsafe_markup(html) == [], (url, html)


def test_issue_feed_summary_is_the_sanitized_html_of_the_page(
    world: World, hostile: list[Issue]
) -> None:
    response = Client().get(f"/forums/{world.forum.slug}/feeds/issues.atom")
    root = ET.fromstring(response.content)
    summaries = {
        entry.findtext(f"{ATOM}id", ""): entry.findtext(f"{ATOM}summary", "")
        for entry in root.iter(f"{ATOM}entry")
    }
    for issue in hostile:
        [summary] = [
            text for key, text in summaries.items() if key.endswith(f"/issues/{issue.pk}/")
        ]
        assert summary == issue.description_html
        page = Client().get(f"/issues/{issue.pk}/").content.decode()
        assert issue.description_html in page


def test_plain_text_in_feeds_is_escaped_not_rendered(world: World, hostile: list[Issue]) -> None:
    # The moderation reason and the agenda's issue titles are plain text: a feed reader must
    # show "<img ...>" as characters, so the HTML summary holds it escaped.
    for name in ("moderation", "agenda"):
        response = Client().get(f"/forums/{world.forum.slug}/feeds/{name}.atom")
        root = ET.fromstring(response.content)
        text = " ".join(entry.findtext(f"{ATOM}summary", "") for entry in root.iter(f"{ATOM}entry"))
        assert "&lt;img src=x onerror=alert(1)&gt;" in text, name
        assert not re.search(r"<img\b", text), name
