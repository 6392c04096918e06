"""Atom feeds: valid Atom XML, the right items, and never hidden content or reporters."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from commonground.contributions import services
from commonground.contributions.models import Solution
from commonground.contributions.services.translations import SOLUTION
from commonground.forums.services import advance_cycle
from commonground.issues import translating
from commonground.issues.models import Issue
from commonground.issues.services import raise_issue
from commonground.issues.translations import add_translation, moderate_translation
from commonground.recognition.services import publish_agenda
from tests.conftest import World

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def feed(url: str) -> tuple[ET.Element, str]:
    response = Client().get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    text = response.content.decode()
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root, text


def titles(root: ET.Element) -> list[str]:
    return [entry.findtext(f"{ATOM}title", "") for entry in root.iter(f"{ATOM}entry")]


@pytest.fixture
def solution(world: World, issue: Issue) -> Solution:
    return services.propose_solution(
        world.member["private_sector"],
        issue,
        title="Open spectrum for community networks",
        description="License-exempt bands.",
    )


def test_issues_feed_lists_new_issues_of_the_open_cycle(world: World, issue: Issue) -> None:
    second = raise_issue(
        world.member["government"], world.forum, title="Data protection", description="Rules."
    )
    root, text = feed(f"/forums/{world.forum.slug}/feeds/issues.atom")
    assert titles(root) == [second.title, issue.title]
    assert f"/issues/{issue.pk}/" in text
    assert "Villages pay" in text and "for less bandwidth" in text


def test_issues_feed_of_an_unknown_forum_is_404(world: World) -> None:
    assert Client().get("/forums/nowhere/feeds/issues.atom").status_code == 404
    assert Client().get("/issues/999999/feeds/contributions.atom").status_code == 404


def test_agenda_feed_lists_publications(world: World, issue: Issue) -> None:
    root, _ = feed(f"/forums/{world.forum.slug}/feeds/agenda.atom")
    assert titles(root) == []
    advance_cycle(None, world.forum)
    publish_agenda(world.steward, world.forum)
    publish_agenda(world.steward, world.forum)
    root, text = feed(f"/forums/{world.forum.slug}/feeds/agenda.atom")
    assert titles(root) == ["Agenda #2 of cycle 2027", "Agenda #1 of cycle 2027"]
    assert f"/forums/{world.forum.slug}/agenda/published/1/" in text


def test_contributions_feed_lists_visible_contributions_only(
    world: World, issue: Issue, solution: Solution
) -> None:
    signal = services.signal_concern(
        world.member["government"],
        issue,
        jurisdiction="KE",
        priority="high",
        statement="We are concerned about prices.",
    )
    services.give_advice(
        world.member["academic_technical"],
        solution,
        feasibility="feasible",
        benefits="Cheaper access.",
    )
    services.add_comment(world.member["academic_technical"], issue=issue, body="Agreed, visible.")
    hidden = services.add_comment(
        world.member["private_sector"], issue=issue, body="SECRET-HIDDEN-TEXT"
    )
    deleted = services.add_comment(
        world.member["government"], issue=issue, body="SECRET-DELETED-TEXT"
    )
    services.delete_comment(world.member["government"], deleted)
    services.moderate(world.steward, "comment", hidden, hide=True, reason="Off topic.")
    root, text = feed(f"/issues/{issue.pk}/feeds/contributions.atom")
    kinds = sorted(title.split(" ")[0] for title in titles(root))
    assert kinds == ["Comment", "Signal", "Solution:", "Technical"]
    assert "We are concerned about prices." in text
    assert f"#signal-{signal.pk}" in text
    assert "SECRET-HIDDEN-TEXT" not in text
    assert "SECRET-DELETED-TEXT" not in text


def test_contributions_feed_drops_everything_under_a_hidden_solution(
    world: World, issue: Issue, solution: Solution
) -> None:
    services.give_advice(
        world.member["academic_technical"], solution, feasibility="feasible", risks="RISK-TEXT"
    )
    services.add_comment(world.member["government"], solution=solution, body="UNDER-SOLUTION")
    services.moderate(world.steward, "solution", solution, hide=True, reason="Spam.")
    root, text = feed(f"/issues/{issue.pk}/feeds/contributions.atom")
    assert titles(root) == []
    for secret in ("License-exempt", "RISK-TEXT", "UNDER-SOLUTION", solution.title):
        assert secret not in text


def test_moderation_feed_shows_the_act_not_the_text_nor_the_reporters(
    world: World, issue: Issue
) -> None:
    comment = services.add_comment(
        world.member["private_sector"], issue=issue, body="SECRET-REPORTED-TEXT"
    )
    reporters = [world.member[g] for g in ("government", "civil_society", "academic_technical")]
    for reporter in reporters:
        services.report(reporter, "comment", comment, reason="spam", note="REPORTER-NOTE")
    services.moderate(world.steward, "comment", comment, hide=False, reason="Not spam after all.")
    root, text = feed(f"/forums/{world.forum.slug}/feeds/moderation.atom")
    assert any(title.startswith("Hidden: ") for title in titles(root))
    assert any(title.startswith("Restored: ") for title in titles(root))
    assert "Not spam after all." in text
    assert "SECRET-REPORTED-TEXT" not in text
    assert "REPORTER-NOTE" not in text
    for reporter in reporters:
        assert reporter.public_name not in text
        assert reporter.public_id not in text
        assert reporter.email not in text


def test_pages_link_their_feeds(world: World, issue: Issue) -> None:
    forum_page = Client().get(f"/forums/{world.forum.slug}/").content.decode()
    for name in ("issues", "agenda", "moderation"):
        assert f'href="/forums/{world.forum.slug}/feeds/{name}.atom"' in forum_page
    assert 'type="application/atom+xml"' in forum_page
    issue_page = Client().get(f"/issues/{issue.pk}/").content.decode()
    assert f'href="/issues/{issue.pk}/feeds/contributions.atom"' in issue_page


def test_moderation_feed_lists_translation_hides_and_restores_without_their_text(
    world: World, issue: Issue, solution: Solution
) -> None:
    translator = world.member["government"]
    of_issue = add_translation(
        translator, issue, language="fr", title="SECRET-TITRE", description="SECRET-TEXTE"
    )
    of_solution = translating.add_translation(
        SOLUTION, translator, solution, language="es", title="Espectro", body="SECRET-CUERPO"
    )
    moderate_translation(world.steward, of_issue, hide=True, reason="Not faithful.")
    translating.moderate_translation(
        SOLUTION, world.steward, of_solution, hide=True, reason="Spam in the text."
    )
    translating.moderate_translation(
        SOLUTION, world.steward, of_solution, hide=False, reason="Fixed by its author."
    )
    root, text = feed(f"/forums/{world.forum.slug}/feeds/moderation.atom")
    assert titles(root) == [
        f"Restored: Translation of a solution {of_solution.pk}",
        f"Hidden: Translation of a solution {of_solution.pk}",
        f"Hidden: Translation of an issue {of_issue.pk} (French)",
    ]
    for reason in ("Not faithful.", "Spam in the text.", "Fixed by its author."):
        assert reason in text
    assert issue.title in text  # the issue an issue translation is of
    assert "SECRET" not in text
    guids = [entry.findtext(f"{ATOM}id", "") for entry in root.iter(f"{ATOM}entry")]
    assert len(set(guids)) == 3
