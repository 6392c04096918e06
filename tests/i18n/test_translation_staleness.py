"""A community translation is marked stale once the original's title or text changes
after it was made (a message revised, an issue or a solution edited), on the page and in
the API, until its author edits it; one rule for the three kinds."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from commonground.contributions import services as contributions
from commonground.contributions.models import Solution
from commonground.contributions.services.translations import SOLUTION
from commonground.issues import translating
from commonground.issues.models import Issue
from commonground.issues.services import edit_issue
from commonground.issues.translations import add_translation
from commonground.outcomes import services as outcomes
from commonground.outcomes.models import Message
from commonground.outcomes.translations import MESSAGE
from commonground.participants.models import User
from tests.api.conftest import bearer, send
from tests.conftest import World
from tests.outcomes.conftest import agenda_issue, message  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]

STALE = 'data-testid="translation-stale"'


def _api(user: User | None, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    response = send(Client(), method, url, body, headers=bearer(user) if user else None)
    assert response.status_code == 200, response.content
    return response.json()


def _page(world: World, url: str, language: str) -> str:
    return world.client_for(None).get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_a_messages_translation_is_stale_after_a_revision_until_its_author_edits_it(
    world: World,
    message: Message,  # noqa: F811
) -> None:
    translator = world.member["government"]
    translation = translating.add_translation(
        MESSAGE, translator, message, language="es", title="Conectar", body="Financiación."
    )
    listed = f"/messages/{message.pk}/translations"
    assert [t["stale"] for t in _api(None, "get", listed)] == [False]
    assert STALE not in _page(world, message.get_absolute_url(), "es")
    outcomes.revise_message(
        world.steward, message, title=message.title, text="Rural connectivity needs funding."
    )
    assert [t["stale"] for t in _api(None, "get", listed)] == [True]
    page = _page(world, message.get_absolute_url(), "es")
    assert STALE in page and "Conectar" in page  # still shown, marked
    patched = _api(
        translator,
        "patch",
        f"/message-translations/{translation.pk}",
        {"text": "La conectividad rural necesita financiación."},
    )
    assert patched["stale"] is False
    assert STALE not in _page(world, message.get_absolute_url(), "es")


def test_a_revision_that_changes_only_the_messages_language_leaves_it_current(
    world: World,
    message: Message,  # noqa: F811
) -> None:
    translating.add_translation(
        MESSAGE, world.member["government"], message, language="es", title="T", body="B"
    )
    outcomes.revise_message(
        world.steward, message, title=message.title, text=message.text, language="fr"
    )
    assert [t["stale"] for t in _api(None, "get", f"/messages/{message.pk}/translations")] == [
        False
    ]


def test_an_issues_translation_is_stale_after_the_issue_is_edited(
    world: World, issue: Issue
) -> None:
    add_translation(
        world.member["government"], issue, language="fr", title="Connexion", description="Prix."
    )
    assert [t["stale"] for t in _api(None, "get", f"/issues/{issue.pk}")["translations"]] == [False]
    edit_issue(
        world.member["civil_society"], issue, title=issue.title, description="Villages pay more."
    )
    assert [t["stale"] for t in _api(None, "get", f"/issues/{issue.pk}")["translations"]] == [True]
    assert STALE in _page(world, issue.get_absolute_url(), "fr")


def test_a_solutions_translation_is_stale_after_the_solution_is_edited(
    world: World, issue: Issue, solution: Solution
) -> None:
    translating.add_translation(
        SOLUTION, world.member["government"], solution, language="fr", title="Spectre", body="B."
    )
    assert STALE not in _page(world, issue.get_absolute_url(), "fr")
    contributions.edit_solution(
        world.member["private_sector"], solution, title="Open spectrum now", description="Bands."
    )
    listed = _api(None, "get", f"/solutions/{solution.pk}/translations")
    assert [t["stale"] for t in listed] == [True]
    assert STALE in _page(world, issue.get_absolute_url(), "fr")
