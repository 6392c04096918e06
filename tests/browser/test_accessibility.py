"""Accessibility smoke checks on the main pages, in Chromium.

Hand-written checks of the basics a screen-reader or keyboard user needs on every
page. Names of controls come from Chromium's own accessibility tree (through the
DevTools protocol), so they are the names assistive technology would announce.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Site, Visitor, tour

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Structure checks done in the page: returns one sentence per problem.
STRUCTURE = """() => {
  const problems = [];
  const describe = (el) => el.outerHTML.slice(0, 140);
  const hidden = (el) => el.closest('[aria-hidden="true"]') !== null;
  if (!document.documentElement.getAttribute("lang")) problems.push("<html> has no lang");
  const mains = document.querySelectorAll("main, [role=main]").length;
  if (mains !== 1) problems.push(`${mains} <main> landmarks, not 1`);
  const h1s = document.querySelectorAll("h1").length;
  if (h1s !== 1) problems.push(`${h1s} <h1> headings, not 1`);
  const controls = document.querySelectorAll(
    'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea');
  for (const el of controls) {
    const named = el.labels.length > 0
      || (el.getAttribute("aria-label") || "").trim()
      || (el.getAttribute("aria-labelledby") || "").trim();
    if (!named) problems.push(`control without label or aria-label: ${describe(el)}`);
  }
  for (const svg of document.querySelectorAll("svg")) {
    if (hidden(svg) || svg.parentElement.closest("svg")) continue;
    const label = (svg.getAttribute("aria-label") || "").trim();
    if (svg.getAttribute("role") !== "img" || !label)
      problems.push(`svg neither role=img with aria-label nor aria-hidden: ${describe(svg)}`);
  }
  for (const img of document.querySelectorAll("img")) {
    if (!hidden(img) && !img.hasAttribute("alt"))
      problems.push(`img without alt: ${describe(img)}`);
  }
  return problems;
}"""

# Roles that a person operates or follows: each needs a name to be announced.
NAMED_ROLES = {
    "button",
    "checkbox",
    "combobox",
    "link",
    "listbox",
    "radio",
    "searchbox",
    "slider",
    "spinbutton",
    "switch",
    "textbox",
}


def _unnamed_in_accessibility_tree(page: Page) -> list[str]:
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
        problems = []
        for node in nodes:
            role = node.get("role", {}).get("value")
            name = str(node.get("name", {}).get("value", "")).strip()
            if node.get("ignored") or role not in NAMED_ROLES or name:
                continue
            described = cdp.send("DOM.describeNode", {"backendNodeId": node["backendDOMNodeId"]})
            element = described["node"]
            tag = f"<{element['localName']} {' '.join(element.get('attributes', []))}>"
            problems.append(f"{role} without a name: {tag}")
        return problems
    finally:
        cdp.detach()


def _check_skip_link(page: Page) -> list[str]:
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
    if not page.evaluate("""document.activeElement.matches('a[href="#main"]')"""):
        return [f"the first Tab stop is not a skip link to #main but {first}"]
    box = page.evaluate("JSON.stringify(document.activeElement.getBoundingClientRect())")
    if not page.locator("a[href='#main']").first.is_visible() or '"x":-' in box:
        return [f"the focused skip link is off screen: {box}"]
    page.keyboard.press("Enter")
    if not page.evaluate("document.activeElement === document.querySelector('main')"):
        return ["the skip link does not move focus to <main>"]
    return []


def test_every_main_page_has_lang_one_main_one_h1_a_skip_link_named_controls_and_charts(
    site: Site, visit
) -> None:
    problems: list[str] = []
    checked = 0
    for name, path, visitor in tour(visit, site):
        visitor.goto(path)
        page = visitor.page
        found = page.evaluate(STRUCTURE) + _unnamed_in_accessibility_tree(page)
        found += _check_skip_link(page)  # the page is freshly loaded: focus is at the top
        problems += [f"{name} ({path}): {p}" for p in found]
        checked += 1
    assert checked >= 7
    assert not problems, "\n".join(problems)


def test_the_checks_find_an_unlabelled_control_an_unnamed_chart_and_a_missing_skip_link(
    browser: Browser,
) -> None:
    """The checks above are only worth something if they can fail: feed them a bad page."""
    page = browser.new_page()
    try:
        page.set_content(
            "<html><body><h1>One</h1><h1>Two</h1><input type=text name=q>"
            "<button></button><svg viewBox='0 0 10 10'><rect width=10 height=10 /></svg>"
            "<a href='/elsewhere'>first link</a></body></html>"
        )
        structure = " | ".join(page.evaluate(STRUCTURE))
        for expected in ("no lang", "0 <main>", "2 <h1>", "control without label", "svg"):
            assert expected in structure, structure
        unnamed = " | ".join(_unnamed_in_accessibility_tree(page))
        assert "button without a name" in unnamed and "textbox without a name" in unnamed
        assert "not a skip link" in " ".join(_check_skip_link(page))
    finally:
        page.close()


def test_keyboard_alone_reaches_and_presses_the_support_button(site: Site, visit) -> None:
    visitor: Visitor = visit()
    visitor.act_as(site.world.member["intergovernmental"])
    visitor.goto(site.candidate.get_absolute_url())
    page = visitor.page
    button = page.get_by_role("button", name="Draw attention: support")
    presses = 0
    while not button.evaluate("el => el === document.activeElement"):
        presses += 1
        assert presses <= 30, "30 presses of Tab from the top never reach the support button"
        page.keyboard.press("Tab")
    outline = button.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none", "the focused support button shows no focus outline"
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("support-count")).to_have_text("2")
    expect(page.get_by_role("button", name="Withdraw my support")).to_be_visible()
