"""Cached reads for anonymous readers, keyed by the versions of what they show.

``COMMONGROUND_READ_CACHE_ROUTES`` lists ``(path regex, key function)``: for a GET whose
path matches, the key function (given the regex's named groups) returns the scopes the
read depends on (commonground.core.readcache) and any version it reads itself from the
database (e.g. the cycle's tally version), or None to leave the request alone. The
response is stored in the shared cache under a key made of those versions, the path with
its query, the host, the language and the build; the next anonymous reader with the same
key gets it without running the view, and a browser that already holds it gets a 304.

Only anonymous readers are served from the cache or fill it: no session, no messages
cookie, no ``Authorization`` header, no HTMX partial. A page's CSRF token (the header's
language switch) is stored as a stand-in, replaced by each reader's own token when
served. A request whose reads go to a replica reads the versions there too, so what it
stores matches the versions it read. Per process, a small memory of entries avoids unpickling
the same page again: it is keyed by the same versions, so processes cannot disagree.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache as memoize
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils.module_loading import import_string
from django.utils.translation import get_language

from commonground.core import readcache

PAGE_PREFIX = "cg:read:"
CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")')
CSRF_PLACEHOLDER = b"\x00csrf\x00"
_LOCAL: OrderedDict[str, dict[str, Any]] = OrderedDict()
_LOCAL_SIZE = 256


@dataclass(frozen=True)
class ReadKey:
    """What a cached read depends on: scopes of the shared versions, and versions the key
    function read itself (e.g. ``"tally:42"``)."""

    scopes: tuple[str, ...]
    extra: tuple[str, ...] = ()


@memoize
def _routes() -> list[tuple[re.Pattern[str], Callable[..., ReadKey | None]]]:
    return [
        (re.compile(pattern), import_string(function))
        for pattern, function in getattr(settings, "COMMONGROUND_READ_CACHE_ROUTES", ())
    ]


@memoize
def _build() -> str:
    """Names this deployment: pages of another version or static manifest are not served."""
    try:
        version = importlib.metadata.version("commonground")
    except importlib.metadata.PackageNotFoundError:
        version = "?"
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    digest = hashlib.sha256(manifest.read_bytes()).hexdigest()[:16] if manifest.exists() else ""
    return f"{version}:{digest}:{getattr(settings, 'STATIC_COLLECTED', False)}"


def _anonymous(request: HttpRequest) -> bool:
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return False
    if "HTTP_HX_REQUEST" in request.META:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return not request.user.is_authenticated


def _page_key(request: HttpRequest, read: ReadKey, tokens: list[str]) -> str:
    parts = [
        _build(),
        connection.settings_dict["NAME"],
        request.get_host(),
        request.get_full_path(),
        get_language() or "",
        *read.extra,
        *(f"{s}={t}" for s, t in zip(read.scopes, tokens, strict=True)),
    ]
    return PAGE_PREFIX + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _etag(key: str, request: HttpRequest) -> str:
    # The reader's CSRF cookie is part of it: a page kept by a browser carries a token
    # of that cookie, and must not be reused once the cookie changed.
    cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    return '"' + hashlib.sha256(f"{key}\n{cookie}".encode()).hexdigest()[:32] + '"'


def _remember(key: str, entry: dict[str, Any]) -> None:
    _LOCAL[key] = entry
    _LOCAL.move_to_end(key)
    while len(_LOCAL) > _LOCAL_SIZE:
        _LOCAL.popitem(last=False)


def _lookup(key: str) -> dict[str, Any] | None:
    entry = _LOCAL.get(key)
    if entry is not None and entry["expires"] < time.time():
        del _LOCAL[key]
        entry = None
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            _remember(key, entry)
    return entry


def _entry_of(response: HttpResponse) -> dict[str, Any] | None:
    """What is stored of a fresh response, or None when it must not be shared."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    content = CSRF_FIELD.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
    expires = time.time() + readcache.seconds()
    return {"content": content, "headers": dict(response.items()), "expires": expires}


def _response_of(entry: dict[str, Any], request: HttpRequest) -> HttpResponse:
    content: bytes = entry["content"]
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in entry["headers"].items():
        response[name] = value
    return response


def _not_modified(request: HttpRequest, etag: str) -> bool:
    # Compression makes the tag weak (W/"..."); a weak match is enough for a GET.
    wanted = request.META.get("HTTP_IF_NONE_MATCH", "")
    return etag in [tag.strip().removeprefix("W/") for tag in wanted.split(",")]


class ReadCacheMiddleware:
    """Serves and fills the read cache (see the module's docstring); last in MIDDLEWARE."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., HttpResponse],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if readcache.seconds() <= 0 or not _anonymous(request):
            return None
        found = next(
            ((f, m) for p, f in _routes() if (m := p.fullmatch(request.path_info)) is not None),
            None,
        )
        if found is None:
            return None
        key_function, match = found
        read = key_function(**match.groupdict())
        if read is None:
            return None
        tokens = readcache.versions(read.scopes)
        key = _page_key(request, read, tokens)
        etag = _etag(key, request)
        if _not_modified(request, etag):
            return HttpResponseNotModified(headers={"ETag": etag})
        entry = _lookup(key)
        if entry is None:
            response = view(request, *args, **kwargs)
            entry = _entry_of(response)
            if entry is None:
                return response
            cache.set(key, entry, timeout=readcache.seconds())
            _remember(key, entry)
        response = _response_of(entry, request)
        response["ETag"] = etag
        return response
