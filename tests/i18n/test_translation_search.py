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
from commonground.issues.translations import ISSUE, add_translation, moderate_translation
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


def _results(world: World, q: str, language: str, **more: str) -> str:
    response = world.client_for(None).get(
        "/search/", {"q": q, **more}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    return response.content.decode()


def test_search_shows_each_result_under_its_visible_translation_in_the_readers_language(
    world: World,
    issue: Issue,
    solution: Solution,
    message: Message,  # noqa: F811
) -> None:
    author = world.member["government"]
    for kind, parent, title, body in (
        (ISSUE, issue, "Connectivité rurale abordable", "Les villages paient plus."),
        (SOLUTION, solution, "Spectre ouvert", "Des bandes libres."),
        (MESSAGE, message, "Connecter chaque village", "Un financement public."),
    ):
        translating.add_translation(kind, author, parent, language="fr", title=title, body=body)
    for q, title, page in (
        ("villages", "Connectivité rurale abordable", issue.get_absolute_url()),
        ("spectrum", "Spectre ouvert", f"{issue.get_absolute_url()}#solution-{solution.pk}"),
        ("every village", "Connecter chaque village", message.get_absolute_url()),
    ):
        html = _results(world, q, "fr")  # found by the original's words
        # The translated title links to the page that shows the translation; the notice
        # names its author and links to the original, as the pages do.
        link = f'<a href="{page}" dir="auto">{title}</a>'
        assert link in html
        original = page.replace("#", "?original=1#") if "#" in page else f"{page}?original=1"
        notice = html[html.index(link) :][:900]
        assert 'data-testid="translation-notice"' in notice
        assert author.public_name in notice
        assert f'href="{original}" lang="en"' in notice
        for original_title in (issue.title, solution.title, message.title):
            assert f">{original_title}</a></h3>" not in html
    english = _results(world, "village", "en")  # no translation into English: the originals
    assert 'data-testid="translation-notice"' not in english
    assert f">{issue.title}</a>" in english and "Spectre ouvert" not in english


def test_search_with_original_shows_the_originals_and_offers_the_translation(
    world: World, issue: Issue
) -> None:
    add_translation(
        world.member["government"], issue, language="fr",
        title="Connectivité rurale abordable", description="Les villages paient plus.",
    )  # fmt: skip
    html = _results(world, "villages", "fr", original="1")
    url = issue.get_absolute_url()
    # The original's title opens the original on its page; the notice offers the translation.
    assert f'<a href="{url}?original=1" dir="auto" lang="en">{issue.title}</a>' in html
    assert f'<a href="{url}">' in html[html.index('data-testid="translation-notice"') :][:400]
    assert ">Connectivité rurale abordable</a>" not in html
    assert 'name="original" value="1"' in html  # a new search keeps to the originals


def test_search_shows_no_hidden_translation_nor_one_in_the_originals_language(
    world: World, issue: Issue
) -> None:
    translation = add_translation(
        world.member["government"], issue, language="fr",
        title="Connectivité rurale abordable", description="Les villages paient plus.",
    )  # fmt: skip
    assert ">Connectivité rurale abordable</a>" in _results(world, "villages", "fr")
    moderate_translation(world.steward, translation, hide=True, reason="Not faithful.")
    html = _results(world, "villages", "fr")
    assert f">{issue.title}</a>" in html and "Connectivité rurale abordable" not in html
    assert 'data-testid="translation-notice"' not in html


def test_the_apis_issue_list_carries_the_visible_translation_into_the_callers_language(
    world: World, issue: Issue
) -> None:
    def item(language: str) -> dict[str, object]:
        url = f"/api/v1/forums/{world.forum.slug}/issues"
        client = world.client_for(None)
        response = client.get(url, {"q": "villages"}, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, response.content
        found: dict[str, object] = response.json()["items"][0]
        return found

    assert item("fr")["translation"] is None
    translation = add_translation(
        world.member["government"], issue, language="fr",
        title="Connectivité rurale abordable", description="Les villages paient plus.",
    )  # fmt: skip
    french = item("fr")
    assert french["title"] == issue.title  # the original stays the original
    shown = french["translation"]
    assert isinstance(shown, dict)
    assert (shown["id"], shown["language"], shown["title"], shown["stale"]) == (
        translation.pk,
        "fr",
        "Connectivité rurale abordable",
        False,
    )
    assert item("en")["translation"] is None  # the issue's own language
    assert item("es")["translation"] is None  # no translation into Spanish
    moderate_translation(world.steward, translation, hide=True, reason="Not faithful.")
    assert item("fr")["translation"] is None


def test_search_names_a_solutions_and_a_messages_issue_under_its_visible_translation(
    world: World,
    issue: Issue,
    solution: Solution,
    message: Message,  # noqa: F811
) -> None:
    """A solution or message found is listed with the issue it belongs to; that issue is
    named as its own page names it for the reader: its visible translation, else (reading
    the originals, or no translation into the reader's language) its original title."""
    assert message.issue_id == issue.pk
    translated = "Connectivité rurale abordable"
    add_translation(
        world.member["government"], issue, language="fr",
        title=translated, description="Les villages paient plus.",
    )  # fmt: skip
    named = f'<a href="{issue.get_absolute_url()}" dir="auto">{translated}</a></span>'
    original = f'dir="auto" lang="en">{issue.title}</a></span>'
    for q in ("spectrum", "every village"):  # the solution, then the message
        french = _results(world, q, "fr")
        assert named in french and original not in french
        originals = _results(world, q, "fr", original="1")
        assert original in originals and named not in originals
        english = _results(world, q, "en")
        assert f">{issue.title}</a></span>" in english and translated not in english
