"""A steward restores a hidden community translation from the issue page, and every hide
and restore of a translation is in the forum's public moderation log with its reason."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client

from commonground.issues.models import Issue, IssueTranslation
from commonground.issues.translations import add_translation, moderate_translation
from tests.conftest import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]


def _hidden_french(world: World, issue: Issue) -> IssueTranslation:
    translation = add_translation(
        world.member["government"], issue, language="fr", title="Connectivité rurale",
        description="Les villages paient plus.",
    )  # fmt: skip
    return moderate_translation(world.steward, translation, hide=True, reason="Off topic")


def _log(client: Client, world: World, language: str = "en") -> str:
    html = client.get(
        f"/forums/{world.forum.slug}/moderation/", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    start = html.index('data-testid="translation-moderation"')
    return unescape(html[start : html.index("</table>", start)])


def test_a_steward_sees_the_hidden_translation_and_restores_it_with_a_reason(
    world: World, issue: Issue
) -> None:
    translation = _hidden_french(world, issue)
    steward = world.client_for(world.steward)
    page = steward.get(issue.get_absolute_url()).content.decode()
    assert 'data-testid="hidden-translations"' in page and "1 hidden community translation" in page
    assert 'name="action" value="restore"' in page
    url = f"/translations/{translation.pk}/moderate/"
    assert steward.post(url, {"action": "restore", "reason": "Checked, fine"}).status_code == 302
    translation.refresh_from_db()
    assert not translation.hidden
    after = steward.get(issue.get_absolute_url()).content.decode()
    assert 'data-testid="hidden-translations"' not in after
    french = world.client_for(None).get(issue.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Connectivité rurale" in unescape(french.content.decode())


def test_a_member_who_is_not_a_steward_is_not_offered_the_restore_and_cannot_restore(
    world: World, issue: Issue
) -> None:
    translation = _hidden_french(world, issue)
    member = world.client_for(world.member["private_sector"])
    assert (
        'data-testid="hidden-translations"'
        not in member.get(issue.get_absolute_url()).content.decode()
    )
    refused = member.post(
        f"/translations/{translation.pk}/moderate/", {"action": "restore", "reason": "Mine"}
    )
    assert refused.status_code == 403
    translation.refresh_from_db()
    assert translation.hidden


def test_restoring_without_a_reason_is_refused_and_the_translation_stays_hidden(
    world: World, issue: Issue
) -> None:
    translation = _hidden_french(world, issue)
    steward = world.client_for(world.steward)
    response = steward.post(
        f"/translations/{translation.pk}/moderate/", {"action": "restore", "reason": " "}
    )
    assert response.status_code == 400
    translation.refresh_from_db()
    assert translation.hidden


def test_the_moderation_log_lists_the_hide_and_the_restore_newest_first(
    world: World, issue: Issue, anonymous: Client
) -> None:
    assert "No community translation has been hidden." in _log(anonymous, world)
    translation = _hidden_french(world, issue)
    moderate_translation(world.steward, translation, hide=False, reason="Checked, fine")
    log = _log(anonymous, world)
    assert log.index("Checked, fine") < log.index("Off topic")
    assert log.count("Translation of an issue") == 2 and "(French)" in log
    assert log.index("Restored") < log.index("Hidden")
    assert issue.get_absolute_url() in log
    french = _log(anonymous, world, "fr")
    assert "Traduction d'un sujet" in french and "Rétabli" in french and "(Français)" in french
