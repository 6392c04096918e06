"""Security headers that Django does not set by itself."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers

from commonground.core.gzip_parts import Spliced

# No inline script or style anywhere: the stylesheet, HTMX and our small script
# are files under /static/, and SVG charts use attributes, not style elements.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The interactive API docs page loads its own assets; leave its CSP to it.
        if not request.path.startswith("/api/v1/docs/interactive"):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


# Text worth compressing; images, archives and downloads are compressed already or streamed.
COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "application/javascript",
    "image/svg+xml",
)
SECRET_MARK = "_commonground_carries_secret"
# A page of the read cache carries its content compressed once (commonground.core.gzip_parts).
PRECOMPRESSED = "_commonground_precompressed"


def carries_secret(response: HttpResponse) -> HttpResponse:
    """Mark a response that shows a secret of its reader (a new API token): never compressed."""
    setattr(response, SECRET_MARK, True)
    return response


class CompressionMiddleware(GZipMiddleware):
    """Gzip for pages and JSON (a 60 KB agenda page travels as about 8 KB).

    BREACH (guessing a secret in a compressed page from its size, with attacker-chosen text
    reflected beside it) is answered three ways: Django masks the CSRF token afresh in
    every response, so it never repeats; Django's gzip pads each response with up to 100
    random bytes ("Heal the BREACH"); and a page that shows a secret of its own (a new API
    token) is marked with ``carries_secret`` and sent uncompressed. Static files never get
    here: WhiteNoise, above, answers them with their own precompressed copies.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        content_type = response.get("Content-Type", "")
        if getattr(response, SECRET_MARK, False) or not content_type.startswith(COMPRESSIBLE):
            return response
        spliced = getattr(response, PRECOMPRESSED, None)
        if (
            isinstance(spliced, Spliced)
            and isinstance(response, HttpResponse)
            and response.content == spliced.content  # nothing changed it since
        ):
            return _with_gzip(request, response, spliced)
        return super().process_response(request, response)


# A stored page's Vary -> the same with Accept-Encoding, as patch_vary_headers makes it
# (parsing and joining it again was about 14 µs of every compressed hit); the read cache's
# pages have a few Vary values at most, so a small bound is never reached in practice.
_VARY_GZIP: dict[str, str] = {}
_VARY_GZIP_SIZE = 64


def _with_gzip(request: HttpRequest, response: HttpResponse, spliced: Spliced) -> HttpResponse:
    """GZipMiddleware's answer for a response whose gzip is already made: the same checks
    and headers in the same order (Django's non-streaming branch), not the compression.

    The headers go straight into the response's store, as ``ResponseHeaders.__setitem__``
    puts them (lower-cased name -> (name, value)): their names are these constants and
    their values ASCII made here (a length, ``gzip``, a Vary and an ETag Django already
    checked when they were set), so its check and conversion of each name and value, four
    per compressed hit, are left out (as the early hits copy a stored page's headers)."""
    store = response.headers._store
    if len(response.content) < 200 or response.has_header("Content-Encoding"):
        return response
    vary = response.get("Vary")
    patched = _VARY_GZIP.get(vary) if vary is not None else None
    if patched is not None:
        store["vary"] = ("Vary", patched)
    else:
        patch_vary_headers(response, ("Accept-Encoding",))
        if vary is not None and len(_VARY_GZIP) < _VARY_GZIP_SIZE:
            _VARY_GZIP[vary] = response["Vary"]
    if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        return response
    compressed = spliced.gzip()
    if len(compressed) >= len(response.content):
        return response
    response.content = compressed
    store["content-length"] = ("Content-Length", str(len(compressed)))
    etag = response.get("ETag")
    if etag and etag.startswith('"'):
        store["etag"] = ("ETag", "W/" + etag)
    store["content-encoding"] = ("Content-Encoding", "gzip")
    return response
