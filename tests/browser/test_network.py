"""The network in the browser: a national steward forwards an agenda issue to the regional
forum, the regional steward merges it with the same concern forwarded from another
country, and the coherence view shows both sources."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from commonground.issues.models import Issue
from tests.browser.conftest import Visitor
from tests.network.conftest import Network, network  # noqa: F401 (the fixture)
from tests.network.test_pages import _second_country

pytestmark = [
    pytest.mark.browser,
    pytest.mark.scenario,
    pytest.mark.django_db(transaction=True),
]


def test_forward_merge_and_coherence_in_the_browser(
    network: Network,  # noqa: F811
    visit: Callable[..., Visitor],
) -> None:
    kenya = visit()
    kenya.act_as(network.world.steward)
    kenya.goto(network.on_agenda.get_absolute_url())
    kenya.page.get_by_role("link", name="Forward to a forum above").click()
    expect(kenya.page.get_by_label("Africa IGF (Regional)")).to_be_checked()
    kenya.page.get_by_role("button", name="Forward").click()
    expect(kenya.page.get_by_text("raised in 1 national forum in 1 region")).to_be_visible()
    kenyan = Issue.objects.get(forum=network.africa)
    assert kenya.page.url.endswith(f"/issues/{kenyan.pk}/")

    senegalese = _second_country(network)
    africa = visit()
    africa.act_as(network.africa_steward)
    africa.goto(senegalese.get_absolute_url())
    africa.page.get_by_role("link", name="Merge into another issue").click()
    africa.page.get_by_label("Or the number of another issue of this forum").fill(str(kenyan.pk))
    africa.page.get_by_role("button", name="Merge").click()
    expect(africa.page.get_by_text("raised in 2 national forums in 1 region")).to_be_visible()
    assert africa.page.url.endswith(f"/issues/{kenyan.pk}/")

    africa.page.get_by_role("link", name="Coherence view: this issue across levels").click()
    picture = africa.page.locator("svg.coherence-svg")
    expect(picture).to_be_visible()
    assert "Kenya IGF" in picture.inner_html() and "Senegal IGF" in picture.inner_html()
    expect(africa.page.get_by_text("Kenya IGF forwarded it to Africa IGF")).to_be_visible()
    expect(africa.page.get_by_text("Senegal IGF forwarded it to Africa IGF")).to_be_visible()
    # On a phone the picture keeps its size, its text as large as on a desktop, and its
    # frame scrolls sideways instead of the page.
    africa.page.set_viewport_size({"width": 390, "height": 844})
    box = picture.bounding_box()
    assert box is not None and round(box["width"]) == int(picture.get_attribute("width") or 0)
    assert africa.page.evaluate("document.documentElement.scrollWidth") <= 390
    frame = africa.page.locator(".coherence-picture")
    assert frame.evaluate("e => e.scrollWidth > e.clientWidth")  # two forums side by side
    assert not kenya.problems and not africa.problems, kenya.problems + africa.problems
