"""The issue page in the reader's language: a community translation is shown, marked with
who added it and a link to the original; the pages to add, edit and hide one."""

from __future__ import annotations

import pytest

from commonground.issues.models import Issue, IssueTranslation
from commonground.issues.translations import add_translation, moderate_translation
from tests.conftest import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]


TITLE_FR = "Une connectivité rurale abordable"


def _french(world: World, issue: Issue) -> IssueTranslation:
    return add_translation(
        world.member["government"], issue, language="fr", title=TITLE_FR,
        description="Les villages paient **plus**.",
    )  # fmt: skip


def test_a_french_reader_sees_the_translation_marked_with_its_author_and_the_original_link(
    world: World, issue: Issue
) -> None:
    translation = _french(world, issue)
    client = world.client_for(None)
    html = client.get(issue.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f">{TITLE_FR}</h1>" in html
    assert "<strong>plus</strong>" in html
    notice = html[html.index('data-testid="translation-notice"') :]
    assert translation.author.user.public_name in notice[:800]
    assert 'href="?original=1"' in notice[:800]
    original = client.get(
        issue.get_absolute_url() + "?original=1", HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert f">{issue.title}</h1>" in original and f">{TITLE_FR}</h1>" not in original
    english = client.get(issue.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f">{issue.title}</h1>" in english and 'data-testid="translation-notice"' not in english


def test_a_hidden_translation_is_not_shown(world: World, issue: Issue) -> None:
    translation = _french(world, issue)
    moderate_translation(world.steward, translation, hide=True, reason="Not faithful")
    for user in (None, world.member["government"], world.steward):
        html = (
            world.client_for(user)
            .get(issue.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
            .content.decode()
        )
        # Not shown as the page's text (a steward sees it only in the panel to restore it).
        assert f">{TITLE_FR}</h1>" not in html
        assert 'data-testid="translated-description"' not in html
        assert (TITLE_FR in html) == (user is world.steward)


def test_a_member_adds_a_translation_through_the_form(world: World, issue: Issue) -> None:
    client = world.client_for(world.member["private_sector"])
    url = f"/issues/{issue.pk}/translate/"
    form = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    select = form[
        form.index('id="id_language"') : form.index("</select>", form.index('id="id_language"'))
    ]
    assert issue.language == "en", issue.language
    assert 'value="en"' not in select  # not the original's language
    assert '<option value="es" selected>' in select
    response = client.post(
        url, {"language": "es", "title": "Conectividad rural", "description": "Cara."}
    )
    assert response.status_code == 302
    again = client.post(url, {"language": "es", "title": "Otra", "description": "Otra."})
    assert again.status_code == 409
    assert IssueTranslation.objects.get().title == "Conectividad rural"


def test_only_the_author_opens_the_edit_page_and_a_steward_hides_from_the_page(
    world: World, issue: Issue
) -> None:
    translation = _french(world, issue)
    url = f"/translations/{translation.pk}/edit/"
    assert world.client_for(world.member["private_sector"]).get(url).status_code == 403
    author = world.client_for(world.member["government"])
    assert (
        author.post(url, {"title": "Connectivité rurale", "description": "Cher."}).status_code
        == 302
    )
    translation.refresh_from_db()
    assert translation.title == "Connectivité rurale"
    steward = world.client_for(world.steward)
    page = steward.get(issue.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f"/translations/{translation.pk}/moderate/" in page
    hidden = steward.post(
        f"/translations/{translation.pk}/moderate/", {"action": "hide", "reason": "Spam"}
    )
    assert hidden.status_code == 302
    translation.refresh_from_db()
    assert translation.hidden and translation.hidden_reason == "Spam"


def test_search_finds_an_issue_by_its_translated_title_but_not_by_a_hidden_one(
    world: World, issue: Issue
) -> None:
    translation = _french(world, issue)
    client = world.client_for(None)
    found = client.get("/search/", {"q": "connectivité rurale"}).content.decode()
    assert issue.get_absolute_url() in found
    listed = client.get(f"/forums/{world.forum.slug}/issues/", {"q": "abordable"}).content.decode()
    assert issue.get_absolute_url() in listed
    moderate_translation(world.steward, translation, hide=True, reason="Spam")
    hidden = client.get("/search/", {"q": "abordable"}).content.decode()
    assert issue.get_absolute_url() not in hidden
