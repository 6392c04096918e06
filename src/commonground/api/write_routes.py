"""A bearer-token vote or comment, handed to its django-ninja operation without the
resolver's walk and the authentication classes (issue 19, mixed forum day's writes).

Under the mixed forum day a vote's and a comment's application CPU was about a fifth
Django's resolver trying the API's patterns one by one (about 200) and ninja's checks
running the authentication classes for a caller api/middleware.py had already found
(docs/performance.md, "A vote's and a comment's way to their handler"). For a ``POST``
with a valid bearer token, the routes here (placed before ninja's patterns in
commonground/urls.py) call the same ninja ``Operation`` with the caller set as the bearer
class would set it, then ninja's own steps: the path and body parsed and validated (422s
as before), the handler, the answer validated against the response schema and rendered,
an exception through the API's exception handlers. Unlike ``api.support_route``, nothing of
ninja's parsing or rendering is redone by hand, so the answers cannot drift from ninja's.

Every other request goes to ninja's view unchanged: another method (the comments' GET
list, 405s), no token or the session cookie (ninja's CSRF check applies), an
``Authorization`` header the bearer class would not read as bearer. An operation with
throttles, an asynchronous one, or one whose first authentication is not the bearer
class is never shortened. ``tests/api/test_write_routes.py`` compares the answers with
ninja's byte for byte.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from ninja.operation import Operation

from commonground.api.auth import bearer_auth
from commonground.api.router import api
from commonground.api.support_route import _bearer_user

View = Callable[..., HttpResponseBase]


@cache
def _ninja_view(pattern: str) -> View:
    """ninja's view of this pattern (under api/v1/): the first one, as Django resolves."""
    for url in api.urls[0]:
        view = getattr(url, "callback", None)
        if str(getattr(url, "pattern", "")) == pattern and view is not None:
            return view
    raise LookupError(f"django-ninja has no route {pattern}")


@cache
def _operation(pattern: str, method: str) -> Operation | None:
    """ninja's synchronous operation for ``method`` on this pattern, when it may be called
    as below (the bearer class first, no throttles, no stream); None otherwise."""
    path_view = inspect.getclosurevars(_ninja_view(pattern)).nonlocals.get("self")
    for operation in getattr(path_view, "operations", []):
        if method in operation.methods:
            simple = (
                type(operation) is Operation
                and not operation.throttle_objects
                and not operation.stream_format
                and bool(operation.auth_callbacks)
                and operation.auth_callbacks[0] is bearer_auth
            )
            return operation if simple else None
    return None


def _route(pattern: str, method: str) -> View:
    @csrf_exempt  # as ninja's views: a token request has no CSRF; the rest go to ninja
    def route(request: HttpRequest, **kwargs: str) -> HttpResponseBase:
        operation = _operation(pattern, method) if request.method == method else None
        user = _bearer_user(request) if operation is not None else None
        if operation is None or user is None:
            return _ninja_view(pattern)(request, **kwargs)
        # What ninja's Operation.run does, its checks settled: the bearer class would
        # return this user (and set request.user), so the authentication ends there.
        if operation.csrf_exempt:
            request._ninja_csrf_exempt = True  # type: ignore[attr-defined]
        request.user = user
        request.auth = user  # type: ignore[attr-defined]
        try:
            temporal = api.create_temporal_response(request)
            values = operation._get_values(request, kwargs, temporal)
            result = operation.view_func(request, **values)
            return operation._result_to_response(request, result, temporal)
        except Exception as error:  # as ninja's Operation.run answers any exception
            return api.on_exception(request, error)

    route.__name__ = route.__qualname__ = f"{method.lower()}_{pattern}"
    return route


# Django's patterns for these paths, each in front of ninja's pattern of the same path.
WRITE_ROUTES: dict[str, View] = {
    "conversations/<conversation_id>/votes": _route(
        "conversations/<conversation_id>/votes", "POST"
    ),
    "issues/<issue_id>/comments": _route("issues/<issue_id>/comments", "POST"),
}


def urlpatterns() -> list[Any]:
    """The routes as Django URL patterns under ``api/v1/``."""
    return [path(f"api/v1/{pattern}", view) for pattern, view in WRITE_ROUTES.items()]
