"""Common Ground's django-allauth adapter: how accounts are signed up, limited and mailed."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter with the site's own rules for e-mail identity and limits."""

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth keys the failed-login count by the request's host and the e-mail. The
        # host is the client's to choose (any Host header matching ALLOWED_HOSTS, with any
        # port), so every variant would get ten more tries: count by the e-mail alone.
        login = credentials.get("email", credentials.get("username", "")) or ""
        return f"login:{login.strip().lower()}"
