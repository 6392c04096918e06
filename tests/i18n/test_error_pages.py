"""The error pages speak the reader's language: their titles and messages were plain
English strings, so a French reader of a mistyped address read "Not found"."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_named_in_the_readers_language(anonymous: Client) -> None:
    french = anonymous.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="fr")
    assert french.status_code == 404
    assert "Il n’y a pas de page à cette adresse." in french.content.decode()
    arabic = anonymous.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "لا توجد صفحة على هذا العنوان." in arabic
    english = anonymous.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "There is no page at this address." in english


def test_the_old_icon_address_leads_to_the_icon_the_pages_name(anonymous: Client) -> None:
    page = anonymous.get("/no-such-page/").content.decode()
    response = anonymous.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg")
    assert f'href="{response["Location"]}"' in page


def test_a_form_refused_for_its_csrf_token_says_what_to_do_in_the_readers_language() -> None:
    """Django's own page for this was technical and in English."""
    browser = Client(enforce_csrf_checks=True)
    refused = browser.post("/i18n/setlang/", {"language": "es"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "Ce formulaire a expiré" in page
    assert "rechargez la page et renvoyez le formulaire" in page
    english = browser.post("/i18n/setlang/", {"language": "es"}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 403
    assert "This form has expired" in english.content.decode()
    assert settings.LANGUAGE_COOKIE_NAME not in english.cookies  # refused: nothing changed
