"""Pages and JSON travel compressed, except a page showing a secret (issue 17.6, BREACH).

Django's gzip pads every response with random bytes and the CSRF token is masked afresh
in each page; a page that shows a new API token is sent uncompressed all the same.
"""

from __future__ import annotations

import gzip

import pytest
from django.test import Client

from tests.conftest import World

pytestmark = pytest.mark.django_db

GZIP = {"accept-encoding": "gzip, deflate, br"}


def test_a_page_travels_gzipped_to_a_browser_that_accepts_it_and_plain_otherwise(
    world: World,
) -> None:
    path = f"/forums/{world.forum.slug}/"
    plain = Client().get(path)
    assert plain.status_code == 200 and "Content-Encoding" not in plain
    zipped = Client(headers=GZIP).get(path)
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    html = gzip.decompress(zipped.content).decode()
    assert world.forum.name in html
    assert len(zipped.content) < len(plain.content) / 2


def test_json_travels_gzipped() -> None:
    response = Client(headers=GZIP).get("/api/v1/openapi.json")
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).startswith(b"{")


def test_the_page_showing_a_new_api_token_is_never_compressed(world: World) -> None:
    client = Client(headers=GZIP)
    client.force_login(world.member["civil_society"])
    shown = client.post("/account/", {"name": "my script"})
    assert shown.status_code == 200
    assert "Content-Encoding" not in shown
    assert b"cg_" in shown.content  # the new key, shown once, in the clear
    # The same page without a secret on it is compressed as usual.
    assert client.get("/account/")["Content-Encoding"] == "gzip"
