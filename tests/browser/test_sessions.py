"""The session process in a real browser: a proposer fixes a failing screen live, an
advisory member scores from the blind queue, the steward approves and schedules, the
rapporteur files the report, and the programme shows it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from commonground.meetings.models import Session
from tests.browser.conftest import PHONE, Visitor
from tests.browser.pagecheck import MEASURE
from tests.meetings.conftest import Programme, approve, programme, slot  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.scenario,
    pytest.mark.django_db(transaction=True),
]

SPEAKERS = [
    ("Amina Odhiambo", "civil_society", "KE"),
    ("Brian Mwangi", "private_sector", "KE"),
    ("Chen Wei", "academic_technical", "CN"),
]


@pytest.fixture
def patient(visit: Callable[..., Visitor]) -> Iterator[Callable[[], Visitor]]:
    """Visitors that wait longer: the machines running CI are busy (a first page load
    on a loaded runner has taken over 10 s), and a live screen answers after its delay."""
    expect.set_options(timeout=20_000)

    def open_visitor() -> Visitor:
        visitor = visit()
        visitor.context.set_default_timeout(60_000)
        return visitor

    yield open_visitor
    expect.set_options(timeout=5_000)


def test_from_proposal_to_programme_with_a_live_screen(
    programme: Programme,  # noqa: F811
    patient: Callable[[], Visitor],
) -> None:
    visit = patient
    world = programme.world
    slug = programme.forum.slug

    # The proposer fills in the form; every speaker a man: the screen says so, live.
    proposer = visit()
    proposer.act_as(world.member["civil_society"])
    proposer.goto(f"/forums/{slug}/sessions/new/")
    page = proposer.page
    page.locator("#title").fill("Community networks for rural Kenya")
    page.locator("#format").select_option("workshop")
    page.get_by_label(programme.issue.title).check()
    page.locator("#description").fill("How community networks bring access to villages.")
    page.locator("#pq-1").fill("What licensing lets community networks grow?")
    page.locator("#moderator").fill("Dana Moderator")
    page.locator("#rapporteur").fill("Cecile Civil")
    for i, (name, group, country) in enumerate(SPEAKERS):
        page.locator(f"#sp-{i}-name").fill(name)
        page.locator(f"#sp-{i}-group").select_option(group)
        page.locator(f"#sp-{i}-gender").select_option("man")
        page.locator(f"#sp-{i}-country").fill(country)
        page.locator(f"input[name='speaker-{i}-confirmed']").check()
    failing = page.locator('li[data-rule="speaker_gender_diversity"]')
    expect(failing).to_have_attribute("data-passed", "false")
    expect(failing).to_contain_text("not all of one gender")
    assert Session.objects.count() == 0  # nothing saved while typing
    page.locator("#sp-0-gender").select_option("woman")
    expect(failing).to_have_attribute("data-passed", "true")
    expect(page.locator("#screening")).to_contain_text("Passes every rule")
    page.get_by_role("button", name="Submit the proposal").click()
    expect(page.locator("h1")).to_have_text("Community networks for rural Kenya")
    session = Session.objects.get()

    # Evaluation: an advisory member scores from the queue, which names no proposer.
    programme.advance()
    advisor = visit()
    advisor.act_as(world.member["government"])
    advisor.goto(f"/forums/{slug}/advisory-group/queue/")
    queue = advisor.page
    expect(queue.locator("#progress")).to_have_text("0 of 1 scored")
    assert "cecile" not in queue.content().lower()
    queue.locator(f"#content-{session.pk}").select_option("5")
    queue.get_by_role("button", name="Save the score").click()
    expect(queue.locator("#progress")).to_have_text("1 of 1 scored")

    # The steward approves from the ranking, publishes, and schedules in the forum phase.
    steward = visit()
    steward.act_as(programme.steward)
    steward.goto(f"/forums/{slug}/sessions/ranking/")
    ranking = steward.page
    ranking.locator(f"#d-{session.pk}").select_option("approved")
    ranking.locator(f"#why-{session.pk}").fill("Balanced and focused.")
    ranking.get_by_role("button", name="Decide").click()
    ranking.get_by_role("button", name="Publish the selection").click()
    expect(ranking.locator("h1")).to_have_text("Published selection")
    programme.advance()
    steward.goto(f"/sessions/{session.pk}/")
    start = timezone.localtime() - timedelta(hours=2)
    ranking.locator("#room").fill("Room A")
    ranking.locator("#starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    ranking.locator("#duration").fill("60")
    ranking.get_by_role("button", name="Save the slot").click()
    expect(ranking.locator(".messages")).to_contain_text("scheduled")

    # The rapporteur (here the proposer: no member was named) files the report.
    proposer.goto(f"/sessions/{session.pk}/")
    page.locator("#kt-1").fill("Licences are the bottleneck.")
    page.locator("#onsite").fill("40")
    page.locator("#women").fill("55")
    page.get_by_role("button", name="File the report").click()
    expect(page.locator("#report")).to_contain_text("Licences are the bottleneck.")

    # Anyone sees it in the programme, with its report.
    reader = visit()
    reader.goto(f"/forums/{slug}/programme/")
    item = reader.page.locator(f'[data-session="{session.pk}"]')
    expect(item).to_contain_text("Community networks for rural Kenya")
    item.get_by_role("link", name="Report").click()
    expect(reader.page.locator("#report")).to_contain_text("Licences are the bottleneck.")
    for visitor in (proposer, advisor, steward, reader):
        assert not visitor.problems, visitor.problems


def test_no_session_page_scrolls_sideways_at_phone_width(
    programme: Programme,  # noqa: F811
    patient: Callable[[], Visitor],
) -> None:
    world, slug = programme.world, programme.forum.slug
    session = programme.propose()
    proposer, advisor, steward = patient(), patient(), patient()
    for visitor, user in (
        (proposer, world.member["civil_society"]),
        (advisor, world.member["government"]),
        (steward, programme.steward),
    ):
        visitor.page.set_viewport_size(PHONE)
        visitor.act_as(user)
    pages = [(proposer, f"/forums/{slug}/sessions/new/"), (proposer, f"/sessions/{session.pk}/")]
    overflowing = _overflowing(pages)
    programme.advance()  # evaluation
    pages = [(advisor, f"/forums/{slug}/advisory-group/queue/")]
    pages += [(steward, f"/forums/{slug}/sessions/ranking/")]
    overflowing += _overflowing(pages)
    approve(programme, session)
    programme.advance()  # forum
    slot(session, programme, "Plenary hall with a long name", -1)
    pages = [
        (steward, f"/sessions/{session.pk}/"),
        (steward, f"/forums/{slug}/advisory-group/"),
        (proposer, f"/forums/{slug}/sessions/"),
        (proposer, f"/forums/{slug}/programme/"),
        (proposer, f"/forums/{slug}/programme/balance/"),
    ]
    overflowing += _overflowing(pages)
    assert not overflowing, "\n".join(overflowing)


def _overflowing(pages: list[tuple[Visitor, str]]) -> list[str]:
    found = []
    for visitor, path in pages:
        visitor.goto(path)
        size = visitor.page.evaluate(MEASURE)
        if size["scroll"] > size["inner"]:
            found.append(f"{path} is {size['scroll']} px wide: " + ", ".join(size["wide"]))
    return found
