"""Community translations of an issue through the API: one per language other than the
original's, edited only by the member who added it, hidden and restored by a steward."""

from __future__ import annotations

import pytest
from django.test import Client

from commonground.issues.models import Issue, IssueTranslation
from commonground.ledger.models import LedgerEntry as Entry
from commonground.participants.models import User
from commonground.participants.services import create_api_token
from tests.conftest import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]


FRENCH = {
    "language": "fr",
    "title": "Une connectivité rurale abordable",
    "description": "Les villages paient **plus** pour moins de débit.",
}


def _api(user: User) -> tuple[Client, dict[str, str]]:
    _token, key = create_api_token(user, "test")
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _add(user: User, issue: Issue, body: dict[str, str]) -> object:
    client, auth = _api(user)
    return client.post(
        f"/api/v1/issues/{issue.pk}/translations", body, content_type="application/json", **auth
    )


def _patch(user: User, translation_id: int, body: dict[str, object]) -> object:
    client, auth = _api(user)
    return client.patch(
        f"/api/v1/translations/{translation_id}", body, content_type="application/json", **auth
    )


def test_any_member_adds_a_translation_listed_on_the_issue_with_its_ledger_entry(
    world: World, issue: Issue
) -> None:
    response = _add(world.member["government"], issue, FRENCH)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["language"] == "fr" and body["title"] == FRENCH["title"]
    assert "<strong>plus</strong>" in body["description_html"]
    assert body["author"]["id"] == world.member["government"].public_id
    listed = Client().get(f"/api/v1/issues/{issue.pk}").json()["translations"]
    assert [t["id"] for t in listed] == [body["id"]]
    entry = Entry.objects.filter(action="translation.add").get()
    assert entry.fields["issue"] == issue.pk and entry.fields["language"] == "fr"


def test_a_translation_into_the_original_language_is_refused_with_409(
    world: World, issue: Issue
) -> None:
    assert issue.language == "en"
    response = _add(world.member["government"], issue, {**FRENCH, "language": "en"})
    assert response.status_code == 409 and "English" in response.json()["detail"]
    unknown = _add(world.member["government"], issue, {**FRENCH, "language": "de"})
    assert unknown.status_code == 422  # not one of the six codes the schema lists
    assert not IssueTranslation.objects.exists()


def test_a_second_translation_into_the_same_language_is_409_naming_the_first(
    world: World, issue: Issue
) -> None:
    first = _add(world.member["government"], issue, FRENCH).json()
    second = _add(world.member["private_sector"], issue, {**FRENCH, "title": "Autre titre"})
    assert second.status_code == 409
    assert f"translation {first['id']}" in second.json()["detail"]
    other = _add(world.member["private_sector"], issue, {**FRENCH, "language": "es"})
    assert other.status_code == 201  # another language is free
    assert IssueTranslation.objects.count() == 2


def test_only_the_member_who_added_it_edits_a_translation(world: World, issue: Issue) -> None:
    added = _add(world.member["government"], issue, FRENCH).json()
    refused = _patch(world.member["private_sector"], added["id"], {"title": "Piraté"})
    assert refused.status_code == 403
    assert _patch(world.steward, added["id"], {"title": "Piraté"}).status_code == 403
    edited = _patch(world.member["government"], added["id"], {"title": "Connectivité rurale"})
    assert edited.status_code == 200 and edited.json()["title"] == "Connectivité rurale"
    assert edited.json()["description"] == FRENCH["description"]  # not sent, kept
    assert Entry.objects.filter(action="translation.edit").count() == 1


def test_outsiders_and_anonymous_callers_cannot_add_a_translation(
    world: World, issue: Issue
) -> None:
    assert _add(world.outsider, issue, FRENCH).status_code == 403
    anonymous = Client().post(
        f"/api/v1/issues/{issue.pk}/translations", FRENCH, content_type="application/json"
    )
    assert anonymous.status_code == 401
    assert not IssueTranslation.objects.exists()


def test_a_steward_hides_a_translation_from_everyone_but_its_author_and_restores_it(
    world: World, issue: Issue
) -> None:
    added = _add(world.member["government"], issue, FRENCH).json()
    assert (
        _patch(
            world.member["private_sector"], added["id"], {"hidden": True, "reason": "x"}
        ).status_code
        == 403
    )
    no_reason = _patch(world.steward, added["id"], {"hidden": True})
    assert no_reason.status_code == 400
    hidden = _patch(world.steward, added["id"], {"hidden": True, "reason": "Not a translation"})
    assert hidden.status_code == 200 and hidden.json()["hidden"] is True
    again = _patch(world.steward, added["id"], {"hidden": True, "reason": "Still not"})
    assert again.status_code == 409
    assert Client().get(f"/api/v1/issues/{issue.pk}").json()["translations"] == []
    client, auth = _api(world.member["government"])
    own = client.get(f"/api/v1/issues/{issue.pk}", **auth).json()["translations"]
    assert [t["hidden"] for t in own] == [True]
    restored = _patch(world.steward, added["id"], {"hidden": False, "reason": "Checked"})
    assert restored.status_code == 200 and restored.json()["hidden"] is False
    assert len(Client().get(f"/api/v1/issues/{issue.pk}").json()["translations"]) == 1
    actions = list(
        Entry.objects.filter(action__startswith="translation.").values_list("action", flat=True)
    )
    assert actions == ["translation.add", "translation.hide", "translation.restore"]


def test_an_unknown_translation_is_404(world: World) -> None:
    assert _patch(world.member["government"], 999, {"title": "x"}).status_code == 404
    assert _patch(world.member["government"], 0, {"title": "x"}).status_code in (404, 422)


def test_a_patch_that_changes_nothing_is_refused_and_null_is_not_a_value(
    world: World, issue: Issue
) -> None:
    added = _add(world.member["government"], issue, FRENCH).json()
    author = world.member["government"]
    assert _patch(author, added["id"], {}).status_code == 400
    assert _patch(author, added["id"], {"reason": "only a reason"}).status_code == 400
    assert _patch(author, added["id"], {"title": None}).status_code == 422
    assert _patch(author, added["id"], {"title": "Connectivité"}).status_code == 200
