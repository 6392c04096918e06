"""At phone width no main page scrolls sideways, left to right or right to left.

360 px (narrower than the common 390 px phone) is checked in English and in Arabic
(``django_language=ar``), where the layout mirrors.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import Site, tour
from tests.browser.pagecheck import PHONE_NARROW, lang_and_dir, overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _language_cookie(site_url: str, language: str) -> list[dict[str, str]]:
    return [{"name": "django_language", "value": language, "url": site_url}]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_no_main_page_is_wider_than_360_px_left_to_right_or_right_to_left(
    site: Site, visit, live_server, language: str
) -> None:
    overflowing: list[str] = []
    for name, path, visitor in tour(visit, site, viewport=PHONE_NARROW):
        visitor.context.add_cookies(_language_cookie(live_server.url, language))
        visitor.goto(path)
        expected_dir = "rtl" if language == "ar" else "ltr"
        assert lang_and_dir(visitor.page) == (language, expected_dir), name
        if problem := overflow(visitor.page):
            overflowing.append(f"{name} ({path}) is {problem}")
    assert not overflowing, "\n".join(overflowing)


def test_arabic_mirrors_breadcrumbs_and_the_phase_timeline_and_keeps_the_skip_link_on_screen(
    site: Site, visit, live_server
) -> None:
    visitor = visit(viewport=PHONE_NARROW)
    visitor.context.add_cookies(_language_cookie(live_server.url, "ar"))
    visitor.goto(site.forum.get_absolute_url())
    page = visitor.page
    # The phase timeline starts at the right: its first phase right of its last.
    phases = page.locator(".timeline li")
    first, last = phases.first.bounding_box(), phases.last.bounding_box()
    assert first is not None and last is not None
    assert first["x"] > last["x"], "the first phase is not at the right in Arabic"
    # The breadcrumbs read from the right: "Forums" is right of the forum's own crumb.
    crumbs = page.locator(".breadcrumbs li")
    home, here = crumbs.first.bounding_box(), crumbs.last.bounding_box()
    assert home is not None and here is not None and home["x"] > here["x"]
    # The skip link appears at the reading start (the right) and within the page.
    page.keyboard.press("Tab")
    box = page.locator(".skip-link").bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_NARROW["width"]
    assert box["x"] + box["width"] > PHONE_NARROW["width"] / 2, "the skip link is not at the right"
    assert not overflow(page)
