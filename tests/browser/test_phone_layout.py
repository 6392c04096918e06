"""At phone width (390 × 844 CSS pixels) no main page scrolls sideways."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, Site, tour

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The page's width against the viewport, and the widest elements sticking out (to say why).
MEASURE = """() => {
  const inner = window.innerWidth;
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > inner + 0.5) {
      const names = typeof el.className === "string" ? el.className.trim() : "";
      const cls = names ? "." + names.split(/\\s+/).join(".") : "";
      wide.push(`${el.tagName.toLowerCase()}${cls} (right edge ${Math.round(box.right)})`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, inner, wide: wide.slice(0, 6)};
}"""


def test_no_main_page_scrolls_horizontally_at_phone_width(site: Site, visit) -> None:
    overflowing: dict[str, str] = {}
    for name, path, visitor in tour(visit, site, viewport=PHONE):
        visitor.goto(path)
        size = visitor.page.evaluate(MEASURE)
        assert size["inner"] == PHONE["width"]
        if size["scroll"] > size["inner"]:
            overflowing[name] = (
                f"{name} ({path}) is {size['scroll']} px wide at {size['inner']} px: "
                + ", ".join(size["wide"])
            )
    assert not overflowing, "\n".join(overflowing.values())
