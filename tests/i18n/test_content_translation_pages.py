"""Solutions and messages in the reader's language: a community translation is shown in
place of the original, marked with who added it and a link to the original; the forms
set the original's language and add a translation."""

from __future__ import annotations

import pytest

from commonground.contributions.models import Solution, SolutionTranslation
from commonground.contributions.services.translations import SOLUTION
from commonground.issues import translating
from commonground.issues.models import Issue
from commonground.outcomes.models import Message, MessageTranslation
from commonground.outcomes.translations import MESSAGE
from tests.conftest import World
from tests.outcomes.conftest import agenda_issue, message  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]


def _read(world: World, url: str, language: str) -> str:
    """The page at ``url`` as an anonymous reader of ``language`` is shown it."""
    return world.client_for(None).get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_a_french_reader_sees_a_solutions_translation_with_the_original_one_click_away(
    world: World, issue: Issue, solution: Solution
) -> None:
    translating.add_translation(
        SOLUTION, world.member["government"], solution, language="fr",
        title="Spectre ouvert", body="Des bandes **libres**.",
    )  # fmt: skip
    html = _read(world, issue.get_absolute_url(), "fr")
    assert ">Spectre ouvert</h3>" in html and "<strong>libres</strong>" in html
    notice = html[html.index(f'id="solution-{solution.pk}"') :]
    assert f'href="?original=1#solution-{solution.pk}"' in notice[:3000]
    original = _read(world, issue.get_absolute_url() + "?original=1", "fr")
    assert ">Open spectrum</h3>" in original and ">Spectre ouvert</h3>" not in original
    english = _read(world, issue.get_absolute_url(), "en")
    assert ">Open spectrum</h3>" in english and "Spectre ouvert" not in english


def test_a_member_translates_a_solution_through_its_page_and_the_author_edits_it(
    world: World, issue: Issue, solution: Solution
) -> None:
    client = world.client_for(world.member["government"])
    url = f"/solutions/{solution.pk}/translate/"
    assert client.get(url).status_code == 200
    posted = client.post(
        url, {"language": "es", "title": "Espectro abierto", "description": "Bandas."}
    )
    assert posted.status_code == 302 and posted["Location"].endswith(f"#solution-{solution.pk}")
    translation = SolutionTranslation.objects.get()
    assert (translation.language, translation.author.user) == ("es", world.member["government"])
    edit = f"/solution-translations/{translation.pk}/edit/"
    assert world.client_for(world.member["civil_society"]).get(edit).status_code == 403
    assert client.post(edit, {"title": "Espectro", "description": "Bandas."}).status_code == 302
    translation.refresh_from_db()
    assert translation.title == "Espectro"


def test_a_solution_proposed_through_the_form_is_in_the_chosen_language(
    world: World, issue: Issue
) -> None:
    client = world.client_for(world.member["government"])
    body = {"title": "Espectro", "description": "Bandas.", "actors": "", "language": "es"}
    assert client.post(f"/issues/{issue.pk}/solutions/", body).status_code == 302
    assert Solution.objects.get().language == "es"
    wrong = client.post(f"/issues/{issue.pk}/solutions/", {**body, "language": "de"})
    assert wrong.status_code == 400 and Solution.objects.count() == 1


def test_a_spanish_reader_sees_a_messages_translation_and_the_original_link(
    world: World,
    message: Message,  # noqa: F811
) -> None:
    translating.add_translation(
        MESSAGE, world.member["government"], message, language="es",
        title="Conectar cada aldea", body="Financiación **pública**.",
    )  # fmt: skip
    html = _read(world, message.get_absolute_url(), "es")
    assert ">Conectar cada aldea</h1>" in html and "<strong>pública</strong>" in html
    assert 'data-testid="translation-notice"' in html and 'href="?original=1"' in html
    original = _read(world, message.get_absolute_url() + "?original=1", "es")
    assert f">{message.title}</h1>" in original


def test_a_member_translates_a_message_through_its_page(
    world: World,
    message: Message,  # noqa: F811
) -> None:
    client = world.client_for(world.member["government"])
    url = f"/messages/{message.pk}/translate/"
    assert 'name="text"' in client.get(url).content.decode()
    posted = client.post(url, {"language": "ru", "title": "Связать", "text": "Текст."})
    assert posted.status_code == 302
    assert MessageTranslation.objects.get().language == "ru"
    same = client.post(url, {"language": "ru", "title": "Связать", "text": "Ещё."})
    assert same.status_code == 409 and MessageTranslation.objects.count() == 1


def test_a_steward_drafts_a_message_in_a_chosen_language_through_the_form(
    world: World,
    agenda_issue: Issue,  # noqa: F811
) -> None:
    client = world.client_for(world.steward)
    body = {"issue": agenda_issue.pk, "title": "Relier", "text": "Texte.", "language": "fr"}
    posted = client.post(f"/forums/{world.forum.slug}/messages/new/", body)
    assert posted.status_code == 302
    assert Message.objects.get().language == "fr"
