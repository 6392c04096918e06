"""The Content-Security-Policy holds: the main pages load with no console error at all.

Chromium logs every CSP violation and every failed load (a 404 stylesheet, script or
icon) as a console error, so a clean console means the pages need no inline script or
style and reference no missing asset.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Site, Visitor, tour

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_main_pages_send_the_policy_and_log_no_console_error(site: Site, visit) -> None:
    problems: list[str] = []
    for name, path, visitor in tour(visit, site):
        response = visitor.page.goto(path)
        assert response is not None and response.ok, f"{name} ({path}) failed"
        policy = response.headers.get("content-security-policy", "")
        if "script-src 'self'" not in policy or "unsafe-inline" in policy:
            problems.append(f"{name} ({path}): weak or missing policy {policy!r}")
        if name == "issue":  # the HTMX swaps must run under the policy too
            page = visitor.page
            page.get_by_role("button", name="Withdraw my support").click()
            page.get_by_role("button", name="Draw attention: support").click()
            expect(page.get_by_role("button", name="Withdraw my support")).to_be_visible()
        visitor.page.wait_for_load_state("networkidle")  # the favicon loads after "load"
        problems += [f"{name} ({path}): {p}" for p in visitor.problems]
        visitor.problems.clear()
    assert not problems, "\n".join(problems)


def test_an_inline_script_is_refused_and_the_refusal_is_caught(site: Site, visit) -> None:
    """The console watch above can fail: an injected inline script is blocked and reported."""
    visitor: Visitor = visit()
    visitor.goto("/")
    visitor.page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.inlineRan = true"; document.head.append(s); }"""
    )
    assert visitor.page.evaluate("window.inlineRan === undefined")
    assert any("Content Security Policy" in p for p in visitor.problems), visitor.problems
