"""allauth's login page, answering 429 when the failed-login limit refuses an attempt.

allauth refuses a login over ``ACCOUNT_RATE_LIMITS["login_failed"]`` with a form error
and status 200; clients and monitoring should see 429 Too Many Requests instead. The page
and its message are allauth's own.
"""

from __future__ import annotations

from typing import Any

from allauth.account.views import LoginView
from django.http import HttpRequest, HttpResponse

_allauth_login = LoginView.as_view()


def login(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    response = _allauth_login(request, *args, **kwargs)
    form = (getattr(response, "context_data", None) or {}).get("form")
    if form is not None and form.is_bound and not form.is_valid():
        codes = {error.code for error in form.non_field_errors().as_data()}
        if "too_many_login_attempts" in codes:
            response.status_code = 429
    return response
