"""A solution's original language and its community translations through the API: one per
language other than the original's, limits at their boundary, edited only by the member
who added it, hidden and restored by a steward, each change in the ledger by digest."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client
from django.utils import translation as django_translation

from commonground.contributions import services
from commonground.contributions.models import Solution, SolutionTranslation
from commonground.issues.models import Issue
from commonground.ledger.models import LedgerEntry as Entry
from commonground.participants.models import User
from commonground.participants.services import create_api_token
from tests.api.conftest import bearer, send
from tests.conftest import World

pytestmark = pytest.mark.django_db

FRENCH = {
    "language": "fr",
    "title": "Ouvrir le spectre aux réseaux communautaires",
    "description": "Des bandes **libres** pour les réseaux communautaires.",
}


def _call(user: User | None, method: str, url: str, body: dict[str, Any]) -> Any:
    return send(Client(), method, url, body, headers=bearer(user) if user else None)


def _add(user: User | None, solution: Solution, body: dict[str, Any]) -> Any:
    return _call(user, "post", f"/solutions/{solution.pk}/translations", body)


def _patch(user: User, translation_id: int, body: dict[str, Any]) -> Any:
    return _call(user, "patch", f"/solution-translations/{translation_id}", body)


def _listed(user: User | None, solution: Solution) -> list[dict[str, Any]]:
    headers = {}
    if user is not None:
        _token, key = create_api_token(user, "list")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    response = Client().get(f"/api/v1/solutions/{solution.pk}/translations", **headers)
    assert response.status_code == 200, response.content
    listed: list[dict[str, Any]] = response.json()
    return listed


def test_a_solution_is_written_in_its_authors_interface_language_unless_one_is_given(
    world: World, issue: Issue
) -> None:
    with django_translation.override("es"):
        default = services.propose_solution(
            world.member["private_sector"], issue, title="Espectro", description="Bandas."
        )
    assert default.language == "es"
    response = _call(
        world.member["government"],
        "post",
        f"/issues/{issue.pk}/solutions",
        {"title": "Spectre", "description": "Bandes.", "language": "fr"},
    )
    assert response.status_code == 201 and response.json()["language"] == "fr"
    unknown = _call(
        world.member["government"],
        "post",
        f"/issues/{issue.pk}/solutions",
        {"title": "Spectrum", "description": "Bands.", "language": "de"},
    )
    assert unknown.status_code == 422  # not one of the six codes the schema lists
    changed = _call(
        world.member["private_sector"], "patch", f"/solutions/{default.pk}", {"language": "ar"}
    )
    assert changed.status_code == 200 and changed.json()["language"] == "ar"


def test_any_member_translates_a_solution_and_the_ledger_records_it_by_digest(
    world: World, solution: Solution
) -> None:
    response = _add(world.member["government"], solution, FRENCH)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["solution"] == solution.pk and body["language"] == "fr"
    assert "<strong>libres</strong>" in body["description_html"]
    assert body["author"]["id"] == world.member["government"].public_id
    assert [t["id"] for t in _listed(None, solution)] == [body["id"]]
    entry = Entry.objects.get(action="solution_translation.add")
    digest = hashlib.sha256(FRENCH["title"].encode()).hexdigest()
    assert entry.fields["title_sha256"] == digest and entry.fields["solution"] == solution.pk
    assert FRENCH["description"] not in str(entry.fields)  # a hidden text must leave


def test_a_solution_translation_into_its_own_language_or_a_taken_one_is_409(
    world: World, solution: Solution
) -> None:
    assert solution.language == "en"
    own = _add(world.member["government"], solution, {**FRENCH, "language": "en"})
    assert own.status_code == 409 and "English" in own.json()["detail"]
    first = _add(world.member["government"], solution, FRENCH).json()
    second = _add(world.member["academic_technical"], solution, FRENCH)
    assert second.status_code == 409 and f"translation {first['id']}" in second.json()["detail"]
    assert SolutionTranslation.objects.count() == 1


def test_a_solution_translations_title_and_description_limits_hold_at_the_boundary(
    world: World, solution: Solution
) -> None:
    at_limit = {**FRENCH, "title": "t" * 200, "description": "d" * 10_000}
    assert _add(world.member["government"], solution, at_limit).status_code == 201
    for past in ({"title": "t" * 201}, {"description": "d" * 10_001}):
        response = _add(world.member["government"], solution, {**FRENCH, "language": "es", **past})
        assert response.status_code == 422, past
    blank = _add(world.member["government"], solution, {**FRENCH, "language": "es", "title": " "})
    assert blank.status_code == 422
    assert SolutionTranslation.objects.count() == 1


def test_only_the_member_who_added_a_solution_translation_edits_it(
    world: World, solution: Solution
) -> None:
    added = _add(world.member["government"], solution, FRENCH).json()
    assert _patch(world.member["private_sector"], added["id"], {"title": "X"}).status_code == 403
    assert _patch(world.steward, added["id"], {"title": "X"}).status_code == 403
    edited = _patch(world.member["government"], added["id"], {"description": "Autre *texte*."})
    assert edited.status_code == 200 and edited.json()["title"] == FRENCH["title"]
    assert "<em>texte</em>" in edited.json()["description_html"]
    assert Entry.objects.filter(action="solution_translation.edit").count() == 1


def test_a_steward_hides_a_solution_translation_from_all_but_its_author_and_restores_it(
    world: World, solution: Solution
) -> None:
    added = _add(world.member["government"], solution, FRENCH).json()
    refused = _patch(world.member["civil_society"], added["id"], {"hidden": True, "reason": "x"})
    assert refused.status_code == 403
    hidden = _patch(world.steward, added["id"], {"hidden": True, "reason": "Not a translation"})
    assert hidden.status_code == 200 and hidden.json()["hidden"] is True
    assert (
        _patch(world.steward, added["id"], {"hidden": True, "reason": "Again"}).status_code == 409
    )
    assert _listed(None, solution) == []
    assert [t["hidden"] for t in _listed(world.member["government"], solution)] == [True]
    restored = _patch(world.steward, added["id"], {"hidden": False, "reason": "Checked"})
    assert restored.status_code == 200 and len(_listed(None, solution)) == 1
    actions = list(
        Entry.objects.filter(action__startswith="solution_translation.").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "solution_translation.add",
        "solution_translation.hide",
        "solution_translation.restore",
    ]


def test_outsiders_and_anonymous_callers_cannot_translate_and_a_hidden_solution_takes_none(
    world: World, solution: Solution
) -> None:
    assert _add(world.outsider, solution, FRENCH).status_code == 403
    assert _add(None, solution, FRENCH).status_code == 401
    services.moderate(world.steward, "solution", solution, hide=True, reason="Spam")
    assert _add(world.member["government"], solution, FRENCH).status_code == 404
    assert _add(world.member["private_sector"], solution, FRENCH).status_code == 409  # author
    assert not SolutionTranslation.objects.exists()
    assert _patch(world.member["government"], 999_999, {"title": "x"}).status_code == 404
