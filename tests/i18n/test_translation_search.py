"""Search finds solutions and messages as it finds issues: by the original's title and
text or by those of any community translation that is not hidden (a hidden solution not
at all)."""

from __future__ import annotations

import pytest

from commonground.contributions import services as contributions
from commonground.contributions.models import Solution
from commonground.contributions.services.translations import SOLUTION
from commonground.issues import translating
from commonground.issues.models import Issue
from commonground.issues.translations import add_translation, moderate_translation
from commonground.outcomes.models import Message
from commonground.outcomes.translations import MESSAGE
from tests.conftest import World
from tests.outcomes.conftest import agenda_issue, message  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]


def _found(world: World, q: str) -> str:
    response = world.client_for(None).get("/search/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_search_finds_a_solution_by_its_text_or_a_visible_translation_only(
    world: World, issue: Issue, solution: Solution
) -> None:
    anchor = f"{issue.get_absolute_url()}#solution-{solution.pk}"
    assert anchor in _found(world, "open spectrum")
    assert anchor not in _found(world, "bandes libres")
    translation = translating.add_translation(
        SOLUTION, world.member["government"], solution, language="fr",
        title="Spectre ouvert", body="Des bandes libres pour les réseaux communautaires.",
    )  # fmt: skip
    assert anchor in _found(world, "bandes libres")  # the translation's body
    assert anchor in _found(world, "spectre ouvert")  # its title
    translating.moderate_translation(
        SOLUTION, world.steward, translation, hide=True, reason="Not faithful."
    )
    assert anchor not in _found(world, "bandes libres")
    contributions.moderate(world.steward, "solution", solution, hide=True, reason="Spam.")
    assert anchor not in _found(world, "open spectrum")


def test_search_finds_a_message_by_its_text_or_a_visible_translation_only(
    world: World,
    message: Message,  # noqa: F811
) -> None:
    url = message.get_absolute_url()
    assert f'href="{url}"' in _found(world, "connect every village")
    assert f'href="{url}"' not in _found(world, "cada aldea")
    translation = translating.add_translation(
        MESSAGE, world.member["government"], message, language="es",
        title="Conectar cada aldea", body="Financiación pública.",
    )  # fmt: skip
    assert f'href="{url}"' in _found(world, "cada aldea")
    assert f'href="{url}"' in _found(world, "financiación pública")
    translating.moderate_translation(
        MESSAGE, world.steward, translation, hide=True, reason="Not faithful."
    )
    assert f'href="{url}"' not in _found(world, "cada aldea")


def test_the_apis_issue_list_finds_an_issue_by_a_visible_translation_as_the_pages_do(
    world: World, issue: Issue
) -> None:
    def ids(q: str) -> list[int]:
        url = f"/api/v1/forums/{world.forum.slug}/issues"
        response = world.client_for(None).get(url, {"q": q})
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert ids("connectivité abordable") == []
    translation = add_translation(
        world.member["government"], issue, language="fr",
        title="Une connectivité rurale abordable", description="Les villages paient plus.",
    )  # fmt: skip
    assert ids("connectivité abordable") == [issue.pk]  # each word, in the translation
    assert ids("connectivité villages") == [issue.pk]  # title and body
    assert ids("affordable villages") == [issue.pk]  # the original still
    moderate_translation(world.steward, translation, hide=True, reason="Not faithful.")
    assert ids("connectivité abordable") == []
