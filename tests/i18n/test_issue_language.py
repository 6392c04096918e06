"""An issue's original language: one of the six, set in the form and the API, shown on its page."""

from __future__ import annotations

import pytest
from django.test import Client

from commonground.issues.models import Issue
from commonground.participants.services import create_api_token, set_language
from tests.conftest import World

pytestmark = pytest.mark.django_db

BODY = {"title": "Community networks need spectrum", "description": "Rural areas lack it."}


def _api(world: World, group: str) -> tuple[Client, dict[str, str]]:
    _token, key = create_api_token(world.member[group], "test")
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_form_sets_the_language_and_the_page_shows_it(world: World) -> None:
    client = world.client_for(world.member["civil_society"])
    response = client.post(
        f"/forums/{world.forum.slug}/issues/new/", {**BODY, "topics": "", "language": "fr"}
    )
    assert response.status_code == 302
    issue = Issue.objects.get(title=BODY["title"])
    assert issue.language == "fr"
    html = client.get(issue.get_absolute_url()).content.decode()
    assert 'id="issue-title" dir="auto" lang="fr"' in html  # an English page, a French title
    assert 'data-testid="issue-language">Written in French<' in html


def test_the_form_offers_the_six_languages_starting_with_the_author_s(world: World) -> None:
    client = world.client_for(world.member["civil_society"])
    html = client.get(
        f"/forums/{world.forum.slug}/issues/new/", HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    start = html.index('id="id_language"')  # the form's, not the header's switch
    select = html[start : html.index("</select>", start)]
    for code in ("en", "fr", "es", "ar", "zh-hans", "ru"):
        assert f'value="{code}"' in select
    assert '<option value="ru" selected>' in select


def test_by_default_an_issue_is_in_the_author_s_interface_language(world: World) -> None:
    client, auth = _api(world, "private_sector")
    created = client.post(
        f"/api/v1/forums/{world.forum.slug}/issues", BODY, content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es", **auth,
    )  # fmt: skip
    assert created.status_code == 201 and created.json()["language"] == "es"
    set_language(world.member["academic_technical"], "ar")
    client, auth = _api(world, "academic_technical")
    other = {**BODY, "title": "Data protection for refugees"}
    created = client.post(
        f"/api/v1/forums/{world.forum.slug}/issues", other, content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es", **auth,
    )  # fmt: skip
    assert created.json()["language"] == "ar"  # the member's chosen language wins


def test_the_api_sets_and_changes_the_language_and_refuses_another(world: World) -> None:
    client, auth = _api(world, "government")
    url = f"/api/v1/forums/{world.forum.slug}/issues"
    refused = client.post(url, {**BODY, "language": "de"}, content_type="application/json", **auth)
    # The schema lists the six codes: another is input that does not fit it (422).
    assert refused.status_code == 422 and "language" in refused.json()["detail"]
    assert not Issue.objects.filter(title=BODY["title"]).exists()
    created = client.post(
        url, {**BODY, "language": "zh-hans"}, content_type="application/json", **auth
    )
    assert created.status_code == 201 and created.json()["language"] == "zh-hans"
    issue_id = created.json()["id"]
    changed = client.patch(
        f"/api/v1/issues/{issue_id}", {"language": "ru"}, content_type="application/json", **auth
    )
    assert changed.status_code == 200 and changed.json()["language"] == "ru"
    untouched = client.patch(
        f"/api/v1/issues/{issue_id}", {"title": "Spectrum for community networks"},
        content_type="application/json", **auth,
    )  # fmt: skip
    assert untouched.json()["language"] == "ru"
    assert client.get(f"/api/v1/issues/{issue_id}").json()["language"] == "ru"
