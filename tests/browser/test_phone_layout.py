"""At phone width (390 × 844 CSS pixels) no main page scrolls sideways."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, Site, tour

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Pages that scroll sideways today because of a stylesheet bug (reported; not ours to fix
# here): below 860 px `.layout-side` switches to `grid-template-columns: 1fr`, whose
# automatic minimum is the min-content width of its widest child, so the phase timeline
# and the tables widen the page instead of scrolling inside their `overflow-x: auto`
# boxes; `minmax(0, 1fr)` fixes all three. The test is an expected failure while any of
# these overflows, and fails outright when a page outside this set overflows or when a
# listed page fits (then delete it from the set).
KNOWN_OVERFLOW = frozenset({"forum", "issue", "agenda"})

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
    unexpected = [text for name, text in overflowing.items() if name not in KNOWN_OVERFLOW]
    assert not unexpected, "\n".join(unexpected)
    fixed = sorted(KNOWN_OVERFLOW - overflowing.keys())
    assert not fixed, f"{fixed} fit the phone width now: remove them from KNOWN_OVERFLOW"
    pytest.xfail("known stylesheet bug:\n" + "\n".join(overflowing.values()))
