"""The web session's middleware, skipped for an API request that carries a bearer token.

A request to the API with ``Authorization: Bearer`` is authenticated by its token alone
(api/middleware.py): it never falls back to the session (a wrong token is a 401 whatever
cookie comes with it), and the API reads no session and sets no messages. So for such a
request the session, authentication and messages middleware would each build their part
of the request and look at the response for nothing: under the support storm (issue 19)
a few per cent of a support's application CPU that the floor write does not pay.

Each class here is Django's own, with ``__call__`` handing a token request straight to the
next layer (Django's admin and system checks accept the subclasses). Everything else takes
Django's path unchanged: an API call by the session cookie still gets its session and its
user, and ninja's CSRF check on unsafe methods (api/auth.py, ``SessionCsrfAuth``). Django's
CSRF middleware stays whole for every request. ``tests/api/test_support_route.py`` compares
the answers byte for byte with the whole stack's.
"""

from __future__ import annotations

from collections.abc import Awaitable

from django.contrib.auth.middleware import AuthenticationMiddleware as _Authentication
from django.contrib.messages.middleware import MessageMiddleware as _Messages
from django.contrib.sessions.middleware import SessionMiddleware as _Session
from django.http import HttpRequest, HttpResponseBase

from commonground.api.auth import offered_token
from commonground.api.middleware import API_PREFIX

# What Django's MiddlewareMixin.__call__ returns (a coroutine for an asynchronous stack).
Response = HttpResponseBase | Awaitable[HttpResponseBase]

# Set on the request once decided, so the three layers below decide once between them.
_LANE = "_commonground_token_lane"


def takes_token_lane(request: HttpRequest) -> bool:
    """Whether ``request`` is an API request with a bearer token (a wrong one included:
    BearerTokenMiddleware answers it with 401 before any route runs)."""
    decided = getattr(request, _LANE, None)
    if decided is None:
        decided = request.path.startswith(API_PREFIX) and offered_token(request) is not None
        setattr(request, _LANE, decided)
    return decided


class SessionMiddleware(_Session):
    def __call__(self, request: HttpRequest) -> Response:
        if takes_token_lane(request):
            return self.get_response(request)
        return super().__call__(request)


class AuthenticationMiddleware(_Authentication):
    def __call__(self, request: HttpRequest) -> Response:
        if takes_token_lane(request):
            return self.get_response(request)
        return super().__call__(request)


class MessageMiddleware(_Messages):
    def __call__(self, request: HttpRequest) -> Response:
        if takes_token_lane(request):
            return self.get_response(request)
        return super().__call__(request)
