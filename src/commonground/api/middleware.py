"""What every API request passes before any route runs: the body limit and the bearer token.

Both answer in JSON, as every API error does, and both act before the body is read or a
route is chosen, so an oversized body or a wrong token costs the server next to nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from commonground.api.auth import BAD_TOKEN_MESSAGE, offered_token, user_for_token

API_PREFIX = "/api/"

# The largest request body the API reads (docs/api.md, "Limits"). The largest legitimate
# body is an issue: a 20,000-character description written as JSON \u escapes of
# characters outside the BMP is 240 kB; 512 KiB leaves room for the other fields.
MAX_BODY_BYTES = 512 * 1024

Handler = Callable[[HttpRequest], HttpResponse]


def _json_error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def body_too_large(size: int) -> JsonResponse:
    """The 413 answer to a body of ``size`` bytes."""
    return _json_error(
        413,
        _(
            "The request body is %(size)s bytes; the API accepts at most %(limit)s bytes "
            "(%(kib)s KiB)."
        )
        % {"size": f"{size:,}", "limit": f"{MAX_BODY_BYTES:,}", "kib": MAX_BODY_BYTES // 1024},
    )


class BodyLimitMiddleware:
    """Refuse an API request whose declared body is over ``MAX_BODY_BYTES`` with 413.

    Decided on the Content-Length header alone, before anything reads the body (Django
    reads no more than Content-Length, so a body without it is empty to the API).
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            declared = request.META.get("CONTENT_LENGTH") or "0"
            try:
                size = int(declared)
            except ValueError:
                return _json_error(400, _("The Content-Length header is not a number."))
            if size > MAX_BODY_BYTES:
                return body_too_large(size)
        return self.get_response(request)


class BearerTokenMiddleware:
    """Refuse an API request carrying a wrong bearer token with 401, whatever the route.

    Public reads take no authentication in the OpenAPI sense, so without this a revoked
    token would silently read as anonymous there. A valid token's user becomes
    ``request.user``, looked up once for the request.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = offered_token(request) if request.path.startswith(API_PREFIX) else None
        if key is not None:
            user = user_for_token(key)
            if user is None:
                response = _json_error(401, BAD_TOKEN_MESSAGE)
                response["WWW-Authenticate"] = 'Bearer realm="api"'
                return response
            request.user = user
            request._bearer_user = user  # type: ignore[attr-defined]
        return self.get_response(request)
