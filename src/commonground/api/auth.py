"""API authentication: bearer tokens and the Django session (with CSRF on unsafe methods).

A request is authenticated by the first scheme that recognises it:

1. ``Authorization: Bearer <token>``: the token's SHA-256 is looked up among the
   stored ``ApiToken.key_hash`` values. A bearer token is not sent by the browser on
   its own, so these requests need no CSRF token. A wrong or revoked token is a 401
   at once, on every route, public reads included (api/middleware.py): the API
   never falls back to the session or to anonymous reading when a token was offered.
2. The Django session cookie: the logged-in user of the web UI. Because the browser
   sends the cookie with every request, unsafe methods (POST, PATCH, DELETE) must
   carry the CSRF token (``X-CSRFToken`` header), exactly as Django forms do.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from commonground.access.members import AnyUser
from commonground.core import prepared
from commonground.participants.models import ApiToken, User

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# last_used_at is refreshed at most this often, so a busy client does not turn
# every read into a write on the same token row.
LAST_USED_RESOLUTION = timedelta(minutes=1)

BAD_TOKEN_MESSAGE = "The API token is wrong or has been revoked."
NO_AUTH_MESSAGE = (
    "Authentication required: send 'Authorization: Bearer <token>' or log in to the web site."
)


class ApiRequest(HttpRequest):
    """The request as an API handler sees it (for the type checker; never instantiated):
    django-ninja sets ``auth`` to what the route's authentication returned, the caller's
    account on every route declared with ``auth=AUTH``."""

    auth: User


@cache
def _token_query(vendor: str) -> str:
    """The token lookup as one hand-written statement: every API request with a token runs
    it, and the ORM spent more CPU building the query than the database answering it
    (docs/performance.md, issue 19). It returns the user's columns (all of them, in the
    model's order), the token's id and whether its ``last_used_at`` is due for renewal.
    Built once per process and database vendor."""
    quote = connection.ops.quote_name
    columns = ", ".join(f"u.{quote(str(f.column))}" for f in User._meta.concrete_fields)
    return (
        f"SELECT {columns}, t.id AS token_id, "
        "(t.last_used_at IS NULL OR t.last_used_at < %s) AS token_due "
        f"FROM {quote(ApiToken._meta.db_table)} t "
        f"JOIN {quote(User._meta.db_table)} u ON u.id = t.user_id "
        "WHERE t.key_hash = %s AND u.is_active"
    )


@cache
def _user_fields() -> list[str]:
    return [f.attname for f in User._meta.concrete_fields]


def user_for_token(key: str) -> User | None:
    """The active user owning the API token ``key``, or None; records the token's use."""
    key = key.strip()
    if not key or len(key) > 200:
        return None
    now = timezone.now()
    params: list[Any] = [now - LAST_USED_RESOLUTION, ApiToken.hash_key(key)]
    if connection.vendor != "postgresql":  # SQLite's values need the ORM's converters
        found = next(iter(User.objects.raw(_token_query(connection.vendor), params)), None)
        if found is None:
            return None
        user, token_id, due = found, found.token_id, found.token_due  # type: ignore[attr-defined]
    else:
        # Usually a request's first statement: it stands for the connection's health check.
        row = prepared.fetch(_token_query(connection.vendor), params, checks_connection=True)
        if row is None:
            return None
        *values, token_id, due = row
        # The row as the ORM loads it (every concrete field, in order: from_db's fast
        # path) without the raw query's column mapping (~1 ms a request under the
        # profiler). psycopg gives every column of User its Python type already.
        user = User.from_db(connection.alias, _user_fields(), values)
    if due:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return user


def offered_token(request: HttpRequest) -> str | None:
    """The key of an ``Authorization: Bearer <key>`` header ("" if empty), else None."""
    # From META, the header's own entry: ``request.headers`` would build a mapping of every
    # header first (about 0.03 ms a request, issue 19), and nothing else here reads it.
    header = request.META.get("HTTP_AUTHORIZATION")
    if header is None:
        return None
    scheme, _, key = header.strip().partition(" ")
    return key.strip() if scheme.lower() == "bearer" else None


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a token from ``ApiToken``."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = getattr(request, "_bearer_user", None) or user_for_token(token)
        if user is None:
            raise AuthenticationError(401, BAD_TOKEN_MESSAGE)
        request.user = user
        return user


class SessionCsrfAuth(APIKeyCookie):
    """The web session; unsafe methods must pass Django's CSRF check.

    Unlike ninja's stock ``SessionAuth``, the CSRF check runs only when there is a
    logged-in session to protect, so an anonymous write is answered with 401
    ("log in"), not with a CSRF failure.
    """

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        unsafe = request.method not in SAFE_METHODS
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if unsafe and not exempt and check_csrf(request) is not None:
            raise HttpError(
                403,
                "CSRF check failed: a request authenticated by the session cookie must "
                "send the CSRF token in the X-CSRFToken header (or use a bearer token).",
            )
        assert isinstance(user, User)
        return user


bearer_auth = BearerTokenAuth()
session_auth = SessionCsrfAuth()

# For routes that need a caller: token first, then the session.
AUTH: list[Any] = [bearer_auth, session_auth]


def optional_user(request: HttpRequest) -> AnyUser:
    """The caller on a public (read-only) route: token user, session user or anonymous.

    A wrong bearer token is still a 401 (api/middleware.py refuses it before any
    route runs; checked again here for a request that did not pass through it), so a
    client never silently reads as anonymous because its token was revoked.
    """
    key = offered_token(request)
    if key is not None:
        user = getattr(request, "_bearer_user", None) or user_for_token(key)
        if user is None:
            raise AuthenticationError(401, BAD_TOKEN_MESSAGE)
        request.user = user
        return user
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        assert isinstance(user, User)
        return user
    return AnonymousUser()
