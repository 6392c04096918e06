"""A signed-in member's interface language: the one chosen in their profile, if any."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


class MemberLanguageMiddleware:
    """After LocaleMiddleware (cookie, then Accept-Language) and authentication: a member who
    chose a language (the header's switch or the account page) gets it on every device."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None else ""
        if language and user is not None and user.is_authenticated:
            # Restored after the response (requests share threads); LocaleMiddleware keeps
            # the Content-Language set here.
            with translation.override(language):
                request.LANGUAGE_CODE = translation.get_language()
                response = self.get_response(request)
            response.headers["Content-Language"] = request.LANGUAGE_CODE
            return response
        return self.get_response(request)
