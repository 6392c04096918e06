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

Bounded staleness (``COMMONGROUND_READ_STALE_SECONDS``, the *window*; 0 turns it off):
anonymous readers accept a page that was current a moment ago, the way a read replica's
readers accept its lag. Each place (the key without versions) has a *pointer* to the
versioned key last found current and when its versions were read ("checked"). While the
pointer is younger than the window, a reader is served its page without reading any
version (no query when the page is in this process's memory); after that, the first
reader reads the versions again, and on a miss one renderer per place (a lock in the
shared cache) renders the new page while the others keep serving the pointed page for at
most ``RENDER_GRACE`` more seconds. So an anonymous page reflects every change committed
before a moment at most the window ago (window + grace while a render is under way), and
the pages of a busy cycle render once per window instead of after every support. Members
and the writer of a change (a member, or a request carrying the replica pin cookie of a
recent write) are never served from the cache.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache as memoize
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.module_loading import import_string
from django.utils.translation import get_language

from commonground.core import gzip_parts, readcache
from commonground.core.middleware import COMPRESSIBLE
from commonground.core.read_cache_page import (
    CSRF_FIELD,
    CSRF_PLACEHOLDER,
    _content_of,
    _pieces,
    _response_of,
)
from commonground.core.replica import PIN_COOKIE

PAGE_PREFIX = "cg:read:"
_LOCAL: OrderedDict[str, dict[str, Any]] = OrderedDict()
_LOCAL_SIZE = 256
# place -> (versioned key, when its versions were read); per process, bounded like _LOCAL.
_POINTERS: OrderedDict[str, tuple[str, float]] = OrderedDict()
# Served before the rest of the middleware (EarlyReadCacheMiddleware), per process: what
# the request's own inputs mapped to (its place), and each stored page's final headers as
# the whole stack answered them.
_PLACES: OrderedDict[tuple[str, ...], str] = OrderedDict()
_FINAL: OrderedDict[str, Answered] = OrderedDict()
_PLACES_SIZE = 1024
# Parts of sections ({% readcached_part %}, commonground.core.templatetags.readcached), per
# process: key -> the part's HTML, CSRF tokens as stand-ins.
_PARTS: OrderedDict[str, bytes] = OrderedDict()
_PARTS_SIZE = 4096
POINTER_PREFIX = "cg:read-at:"
LOCK_PREFIX = "cg:read-lock:"
# How long a place's renderer holds its lock at most, and so how much longer than the
# window the others may serve the previous page meanwhile (a crashed renderer stops
# no one past it).
RENDER_GRACE = 10.0


@dataclass(frozen=True)
class Answered:
    """A stored page's response as the whole middleware stack answered it: its headers in
    their order (the ETag's value, which is the reader's, replaced when served) and
    whether it set the reader's CSRF cookie (the only cookie it may carry). ``store``: the
    same headers as Django's ``ResponseHeaders`` keeps them (lower-cased name -> (name,
    value)), so an early hit takes them in one copy."""

    headers: tuple[tuple[str, str], ...]
    csrf_cookie: bool
    store: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class ReadKey:
    """What a cached read depends on: scopes of the shared versions, and versions the key
    function read itself (e.g. ``"tally:42"``). ``carry``: what the key function computed
    that the page must show exactly as keyed (set on the request as ``read_carry``).
    ``tokens``: the scopes' versions, when the key function read them in its own statement
    (``readcache.versions_subquery``), so they are not read again."""

    scopes: tuple[str, ...]
    extra: tuple[str, ...] = ()
    carry: Mapping[str, Any] = field(default_factory=dict)
    tokens: tuple[str, ...] | None = None


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


def _now() -> float:
    """The clock of entries and pointers (one place, so a test can move it)."""
    return time.time()


def _anonymous_by_headers(request: HttpRequest) -> bool:
    """What the request itself says: a plain GET, no credentials, no session, no pin."""
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return False
    if "HTTP_HX_REQUEST" in request.META:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    # The replica pin marks whoever wrote a moment ago (an API client with a token too):
    # their next read must show their write, so neither the window nor a stored page serves it.
    return not cookies.get(PIN_COOKIE)


def _anonymous(request: HttpRequest) -> bool:
    return _anonymous_by_headers(request) and not request.user.is_authenticated


def _place(request: HttpRequest) -> str:
    """What a cached read is of, before versions: the build, database, host, path with its
    query and language."""
    parts = [
        _build(),
        connection.settings_dict["NAME"],
        request.get_host(),
        request.get_full_path(),
        get_language() or "",
    ]
    return "\n".join(parts)


def _page_key(place: str, read: ReadKey, tokens: list[str]) -> str:
    parts = [
        place,
        *read.extra,
        *(f"{s}={t}" for s, t in zip(read.scopes, tokens, strict=True)),
    ]
    return PAGE_PREFIX + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _short(prefix: str, place: str) -> str:
    return prefix + hashlib.sha256(place.encode()).hexdigest()


def _etag(key: str, request: HttpRequest) -> str:
    # The reader's CSRF cookie is part of it: a page kept by a browser carries a token
    # of that cookie, and must not be reused once the cookie changed.
    cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    return '"' + hashlib.sha256(f"{key}\n{cookie}".encode()).hexdigest()[:32] + '"'


def _bounded(memory: OrderedDict[Any, Any], key: Any, value: Any, size: int) -> None:
    """Remember ``key`` in a per-process memory of at most ``size`` items (threads share
    it: a key another thread dropped meanwhile is not an error)."""
    memory[key] = value
    try:
        memory.move_to_end(key)
        while len(memory) > size:
            memory.popitem(last=False)
    except KeyError:
        pass


def _remember(key: str, entry: dict[str, Any]) -> None:
    _bounded(_LOCAL, key, entry, _LOCAL_SIZE)


def _lookup(key: str) -> dict[str, Any] | None:
    entry = _LOCAL.get(key)
    if entry is not None and entry["expires"] < _now():
        _LOCAL.pop(key, None)  # another thread may have dropped it already
        entry = None
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            _remember(key, entry)
    return entry


def forget() -> None:
    """Drop this process's memory of entries, pointers and parts (tests between worlds)."""
    _LOCAL.clear()
    _PARTS.clear()
    _POINTERS.clear()
    _PLACES.clear()
    _FINAL.clear()


def _point(place: str, key: str, checked: float, share: bool) -> None:
    """Record that ``key`` was current at ``checked``, in this process and, for a page just
    rendered, in the shared cache (so other processes serve it instead of rendering theirs;
    a page found unchanged is not worth a write to the shared cache)."""
    _bounded(_POINTERS, place, (key, checked), _LOCAL_SIZE)
    if share:
        cache.set(_short(POINTER_PREFIX, place), (key, checked), timeout=readcache.seconds())


def _pointed(place: str, younger_than: float) -> str | None:
    """The versioned key last found current for ``place``, if it was checked less than
    ``younger_than`` seconds ago (this process's pointer, else the shared one)."""
    oldest = _now() - younger_than
    pointer = _POINTERS.get(place)
    if pointer is None or pointer[1] < oldest:
        pointer = cache.get(_short(POINTER_PREFIX, place))
        if pointer is None or pointer[1] < oldest:
            return None
        _bounded(_POINTERS, place, pointer, _LOCAL_SIZE)
    return pointer[0]


def _entry_of(response: HttpResponse) -> dict[str, Any] | None:
    """What is stored of a fresh response, or None when it must not be shared."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    content = CSRF_FIELD.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
    expires = _now() + readcache.seconds()
    entry = {"content": content, "headers": dict(response.items()), "expires": expires}
    if response.get("Content-Type", "").startswith(COMPRESSIBLE):
        # Compressed once here rather than for every reader (commonground.core.gzip_parts).
        entry["deflated"] = gzip_parts.deflate_parts(content.split(CSRF_PLACEHOLDER))
    return entry


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
        place = _place(request)
        request.read_place = place  # type: ignore[attr-defined]
        window = readcache.stale_seconds()
        if window > 0 and (recent := _pointed(place, window)) is not None:
            served = _serve(recent, request)
            if served is not None:
                return served
        checked = _now()  # before any version is read
        read = key_function(**match.groupdict())
        if read is None:
            return None
        tokens = list(read.tokens) if read.tokens is not None else readcache.versions(read.scopes)
        # The sections of the page (commonground.core.templatetags.readcached) key
        # themselves by the same versions: read once here, not again by each section.
        request.read_versions = dict(zip(read.scopes, tokens, strict=True))  # type: ignore[attr-defined]
        request.read_carry = read.carry  # type: ignore[attr-defined]
        key = _page_key(place, read, tokens)
        served = _serve(key, request)
        if served is not None:
            if window > 0:
                _point(place, key, checked, share=False)
            return served
        if window <= 0:
            return _render(place, key, checked, request, view, args, kwargs)
        lock = _short(LOCK_PREFIX, place)
        if not cache.add(lock, 1, timeout=RENDER_GRACE):
            # Another process renders this place: the previous page meanwhile, if any.
            previous = _pointed(place, window + RENDER_GRACE)
            stale = _serve(previous, request) if previous is not None else None
            if stale is not None:
                return stale
            return _render(place, key, checked, request, view, args, kwargs)
        try:
            return _render(place, key, checked, request, view, args, kwargs)
        finally:
            cache.delete(lock)


def _render(
    place: str,
    key: str,
    checked: float,
    request: HttpRequest,
    view: Callable[..., HttpResponse],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> HttpResponse:
    """Run the view and store what it answered under ``key`` (when it may be shared), as
    the page of ``place`` current at ``checked``."""
    response = view(request, *args, **kwargs)
    entry = _entry_of(response)
    if entry is None:
        return response
    cache.set(key, entry, timeout=readcache.seconds())
    _remember(key, entry)
    if readcache.stale_seconds() > 0:
        _point(place, key, checked, share=True)
    served = _response_of(entry, request)
    served["ETag"] = _etag(key, request)
    request.read_served = key  # type: ignore[attr-defined]
    return served


def _serve(key: str, request: HttpRequest) -> HttpResponse | None:
    """The stored page of ``key`` for this reader (a 304 when their browser holds it), or
    None when it is not stored."""
    etag = _etag(key, request)
    if _not_modified(request, etag):
        return HttpResponseNotModified(headers={"ETag": etag})
    entry = _lookup(key)
    if entry is None:
        return None
    response = _response_of(entry, request)
    response["ETag"] = etag
    request.read_served = key  # type: ignore[attr-defined]
    return response


def _inputs(request: HttpRequest) -> tuple[str, ...] | None:
    """Everything of the request that decides which stored page the whole stack would serve
    it and with which headers: host, path with its query, and what the language is chosen
    from (the language cookie, Accept-Language). None when it is not an anonymous plain GET
    (credentials, a session, the replica pin, HTMX, a conditional request)."""
    meta = request.META
    if "HTTP_IF_NONE_MATCH" in meta or not _anonymous_by_headers(request):
        return None
    return (
        meta.get("HTTP_HOST", ""),
        meta.get("HTTP_X_FORWARDED_HOST", ""),
        meta.get("SERVER_NAME", ""),
        str(meta.get("SERVER_PORT", "")),
        request.get_full_path(),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
        meta.get("HTTP_ACCEPT_LANGUAGE", ""),
    )


# Used as the whole stack uses it: the reader's CSRF secret read from their cookie, and
# the cookie set on the response when the page used it.
_CSRF = CsrfViewMiddleware(lambda request: HttpResponse())


class EarlyReadCacheMiddleware:
    """Serves an anonymous reader a stored page inside the window before the sessions,
    locale, CSRF, authentication and other middleware run (placed right after compression).

    It serves only what the whole stack served a moment ago: when a request went all the
    way and ReadCacheMiddleware answered it from a stored page, this records the request's
    inputs (``_inputs``) with the place ReadCacheMiddleware computed for them, and the
    page's final headers. A later request with the same inputs, while the place's pointer
    is younger than the window, gets that page with those headers, its own CSRF token and
    cookie (as CsrfViewMiddleware gives them), and its own ETag; nothing else. Anything it
    cannot serve that way (no pointer, past the window, a page or headers not recorded in
    this process) goes the whole way. The language is never computed here: the same
    inputs give the same language on the whole way, so the place recorded for them is
    exact.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if readcache.seconds() <= 0 or readcache.stale_seconds() <= 0:
            return self.get_response(request)
        inputs = _inputs(request)
        if inputs is None:
            return self.get_response(request)
        early = _early(inputs, request)
        if early is not None:
            return early
        response = self.get_response(request)
        _record(inputs, request, response)
        return response


def _early(inputs: tuple[str, ...], request: HttpRequest) -> HttpResponse | None:
    place = _PLACES.get(inputs)
    # This process's pointer only: past it the whole way reads the shared one (a second
    # read of it here would cost the miss a round trip to the shared cache).
    pointer = _POINTERS.get(place) if place is not None else None
    if pointer is None or pointer[1] < _now() - readcache.stale_seconds():
        return None
    key = pointer[0]
    final = _FINAL.get(key)
    if final is None:
        return None
    entry = _lookup(key)
    if entry is None or (len(_pieces(entry)) > 1 and not final.csrf_cookie):
        return None
    if final.csrf_cookie:
        _CSRF.process_request(request)
    response = _content_of(entry, request)
    # The headers as the whole stack set them: Django checked and converted each value
    # then, so they are taken as they are (one copy of ResponseHeaders' own store rather
    # than a check and conversion of each name and value for every reader), the
    # reader's own ETag in its place.
    store = dict(final.store)
    if "etag" in store:
        store["etag"] = (store["etag"][0], _etag(key, request))
    response.headers._store = store
    if final.csrf_cookie:
        _CSRF.process_response(request, response)
    return response


def _record(inputs: tuple[str, ...], request: HttpRequest, response: HttpResponse) -> None:
    """Remember what the whole stack answered, when it was a stored page and may be served
    again to these inputs (a 200 whose only cookie, if any, is the reader's CSRF cookie)."""
    key = getattr(request, "read_served", None)
    place = getattr(request, "read_place", None)
    if key is None or place is None or response.status_code != 200 or response.streaming:
        return
    if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
        return
    csrf_cookie = settings.CSRF_COOKIE_NAME in response.cookies
    _bounded(_PLACES, inputs, place, _PLACES_SIZE)
    headers = tuple(response.items())
    store = {name.lower(): (name, value) for name, value in headers}
    _bounded(_FINAL, key, Answered(headers, csrf_cookie, store), _LOCAL_SIZE)
