"""Pages and JSON travel compressed, except a page showing a secret (issue 17.6, BREACH).

Django's gzip pads every response with random bytes and the CSRF token is masked afresh
in each page; a page that shows a new API token is sent uncompressed all the same.
"""

from __future__ import annotations

import gzip
from typing import Any

import pytest
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.test import Client
from django.utils.cache import patch_vary_headers

from commonground.core.gzip_parts import Spliced, deflate_parts
from commonground.core.middleware import _with_gzip
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


@pytest.mark.parametrize(
    "vary",
    ["Cookie, Accept-Language", "Accept-Encoding, Cookie", "accept-encoding", "*", "Cookie,Cookie"],
)
def test_a_stored_page_compressed_again_gets_the_vary_djangos_gzip_would_give_it(
    vary: str, rf: Any
) -> None:
    """The Vary of a stored page's gzip is remembered per value the page had: the first and
    every later answer carry what Django's patch_vary_headers makes of it."""
    content = b"<p>" + b"a page of a few hundred bytes " * 20 + b"</p>"
    spliced = Spliced(deflate_parts([content]), b"", content)
    expected = HttpResponse(content, headers={"Vary": vary})
    patch_vary_headers(expected, ("Accept-Encoding",))
    request = rf.get("/", HTTP_ACCEPT_ENCODING="gzip")
    for _ in range(2):  # the first patches and remembers, the second takes it
        response = HttpResponse(content, headers={"Vary": vary})
        answered = _with_gzip(request, response, spliced)
        assert answered["Vary"] == expected["Vary"]
        assert gzip.decompress(answered.content) == content


@pytest.mark.parametrize("etag", ['"a1b2"', 'W/"a1b2"', None])
def test_a_stored_page_compressed_again_has_the_headers_djangos_gzip_gives_it(
    etag: str | None, rf: Any
) -> None:
    """Names, values and order of the headers as Django's GZipMiddleware sets them (the
    length is each answer's own: Django pads every gzip with random bytes)."""
    content = b"<p>" + b"a page of a few hundred bytes " * 20 + b"</p>"
    spliced = Spliced(deflate_parts([content]), b"", content)
    headers = {"Vary": "Cookie"} | ({"ETag": etag} if etag else {})
    request = rf.get("/", HTTP_ACCEPT_ENCODING="gzip")
    django = GZipMiddleware(lambda r: HttpResponse(content, headers=headers))(request)
    for _ in range(2):  # the Vary patched, then remembered
        ours = _with_gzip(request, HttpResponse(content, headers=headers), spliced)
        assert [n for n, _ in ours.items()] == [n for n, _ in django.items()]
        mine = {n: v for n, v in ours.items() if n != "Content-Length"}
        assert mine == {n: v for n, v in django.items() if n != "Content-Length"}
        assert ours["Content-Length"] == str(len(ours.content))
        assert gzip.decompress(ours.content) == content
