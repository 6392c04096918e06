"""Choosing a language: the header's switch (no JavaScript), its cookie, Accept-Language."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from commonground.issues.models import Issue
from commonground.participants.services import create_api_token
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _lang(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)" dir="(\w+)"', html)
    assert match, "no <html lang dir>"
    return f"{match.group(1)} {match.group(2)}"


def test_every_page_offers_the_switch_as_a_plain_form_back_to_the_same_page(
    anonymous: Client, issue: Issue
) -> None:
    html = anonymous.get(f"/issues/{issue.pk}/?sort=new").content.decode()
    form = html[html.index('class="language-switch') :]
    form = form[: form.index("</form>")]
    assert 'action="/i18n/setlang/"' in form and 'method="post"' in form
    assert f'name="next" value="/issues/{issue.pk}/?sort=new"' in form
    assert 'type="submit"' in form  # works without JavaScript
    for code in ("en", "fr", "es", "ar", "zh-hans", "ru"):
        assert f'value="{code}"' in form


def test_the_switch_sets_the_django_language_cookie_and_returns_to_the_page(
    anonymous: Client, issue: Issue
) -> None:
    page = f"/issues/{issue.pk}/"
    response = anonymous.post("/i18n/setlang/", {"language": "ar", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert response.cookies["django_language"].value == "ar"
    assert _lang(anonymous.get(page).content.decode()) == "ar rtl"  # the same URL


def test_an_unknown_language_changes_nothing(anonymous: Client) -> None:
    response = anonymous.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert "django_language" not in response.cookies
    assert _lang(anonymous.get("/").content.decode()) == "en ltr"


def test_without_a_choice_the_browser_s_accept_language_decides(anonymous: Client) -> None:
    html = anonymous.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.5").content.decode()
    assert _lang(html) == "zh-hans ltr"
    assert _lang(anonymous.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()) == "en ltr"


def test_the_cookie_wins_over_accept_language(anonymous: Client) -> None:
    anonymous.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    html = anonymous.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert _lang(html) == "ru ltr"


# ---------------------------------------------------------------- a member's language


def test_a_member_s_switch_is_remembered_on_another_device(world: World) -> None:
    member = world.member["civil_society"]
    world.client_for(member).post("/i18n/setlang/", {"language": "fr", "next": "/"})
    member.refresh_from_db()
    assert member.language == "fr"
    other_device = world.client_for(member)  # no cookie; the browser asks for Spanish
    page = other_device.get("/", HTTP_ACCEPT_LANGUAGE="es")
    assert _lang(page.content.decode()) == "fr ltr" and page["Content-Language"] == "fr"
    assert translation.get_language() != "fr"  # the thread is not left in the member's language


def test_a_member_without_a_choice_follows_the_browser(world: World) -> None:
    client = world.client_for(world.member["government"])
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()) == "ar rtl"


def test_the_account_page_sets_and_clears_the_language(world: World) -> None:
    member = world.member["private_sector"]
    client = world.client_for(member)
    response = client.post("/account/", {"form": "language", "language": "ru"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.language == "ru"
    assert _lang(client.get("/account/").content.decode()) == "ru ltr"
    client.post("/account/", {"form": "language", "language": ""})
    member.refresh_from_db()
    assert member.language == ""


def test_an_unknown_language_on_the_account_page_is_refused_and_changes_nothing(
    world: World,
) -> None:
    member = world.member["private_sector"]
    response = world.client_for(member).post("/account/", {"form": "language", "language": "de"})
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.language == ""


def test_the_api_reads_and_sets_the_language(world: World) -> None:
    member = world.member["academic_technical"]
    _token, key = create_api_token(member, "test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client = Client()
    assert client.get("/api/v1/me", **auth).json()["language"] == ""
    response = client.patch(
        "/api/v1/me", {"language": "zh-hans"}, content_type="application/json", **auth
    )
    assert response.status_code == 200 and response.json()["language"] == "zh-hans"
    refused = client.patch(
        "/api/v1/me", {"language": "klingon"}, content_type="application/json", **auth
    )
    # The schema lists the six codes: another is input that does not fit it (422).
    assert refused.status_code == 422 and "language" in refused.json()["detail"]
    member.refresh_from_db()
    assert member.language == "zh-hans"
