"""A support and its withdrawal by bearer token, dispatched without django-ninja's machinery.

Under the support storm (issue 19) a support's application CPU beyond the floor write's
was partly the request's way to its handler: Django's resolver trying the API's patterns in
order, then ninja finding the operation, running the authentication classes, validating
the path parameter and wrapping the handler. For the common case, a member's
``POST`` or ``DELETE /api/v1/issues/<id>/support`` with a valid bearer token (which
api/middleware.py has already looked up) and a well-formed id, this route does the same
steps by hand and calls the same handler (``api.issues.support`` or ``unsupport``); an
exception leaves through the API's own exception handlers, as in ninja's ``Operation.run``.

Every other request takes ninja's view unchanged: no token or the session cookie (ninja's
CSRF check applies), another method (405), an id ninja would refuse or read differently
(422), an ``Authorization`` header ninja's bearer class would not read as bearer. The
OpenAPI document still comes from ninja's routes, which stay registered.
``tests/api/test_support_route.py`` compares the answers with ninja's byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.views.decorators.csrf import csrf_exempt

from commonground.api.issues import support, unsupport
from commonground.api.router import api
from commonground.api.schemas.base import MAX_ID

# ninja's pattern of the same path (under api/v1/), the one this route stands in front of.
NINJA_PATTERN = "issues/<issue_id>/support"
HANDLERS: dict[str, Callable[..., HttpResponseBase]] = {"POST": support, "DELETE": unsupport}
MAX_ID_DIGITS = len(str(MAX_ID))


@cache
def _ninja_view() -> Callable[..., HttpResponseBase]:
    for pattern in api.urls[0]:
        view = getattr(pattern, "callback", None)
        if str(getattr(pattern, "pattern", "")) == NINJA_PATTERN and view is not None:
            return view
    raise LookupError(f"django-ninja has no route {NINJA_PATTERN}")


def _issue_id(text: str) -> int | None:
    """The id as ninja's ``IssueId`` reads it, for plain decimal digits in range; None for
    anything else (ninja then decides)."""
    if not (len(text) <= MAX_ID_DIGITS and text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


def _bearer_user(request: HttpRequest) -> Any:
    """The token's user, when ninja's bearer class would read the header as bearer (the
    first space-separated word, in any case) and the middleware found the token valid."""
    user = getattr(request, "_bearer_user", None)
    header = request.META.get("HTTP_AUTHORIZATION") or ""  # as request.headers reads it
    return user if header.split(" ")[0].lower() == "bearer" else None


@csrf_exempt  # as ninja's views: a token request has no CSRF; the rest go to ninja
def support_route(request: HttpRequest, issue_id: str) -> HttpResponseBase:
    handler = HANDLERS.get(request.method or "")
    number = _issue_id(issue_id)
    user = _bearer_user(request) if handler is not None and number is not None else None
    if handler is None or number is None or user is None:
        return _ninja_view()(request, issue_id=issue_id)
    # What ninja's Operation.run sets before calling the handler.
    request._ninja_csrf_exempt = True  # type: ignore[attr-defined]
    request.auth = user  # type: ignore[attr-defined]
    try:
        return handler(request, number)
    except Exception as error:  # as ninja's Operation.run answers any exception
        return api.on_exception(request, error)
