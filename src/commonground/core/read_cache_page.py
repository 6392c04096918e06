"""A stored page served to one reader (commonground.core.read_cache_middleware).

A page is stored with its CSRF tokens as stand-ins; each reader gets their own token in
their place, and the compressed parts stored with the page spliced around it
(commonground.core.gzip_parts), so no reader's page is compressed or searched whole.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse

from commonground.core import gzip_parts
from commonground.core.csrf import get_token
from commonground.core.middleware import PRECOMPRESSED

CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")')
CSRF_PLACEHOLDER = b"\x00csrf\x00"


def _pieces(entry: dict[str, Any]) -> tuple[memoryview, ...]:
    """The stored page's content around its CSRF stand-ins, as views into it (no copy).

    Found once per entry in this process and kept on it: a reader's page is then the
    pieces joined by their token, one pass over the page, where ``bytes.replace`` searched
    the whole page for each reader (about 70 µs for an issue page of 90 KB with its
    comments, against 5 µs). Views cannot be pickled: the entry is stored in the shared
    cache before its pieces are found, and never stored again."""
    pieces: tuple[memoryview, ...] | None = entry.get("pieces")
    if pieces is None:
        content: bytes = entry["content"]
        whole = memoryview(content)
        found, start = [], 0
        while (at := content.find(CSRF_PLACEHOLDER, start)) >= 0:
            found.append(whole[start:at])
            start = at + len(CSRF_PLACEHOLDER)
        found.append(whole[start:])
        pieces = tuple(found)
        entry["pieces"] = pieces
    return pieces


def _content_of(entry: dict[str, Any], request: HttpRequest) -> HttpResponse:
    """A response with the stored page's content for this reader (their CSRF token in it)
    and no header yet; compression takes its stored compressed parts."""
    content: bytes = entry["content"]
    token = b""
    pieces = _pieces(entry)
    if len(pieces) > 1:
        token = get_token(request).encode()
        content = token.join(pieces)
    response = HttpResponse(content)
    for name in list(response.headers):
        del response.headers[name]
    deflated = entry.get("deflated")
    if deflated is not None:
        setattr(response, PRECOMPRESSED, gzip_parts.Spliced(deflated, token, content))
    return response


def _response_of(entry: dict[str, Any], request: HttpRequest) -> HttpResponse:
    response = _content_of(entry, request)
    for name, value in entry["headers"].items():
        response[name] = value
    return response
