"""At phone width (390 × 844 CSS pixels) no main page scrolls sideways."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, Site, tour
from tests.browser.pagecheck import overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_main_page_scrolls_horizontally_at_phone_width(site: Site, visit) -> None:
    overflowing: dict[str, str] = {}
    for name, path, visitor in tour(visit, site, viewport=PHONE):
        visitor.goto(path)
        assert visitor.page.evaluate("window.innerWidth") == PHONE["width"]
        if problem := overflow(visitor.page):
            overflowing[name] = f"{name} ({path}) is {problem}"
    assert not overflowing, "\n".join(overflowing.values())
