"""Numbers in user-facing text follow the reader's language through Django's localization:
a percentage reads "5 %" in French (a no-break space before the sign) and "5%" in
English, a decimal takes a comma in French. The settings form still reads decimals with a
point only, and its help says so in every language."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from commonground.core.percent import percent
from commonground.forums.forum_settings import current, update_settings
from commonground.forums.models import Forum
from tests.conftest import World
from tests.stewardship.test_forum_settings import _form

pytestmark = [pytest.mark.usefixtures("english_interface")]

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "fraction", "places", "shown"),
    [
        ("fr", 0.05, 0, f"5{NBSP}%"),
        ("en", 0.05, 0, "5%"),
        ("fr", 0.125, 1, f"12,5{NBSP}%"),  # a decimal comma
        ("en", 0.125, 1, "12.5%"),
        ("fr", 0.4, 1, f"40{NBSP}%"),  # a zero fraction is dropped
        ("es", 0.125, 0, f"12{NBSP}%"),  # rounded to the places asked for
        ("zh-hans", 0.4, 0, "40%"),
    ],
)
def test_a_percentage_is_written_as_the_readers_language_writes_it(
    language: str, fraction: float, places: int, shown: str
) -> None:
    with translation.override(language):
        assert percent(fraction, places) == shown


@pytest.mark.django_db
def test_the_agenda_page_writes_the_share_needed_with_the_readers_separators(
    world: World,
) -> None:
    update_settings(world.steward, world.forum, {"min_share": 0.025})
    url = reverse("recognition:agenda", args=[world.forum.slug])
    client = world.client_for(None)
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f"<strong>2,5{NBSP}%</strong>" in french
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<strong>2.5%</strong>" in english


@pytest.mark.django_db
def test_the_settings_form_reads_a_decimal_point_in_french_and_its_help_says_so(
    world: World,
) -> None:
    steward = world.client_for(world.steward)
    url = reverse("forums:settings", args=[world.forum.slug])
    page = steward.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Écrivez les décimales avec un point, par ex. 0.05" in page
    refused = steward.post(url, _form(world.forum, min_share="0,05"), HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 400
    saved = steward.post(url, _form(world.forum, min_share="0.05"), HTTP_ACCEPT_LANGUAGE="fr")
    assert saved.status_code == 302
    assert current(Forum.objects.get(pk=world.forum.pk))["min_share"] == 0.05
