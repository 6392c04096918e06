"""A long discussion in the browser: "Show N earlier comments" loads them in place, with
focus on the announcement of what was loaded, and every page of it passes axe, in a
left-to-right and a right-to-left language."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from commonground.contributions import services
from commonground.contributions.discussion import THREADS_SHOWN
from tests.browser.conftest import Site
from tests.browser.pagecheck import axe_violations, lang_and_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WRITERS = ["government", "civil_society", "private_sector", "academic_technical"]


def _long_discussion(site: Site, settings: Any, threads: int) -> list[int]:
    settings.COMMONGROUND_RATE_LIMITS = {"comments_per_hour": 1000}
    return [
        services.add_comment(
            site.world.member[WRITERS[i % len(WRITERS)]],
            issue=site.recognized,
            body=f"Thread number {i} here.",
        ).pk
        for i in range(threads)
    ]


def test_earlier_comments_load_in_place_with_focus_on_what_was_loaded(
    site: Site, visit: Any, settings: Any
) -> None:
    heads = _long_discussion(site, settings, THREADS_SHOWN + 2)
    # The site's issue starts with one comment of its own: three threads are earlier.
    visitor = visit()
    visitor.act_as(site.world.member["civil_society"])
    visitor.goto(site.recognized.get_absolute_url())
    page = visitor.page
    assert axe_violations(page) == []
    expect(page.locator(f"#comment-{heads[0]}")).to_have_count(0)
    url = page.url
    page.get_by_role("link", name="Show 3 earlier comments").click()
    expect(page.locator(f"#comment-{heads[0]}")).to_contain_text("Thread number 0 here.")
    expect(page.locator(f"#comment-{heads[1]}")).to_be_visible()
    assert page.url == url  # loaded in place, not a new page
    # Focus moves when htmx settles the swap, a moment after the comments appear: waited
    # for (the page body holds it until then).
    expect(page.locator(":focus")).to_have_text("3 earlier comments shown.")
    expect(page.get_by_role("link", name="Show 3 earlier comments")).to_have_count(0)
    assert axe_violations(page) == []
    assert not visitor.problems, visitor.problems


def test_the_earlier_comments_page_passes_axe_left_to_right_and_right_to_left(
    site: Site, visit: Any, settings: Any
) -> None:
    heads = _long_discussion(site, settings, THREADS_SHOWN + 1)
    path = f"/issues/{site.recognized.pk}/discussion/?before={heads[1]}"
    for language, direction in (("en", "ltr"), ("ar", "rtl")):
        visitor = visit(extra_http_headers={"Accept-Language": language})
        visitor.goto(path)
        assert lang_and_dir(visitor.page)[1] == direction
        expect(visitor.page.locator(f"#comment-{heads[0]}")).to_be_visible()
        assert axe_violations(visitor.page) == [], language
        assert not visitor.problems, visitor.problems
