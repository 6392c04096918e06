# ruff: noqa: E501 (the request tables read one request a line)
"""A bearer-token vote or comment on the short route answers as django-ninja's own view
does (docs/architecture.md, "Hot paths written by hand"; api/write_routes.py).

Each scenario runs on the site as configured (``api.write_routes`` before ninja's
patterns), then with the URLconf without those routes (this module's ``urlpatterns``), on
the same conversation and members. Statuses, headers and bodies must be the same, except
what differs between two writes by nature (a new row's id, its time), and so must the
rows and ledger entries written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import include, path, resolve

import commonground.urls as site_urls
from commonground.api.write_routes import WRITE_ROUTES
from commonground.contributions.models import Comment
from commonground.dialogue.models import Conversation, Statement, Vote
from commonground.issues.models import Issue
from commonground.ledger.models import LedgerEntry
from tests.api.conftest import API, bearer
from tests.conftest import World
from tests.dialogue.conftest import conversation, statements  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

SHORT = set(WRITE_ROUTES.values())
# The site's URLconf without the short routes: every vote and comment goes to ninja's view.
urlpatterns = [path("", include([p for p in site_urls.urlpatterns if p.callback not in SHORT]))]

Call = tuple[str, str, dict[str, Any], Client]
# A vote of each run is on a statement of its own.
VOLATILE = {"id", "statement", "created_at", "updated_at", "Content-Length"}


def _mask(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: "…" if k in VOLATILE else _mask(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return value


def _answer(response: Any) -> tuple[int, Any, Any]:
    headers = _mask(dict(response.items()))
    try:
        body = _mask(json.loads(response.content)) if response.content else b""
    except ValueError:
        body = response.content
    return response.status_code, sorted(headers.items()), body


def _run(calls: list[Call]) -> list[tuple[int, Any, Any]]:
    answers = []
    for method, url, options, client in calls:
        answers.append(_answer(getattr(client, method)(url, **options)))
    return answers


def _writes() -> tuple[int, int, int]:
    return Vote.objects.count(), Comment.objects.count(), LedgerEntry.objects.count()


def _both_ways(calls: Callable[[int], list[Call]]) -> tuple[list[Any], list[Any]]:
    """The answers on the site as configured (``calls(0)``), then without the short
    routes (``calls(1)``): the same requests, on other statements where a vote is new."""
    before = _writes()
    short = _run(calls(0))
    middle = _writes()
    with override_settings(ROOT_URLCONF=__name__):
        assert resolve(f"{API}/conversations/1/votes").func not in SHORT
        ninja = _run(calls(1))
    after = _writes()
    assert [m - b for m, b in zip(middle, before, strict=True)] == [
        a - m for a, m in zip(after, middle, strict=True)
    ]
    return short, ninja


def _json(payload: Any, headers: dict[str, str]) -> dict[str, Any]:
    return {"data": json.dumps(payload), "content_type": "application/json", **headers}


def test_votes_and_their_refusals_answer_as_ninja_does(
    world: World,
    conversation: Conversation,  # noqa: F811
    statements: list[Statement],  # noqa: F811
) -> None:
    member, other = world.member["government"], world.member["private_sector"]
    url = f"{API}/conversations/{conversation.pk}/votes"

    def calls(run: int) -> list[Call]:
        first, second = statements[2 * run].pk, statements[2 * run + 1].pk
        auth, client = bearer(member), Client()
        french = {**bearer(other), "HTTP_ACCEPT_LANGUAGE": "fr"}
        session = Client(enforce_csrf_checks=True)
        session.force_login(world.member["civil_society"])
        return [
            ("post", url, _json({"statement": first, "vote": 1}, auth), client),  # 201
            ("post", url, _json({"statement": first, "vote": -1}, auth), client),  # 200
            ("post", url, _json({"statement": second, "vote": 0}, french), client),  # 201
            ("post", url, _json({"statement": first, "vote": 2}, auth), client),  # 422
            ("post", url, _json({"statement": "x", "vote": 1}, auth), client),  # 422
            ("post", url, {"data": "{", "content_type": "application/json", **auth}, client),
            ("post", url, _json({"statement": 10**6, "vote": 1}, auth), client),  # 404
            ("post", url, _json({"statement": first, "vote": 1}, bearer(world.outsider)), client),
            ("post", f"{API}/conversations/{conversation.pk + 1000}/votes", _json({}, auth), client),
            ("post", f"{API}/conversations/0/votes", _json({"statement": 1, "vote": 1}, auth), client),
            ("post", f"{API}/conversations/x/votes", _json({"statement": 1, "vote": 1}, auth), client),
            ("put", url, _json({"statement": first, "vote": 1}, auth), client),  # 405
            ("post", url, _json({"statement": first, "vote": 1}, {}), client),  # 401
            ("post", url, _json({"statement": first, "vote": 1}, {}), session),  # CSRF: 403
            ("post", url, _json({"statement": first, "vote": 1}, {"HTTP_AUTHORIZATION": "Bearer x"}), client),
            ("post", url, _json({"statement": first, "vote": 1}, {"HTTP_AUTHORIZATION": "Basic x"}), client),
        ]  # fmt: skip

    short, ninja = _both_ways(calls)
    statuses = [status for status, _, _ in short]
    assert statuses == [
        201,
        200,
        201,
        422,
        422,
        400,
        404,
        403,
        422,
        422,
        422,
        405,
        401,
        403,
        401,
        401,
    ]
    assert short == ninja
    assert Vote.objects.filter(statement=statements[0], value=-1).count() == 1


def test_comments_and_their_refusals_answer_as_ninja_does(world: World, issue: Issue) -> None:
    member, other = world.member["government"], world.member["private_sector"]
    url = f"{API}/issues/{issue.pk}/comments"
    first = Client().post(url, **_json({"body": "The first comment."}, bearer(other)))
    parent = first.json()["id"]

    def calls(run: int) -> list[Call]:
        auth, client = bearer(member), Client()
        french = {**bearer(other), "HTTP_ACCEPT_LANGUAGE": "fr"}
        session = Client(enforce_csrf_checks=True)
        session.force_login(world.member["civil_society"])
        return [
            ("post", url, _json({"body": "A **bold** point."}, auth), client),  # 201
            ("post", url, _json({"body": "En français.", "stance": "against"}, french), client),
            ("post", url, _json({"body": ""}, auth), client),  # 422
            ("post", url, _json({"body": "x", "stance": "maybe"}, auth), client),  # 422
            ("post", url, _json({"body": "Reply.", "parent": parent}, auth), client),  # 201
            ("post", url, _json({"body": "Reply.", "parent": 10**6}, auth), client),
            ("post", url, _json({"body": "Hello."}, bearer(world.outsider)), client),  # 403
            ("post", f"{API}/issues/{issue.pk + 1000}/comments", _json({"body": "Hi."}, auth), client),
            ("post", f"{API}/issues/0/comments", _json({"body": "Hi."}, auth), client),
            ("get", url, auth, client),  # the list: ninja's view both ways
            ("post", url, _json({"body": "Hi."}, {}), client),  # 401
            ("post", url, _json({"body": "Hi."}, {}), session),  # CSRF: 403
            ("post", url, _json({"body": "Hi."}, {"HTTP_AUTHORIZATION": "Bearer x"}), client),
        ]  # fmt: skip

    short, ninja = _both_ways(calls)
    statuses = [status for status, _, _ in short]
    assert statuses[:5] == [201, 201, 422, 422, 201]
    assert statuses[6:] == [403, 404, 422, 200, 401, 403, 401]
    short[9] = ninja[9] = None  # the list (ninja's view both ways) has grown meanwhile
    assert short == ninja
    assert Comment.objects.filter(issue=issue, parent=parent).count() == 2


def test_the_write_paths_resolve_to_the_short_routes_first() -> None:
    assert resolve(f"{API}/conversations/7/votes").func in SHORT
    assert resolve(f"{API}/issues/7/comments").func in SHORT
    assert resolve(f"{API}/issues/7").func not in SHORT
