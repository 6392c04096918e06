"""base.html's chrome ({% readcached_chrome %}: the head's links and scripts, the header
with its navigation and language switch, the footer) kept for anonymous readers, one
copy per language shared by every page: the pages put together from it are the pages
rendered whole, each with its own path in the language switch, in the reader's
language and direction; a member's chrome is rendered for them."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from commonground.core import read_cache_middleware as pages
from commonground.issues.models import Issue
from tests.conftest import World
from tests.web.cached_reads import without_csrf

pytestmark = pytest.mark.django_db

CHROME_PARTS = 5  # head links, head scripts, header, language switch, footer


def _reader(language: str = "") -> Client:
    client = Client()
    if language:
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _chrome_kept() -> int:
    return sum(1 for key in list(pages._PARTS) if key.startswith("chrome\n"))


def _pages(world: World, issue: Issue) -> list[str]:
    slug = world.forum.slug
    return [
        reverse("forums:home"),
        reverse("issues:detail", args=[issue.pk]),
        reverse("issues:index", args=[slug]) + "?sort=new",
        reverse("recognition:agenda", args=[slug]),
        reverse("account_login"),
    ]


@pytest.mark.usefixtures("still_humanize_clock")  # the issue list's "raised N minutes ago"
@pytest.mark.parametrize("language", ["en", "ar", "fr"])
def test_pages_put_together_from_the_kept_chrome_are_the_pages_rendered_whole(
    world: World, issue: Issue, settings: Any, language: str
) -> None:
    urls = _pages(world, issue)
    kept = []
    for url in urls * 2:  # the second time round, every page takes the chrome from memory
        response = _reader(language).get(url)
        assert response.status_code == 200
        kept.append(response.content)
    assert _chrome_kept() == CHROME_PARTS  # one copy for all the pages of this language
    settings.COMMONGROUND_READ_CACHE_SECONDS = 0  # no cache: everything rendered now
    for url, page in zip(urls * 2, kept, strict=True):
        assert without_csrf(page) == without_csrf(_reader(language).get(url).content), url


def test_the_language_switch_of_each_page_returns_to_that_page(world: World, issue: Issue) -> None:
    for url in _pages(world, issue):
        page = _reader().get(url).content
        assert f'name="next" value="{url.replace("&", "&amp;")}"'.encode() in page
        assert b'<a class="skip-link" href="#main">Skip to content</a>' in page
    assert _chrome_kept() == CHROME_PARTS


def test_a_reader_who_switches_to_arabic_gets_the_arabic_chrome_right_to_left(
    world: World, issue: Issue
) -> None:
    url = reverse("issues:detail", args=[issue.pk])
    reader = _reader()
    english = reader.get(url).content
    assert b'dir="ltr"' in english and b'<option value="en" lang="en" selected>' in english
    switched = reader.post(reverse("set_language"), {"language": "ar", "next": url})
    assert switched.status_code == 302 and switched["Location"] == url
    arabic = reader.get(url).content
    assert b'<html lang="ar" dir="rtl">' in arabic
    assert b'<option value="ar" lang="ar" selected>' in arabic
    assert b'<option value="en" lang="en" selected>' not in arabic
    assert "انتقل إلى المحتوى".encode() in arabic  # the skip link, in Arabic
    assert b"Skip to content" not in arabic
    # The English chrome kept before is still the English readers'.
    assert b'<option value="en" lang="en" selected>' in _reader().get(url).content


def test_a_member_gets_their_own_chrome_not_the_anonymous_one(world: World, issue: Issue) -> None:
    url = reverse("issues:detail", args=[issue.pk])
    anonymous = _reader().get(url).content
    assert b"Log in" in anonymous and b"Log out" not in anonymous
    member = world.member["civil_society"]
    page = world.client_for(member).get(url).content
    assert b"Log out" in page and b"Log in" not in page
    assert member.public_name.encode() in page
    assert reverse("notifications:index").encode() in page
    # ...and the member's chrome was not kept for the next anonymous reader.
    again = _reader().get(url).content
    assert b"Log in" in again and b"Log out" not in again


def test_a_chrome_part_that_would_hold_a_block_is_refused() -> None:
    # A page's blocks are looked for outside the chrome's parts: a block inside one would
    # be silently left out of the page.
    from django.template import TemplateSyntaxError, engines

    bad = '{% load readcached %}{% readcached_chrome "x" %}{% block b %}{% endblock %}'
    with pytest.raises(TemplateSyntaxError, match=r"no \{% block %\}"):
        engines["django"].from_string(bad + "{% endreadcached_chrome %}")
