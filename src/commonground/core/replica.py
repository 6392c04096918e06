"""Reads from a streaming replica, with read-your-writes (docs/deployment.md, "Replica").

With ``DATABASE_REPLICA_URL`` set, :class:`ReplicaMiddleware` marks a request as
*replica-eligible* when it is a GET or HEAD of a read-heavy page or API route (the
``COMMONGROUND_REPLICA_PATHS`` prefixes: agenda, lists, feeds, open data, the API's GETs)
and the visitor is not pinned; :class:`ReplicaRouter` then sends that request's reads to
the ``replica`` database. Everything else reads and writes the primary: other requests,
reads inside a transaction (a read-modify-write must see the primary), migrations.

Read-your-writes: any other request (a POST, PUT, PATCH or DELETE, whatever its outcome)
sets the ``cg_primary`` cookie for ``COMMONGROUND_REPLICA_PIN_SECONDS`` (default 5), and a
pinned visitor reads the primary: what the member just wrote is what they see next, even
while the replica lags. The cookie carries no identity (its value is "1").
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "cg_primary"
SAFE_METHODS = frozenset({"GET", "HEAD"})

_use_replica: ContextVar[bool] = ContextVar("commonground_use_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def pin_seconds() -> int:
    return int(getattr(settings, "COMMONGROUND_REPLICA_PIN_SECONDS", 5))


def eligible(request: HttpRequest) -> bool:
    """A read-heavy GET/HEAD from a visitor not pinned to the primary."""
    if request.method not in SAFE_METHODS or request.COOKIES.get(PIN_COOKIE):
        return False
    prefixes = getattr(settings, "COMMONGROUND_REPLICA_PATHS", ())
    return any(request.path.startswith(prefix) for prefix in prefixes)


class ReplicaMiddleware:
    """Chooses the database of the request's reads; pins a writer to the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        token = _use_replica.set(eligible(request))
        try:
            response = self.get_response(request)
        finally:
            _use_replica.reset(token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=pin_seconds(),
                httponly=True,
                samesite="Lax",
                secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
            )
        return response


class ReplicaRouter:
    """Reads of replica-eligible requests go to the replica; all else to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        if model._meta.app_label == "django_cache":
            return "default"  # the shared cache is written and read on the primary only
        if _use_replica.get() and not connections["default"].in_atomic_block:
            return REPLICA
        return "default"

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary: same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"
