"""The web session's middleware, skipped for an API request that carries a bearer token.

A request to the API with ``Authorization: Bearer`` is authenticated by its token alone
(api/middleware.py): it never falls back to the session (a wrong token is a 401 whatever
cookie comes with it), and the API reads no session and sets no messages. So for such a
request the session, authentication and messages middleware would each build their part
of the request and look at the response for nothing: under the support storm (issue 19)
a few per cent of a support's application CPU that the floor write does not pay.

Each class here is Django's own, with ``__call__`` handing a token request straight to the
next layer (Django's admin and system checks accept the subclasses). The locale middleware
is the exception: a token request's answer is still in the language its ``Accept-Language``
asks for (error messages, ``Content-Language``, ``Vary``), but that language is worked out
once per header value instead of on every request (``LocaleMiddleware`` below).
Everything else takes Django's path unchanged: an API call by the session cookie still
gets its session and its user, and ninja's CSRF check on unsafe methods (api/auth.py,
``SessionCsrfAuth``). Django's CSRF middleware stays whole for every request.
``tests/api/test_support_route.py`` compares the answers byte for byte with the whole
stack's.
"""

from __future__ import annotations

from collections.abc import Awaitable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.auth.middleware import AuthenticationMiddleware as _Authentication
from django.contrib.messages.middleware import MessageMiddleware as _Messages
from django.contrib.sessions.middleware import SessionMiddleware as _Session
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware as _Locale
from django.utils import translation
from django.utils.cache import patch_vary_headers

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


class _Asking:
    """What Django's ``get_language_from_request`` reads of a request without cookies."""

    COOKIES: dict[str, str] = {}

    def __init__(self, accept_language: str) -> None:
        self.META = {"HTTP_ACCEPT_LANGUAGE": accept_language}


# Bounded: the header is the client's to choose (Django bounds its own caches the same way).
@lru_cache(maxsize=512)
def _language_for(accept_language: str) -> str:
    """The language Django's LocaleMiddleware activates for a request with this
    ``Accept-Language`` header, no cookie and no language prefix in its URLconf."""
    return str(translation.get_language_from_request(_Asking(accept_language)))  # type: ignore[arg-type]


def _forget_languages(*, setting: str, **kwargs: Any) -> None:
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "LANGUAGE_COOKIE_NAME"}:
        _language_for.cache_clear()


setting_changed.connect(_forget_languages)


class LocaleMiddleware(_Locale):
    """Django's, with a token request's language taken from the ``Accept-Language`` header
    by a per-process table (``_language_for``): the same language activated, the same
    ``Content-Language`` and ``Vary: Accept-Language`` on the answer, without parsing the
    header and testing the path for a language prefix on every request (~2 % of a
    support's application CPU under the support storm, issue 19). A request with cookies
    (one may name a language) or a URLconf with language prefixes takes Django's path."""

    def __call__(self, request: HttpRequest) -> Response:
        if (
            self.async_mode
            or not takes_token_lane(request)
            or request.META.get("HTTP_COOKIE")
            or hasattr(request, "urlconf")
            or is_language_prefix_patterns_used(settings.ROOT_URLCONF)[0]
        ):
            return super().__call__(request)
        translation.activate(_language_for(request.META.get("HTTP_ACCEPT_LANGUAGE", "")))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        assert isinstance(response, HttpResponseBase)  # a synchronous stack (async_mode above)
        # As Django's process_response without language prefixes: the language active now.
        if "Vary" in response.headers:
            patch_vary_headers(response, ("Accept-Language",))
        else:  # what patch_vary_headers writes when there is none yet
            response.headers["Vary"] = "Accept-Language"
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
