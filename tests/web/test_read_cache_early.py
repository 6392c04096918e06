"""Anonymous hits served before the rest of the middleware (EarlyReadCacheMiddleware in
commonground.core.read_cache_middleware): the same bytes and headers as the whole stack,
the reader's own CSRF cookie and nothing else, and every non-anonymous reader the whole way."""

from __future__ import annotations

import gzip
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.middleware import gzip as gzip_middleware
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonground.core import read_cache_middleware, read_cache_page
from commonground.core.replica import PIN_COOKIE
from commonground.issues.models import Issue
from commonground.issues.services import support_issue
from tests.conftest import World
from tests.web.cached_reads import cached_reads, without_csrf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("still_humanize_clock")]

WINDOW = 2.0
CSRF = django_settings.CSRF_COOKIE_NAME


@pytest.fixture
def clock(settings: Any, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The window switched on, and the read cache's clock in the test's hands."""
    settings.COMMONGROUND_READ_STALE_SECONDS = WINDOW
    now = [1_000_000.0]
    monkeypatch.setattr(read_cache_middleware, "_now", lambda: now[0])
    return now


def _early(response: Any) -> bool:
    """A stored page served before the authentication middleware ran (it sets
    ``request.user``). Only a 200 counts: an API request with a bearer token passes the
    session and authentication middleware untouched (api.token_lane), so a wrong token's
    401 has no ``request.user`` either, though it went the whole way."""
    return response.status_code == 200 and not hasattr(response.wsgi_request, "user")


def _reader(csrf_secret: str = "") -> Client:
    client = Client()
    if csrf_secret:
        client.cookies[CSRF] = csrf_secret
    return client


def _cookies(response: Any) -> dict[str, dict[str, str]]:
    """The cookies a response sets, with their attributes but the clock's (expires)."""
    return {
        name: {"value": morsel.value, **{k: v for k, v in morsel.items() if k != "expires"}}
        for name, morsel in response.cookies.items()
    }


def _warm(url: str, **headers: Any) -> Any:
    """The first read: rendered the whole way, which records the page's final headers."""
    whole = Client().get(url, **headers)
    assert not _early(whole)
    return whole


@pytest.mark.parametrize("encoding", ["", "gzip, deflate, br"], ids=["plain", "gzip"])
def test_an_anonymous_hit_inside_the_window_is_served_early_with_the_whole_stacks_bytes_and_headers(
    world: World, issue: Issue, clock: list[float], encoding: str
) -> None:
    secret = "a" * 32
    accepts = {"HTTP_ACCEPT_ENCODING": encoding} if encoding else {}
    for name, url in cached_reads(world, issue).items():
        whole = _reader(secret).get(url, **accepts)  # rendered the whole way
        early = _reader(secret).get(url, **accepts)
        assert not _early(whole) and _early(early), name
        assert early.status_code == whole.status_code == 200, name
        assert list(early.items()) == list(whole.items()), name  # ETag included: same reader
        assert _cookies(early) == _cookies(whole), name
        page = gzip.decompress(whole.content) if encoding else whole.content
        if b"csrfmiddlewaretoken" in page:
            # Django masks the token afresh for every response; everything else is the same.
            assert early.content != whole.content and len(early.content) == len(whole.content)
        else:
            assert early.content == whole.content, name


def test_an_early_hit_runs_no_query(world: World, issue: Issue, clock: list[float]) -> None:
    for name, url in cached_reads(world, issue).items():
        _warm(url)
        with CaptureQueriesContext(connection) as queries:
            early = Client().get(url)
        assert _early(early) and len(queries) == 0, name


def test_an_early_hit_sets_only_the_readers_own_csrf_cookie_and_its_token_works(
    world: World, issue: Issue, clock: list[float]
) -> None:
    url = reverse("issues:detail", args=[issue.pk])
    _warm(url)
    reader = Client(enforce_csrf_checks=True)
    first = reader.get(url)
    assert _early(first)
    assert set(first.cookies) == {CSRF}  # a new reader's own new secret, nothing else
    returning = _reader("b" * 32).get(url)
    assert _early(returning) and returning.cookies[CSRF].value == "b" * 32
    page = first.content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    switched = reader.post(
        reverse("set_language"), {"language": "fr", "next": url, "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302
    assert b'<html lang="fr"' in reader.get(url).content


def test_an_early_api_hit_sets_no_cookie(world: World, issue: Issue, clock: list[float]) -> None:
    url = f"/api/v1/issues/{issue.pk}"
    _warm(url)
    early = Client().get(url)
    assert _early(early) and not early.cookies and "Set-Cookie" not in early


@pytest.mark.parametrize(
    "who",
    ["session cookie", "authorization header", "replica pin", "htmx", "conditional", "post"],
)
def test_a_reader_who_is_not_plainly_anonymous_takes_the_whole_way(
    world: World, issue: Issue, clock: list[float], who: str
) -> None:
    url = f"/api/v1/issues/{issue.pk}"
    _warm(url)
    client = Client()
    headers: dict[str, str] = {}
    if who == "session cookie":
        client.cookies[django_settings.SESSION_COOKIE_NAME] = "not-a-session"
    elif who == "authorization header":
        headers["HTTP_AUTHORIZATION"] = "Bearer not-a-token"
    elif who == "replica pin":
        client.cookies[PIN_COOKIE] = "1"
    elif who == "htmx":
        headers["HTTP_HX_REQUEST"] = "true"
    elif who == "conditional":
        headers["HTTP_IF_NONE_MATCH"] = '"not-this-one"'
    response = client.post(url, **headers) if who == "post" else client.get(url, **headers)
    assert not _early(response)


def test_a_plain_anonymous_reader_is_served_early_at_the_boundary_of_those_rules(
    world: World, issue: Issue, clock: list[float]
) -> None:
    """An unrelated cookie or an expired (empty) pin is still a plain anonymous reader."""
    url = f"/api/v1/issues/{issue.pk}"
    _warm(url)
    client = Client()
    client.cookies["theme"] = "dark"
    client.cookies[PIN_COOKIE] = ""
    assert _early(client.get(url))


def test_the_member_who_supported_sees_it_at_once_while_anonymous_readers_may_lag(
    world: World, issue: Issue, clock: list[float]
) -> None:
    url = f"/api/v1/issues/{issue.pk}"
    _warm(url)
    supporter = world.member["government"]
    support_issue(supporter, issue)
    member = world.client_for(supporter).get(url)
    assert not _early(member) and member.json()["support_count"] == 1
    anonymous = Client().get(url)
    assert _early(anonymous) and anonymous.json()["support_count"] == 0  # inside the window


def test_a_support_changes_the_agenda_for_the_next_anonymous_reader_past_the_window(
    world: World, issue: Issue, clock: list[float]
) -> None:
    url = f"/api/v1/forums/{world.forum.slug}/agenda"
    before = _warm(url).json()
    support_issue(world.member["government"], issue)
    assert Client().get(url).json() == before  # inside the window: may lag, early
    clock[0] += WINDOW + 0.01
    after = Client().get(url)
    assert not _early(after) and after.json() != before
    again = Client().get(url)
    assert _early(again) and again.json() == after.json()


@pytest.mark.parametrize(
    "reader",
    [
        {"cookie": "fr"},
        {"HTTP_ACCEPT_LANGUAGE": "es"},
        {"HTTP_ACCEPT_LANGUAGE": "ar,en;q=0.5"},
        {"query": "?original=1"},
    ],
    ids=["language cookie", "accept-language", "accept-language list", "original"],
)
def test_languages_and_the_original_text_are_kept_apart_from_the_default_page(
    world: World, issue: Issue, clock: list[float], reader: dict[str, str]
) -> None:
    base = reverse("issues:detail", args=[issue.pk])
    default = _warm(base)
    url = base + reader.get("query", "")
    headers = {k: v for k, v in reader.items() if k.startswith("HTTP_")}

    def other() -> Client:
        client = Client()
        if "cookie" in reader:
            client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = reader["cookie"]
        return client

    first = other().get(url, **headers)
    assert not _early(first)  # never served the default page early
    early = other().get(url, **headers)
    assert _early(early)
    assert early["Content-Language"] == first["Content-Language"]
    if "query" in reader:
        assert early["Content-Language"] == default["Content-Language"] == "en"
    else:
        assert early["Content-Language"] != "en"
        assert f'<html lang="{early["Content-Language"]}"'.encode() in early.content
    assert _early(Client().get(base))
    assert Client().get(base)["Content-Language"] == "en"


def test_without_the_window_nothing_is_served_early(
    world: World, issue: Issue, settings: Any
) -> None:
    settings.COMMONGROUND_READ_STALE_SECONDS = 0
    url = f"/api/v1/issues/{issue.pk}"
    for _ in range(3):
        assert not _early(Client().get(url))


def test_a_response_that_sets_another_cookie_is_never_recorded(
    world: World, issue: Issue, clock: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"/api/v1/issues/{issue.pk}"
    original = read_cache_middleware._render

    def with_cookie(*args: Any) -> Any:
        response = original(*args)
        response.set_cookie("someone", "else")
        return response

    monkeypatch.setattr(read_cache_middleware, "_render", with_cookie)
    assert Client().get(url).cookies["someone"].value == "else"  # rendered, not recorded
    monkeypatch.setattr(read_cache_middleware, "_render", original)
    second = Client().get(url)  # a hit the whole way, which records it
    assert not _early(second) and not SimpleCookie(second.cookies.output()).get("someone")
    third = Client().get(url)
    assert _early(third) and "someone" not in third.cookies


def test_a_hit_is_gzipped_from_parts_compressed_once_and_decompresses_to_the_readers_page(
    world: World, issue: Issue, clock: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    gzip_accepted = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
    for name, url in cached_reads(world, issue).items():
        plain = _warm(url)  # rendered, uncompressed (no Accept-Encoding)

        def no_compression(*args: Any, **kwargs: Any) -> bytes:
            raise AssertionError("a stored page was compressed again")

        monkeypatch.setattr(gzip_middleware, "compress_string", no_compression)
        reader = Client(enforce_csrf_checks=True)
        early = reader.get(url, **gzip_accepted)
        monkeypatch.undo()
        assert _early(early) and early["Content-Encoding"] == "gzip", name
        assert early["Vary"] == plain["Vary"], name  # compression patched it already
        assert early["ETag"].startswith("W/"), name
        page = gzip.decompress(early.content)  # checks the CRC and the length
        assert int(early["Content-Length"]) == len(early.content) < len(page), name
        assert without_csrf(page) == without_csrf(plain.content), name
        if b"csrfmiddlewaretoken" in page:
            token = page.decode().split('name="csrfmiddlewaretoken" value="', 1)[1][:64]
            posted = reader.post(
                reverse("set_language"),
                {"language": "en", "next": url, "csrfmiddlewaretoken": token},
            )
            assert posted.status_code == 302, name


def test_a_hit_the_whole_way_is_gzipped_from_the_same_parts(
    world: World, issue: Issue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the window every hit goes the whole way (ReadCacheMiddleware), compressed
    from the stored parts as well."""
    url = reverse("issues:detail", args=[issue.pk])
    plain = Client().get(url)
    monkeypatch.setattr(gzip_middleware, "compress_string", None)  # any call fails
    whole = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert not _early(whole) and whole["Content-Encoding"] == "gzip"
    assert without_csrf(gzip.decompress(whole.content)) == without_csrf(plain.content)


@pytest.mark.parametrize(
    "stored",
    [
        b"<p>no form</p>",
        read_cache_middleware.CSRF_PLACEHOLDER + b"<p>at the start</p>",
        b"<p>at the end</p>" + read_cache_middleware.CSRF_PLACEHOLDER,
        b"<a>"
        + read_cache_middleware.CSRF_PLACEHOLDER
        + b"<b>"
        + read_cache_middleware.CSRF_PLACEHOLDER
        + b"<c>",
        read_cache_middleware.CSRF_PLACEHOLDER * 2,
    ],
    ids=["none", "first", "last", "two", "adjacent"],
)
def test_a_stored_page_gets_the_readers_token_at_each_stand_in_and_is_otherwise_unchanged(
    stored: bytes, rf: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hit joins the stored page's pieces around its stand-ins with the reader's token,
    found once per entry: the same bytes as replacing every stand-in, for every reader."""
    entry = {"content": stored, "headers": {}, "expires": 0.0}
    for reader in ("a" * 64, "b" * 64):
        monkeypatch.setattr(read_cache_page, "get_token", lambda request, t=reader: t)
        served = read_cache_middleware._content_of(entry, rf.get("/"))
        assert served.content == stored.replace(
            read_cache_middleware.CSRF_PLACEHOLDER, reader.encode()
        )
