"""Concurrent contribution requests over real HTTP: no duplicates, one automatic hide.

Run on PostgreSQL, where requests truly run in parallel (SQLite runs one writer
at a time, so these races cannot happen there):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/commonground uv run pytest tests/contributions
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from typing import Any

import pytest
from django.db import connection

from commonground.contributions import services
from commonground.contributions.models import Comment, ModerationAction, Report, Signal
from commonground.forums.services import join_forum
from commonground.issues.models import Issue
from commonground.participants.services import create_account, create_api_token
from commonground.stakeholders import GROUPS
from tests.conftest import World
from tests.contributions.conftest import signal_fields

PARALLEL = 16

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (DATABASE_URL=postgres://...): SQLite runs one writer at a time",
    ),
    pytest.mark.django_db(transaction=True),
]


def _post(
    url: str, token: str, body: dict[str, Any], out: list[Any], go: threading.Barrier
) -> None:
    request = urllib.request.Request(
        url,
        method="POST",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        go.wait(timeout=60)
        with urllib.request.urlopen(request, timeout=120) as response:
            out.append((response.status, json.loads(response.read())))
    except urllib.error.HTTPError as error:
        out.append((error.code, error.read().decode(errors="replace")))
    except Exception as error:  # recorded, fails the test
        out.append((None, repr(error)))
    finally:
        connection.close()


def _fire(url: str, tokens: list[str], body: dict[str, Any]) -> list[Any]:
    out: list[Any] = []
    go = threading.Barrier(len(tokens))
    threads = [threading.Thread(target=_post, args=(url, t, body, out, go)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert len(out) == len(tokens), "some requests never finished"
    return out


def test_parallel_signals_from_one_member_make_one(
    world: World, issue: Issue, live_server: Any
) -> None:
    _, token = create_api_token(world.member["government"], "impatient")
    url = f"{live_server.url}/api/v1/issues/{issue.pk}/signals"
    results = _fire(url, [token] * PARALLEL, signal_fields("government"))
    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [409] * (PARALLEL - 1), results
    assert Signal.objects.count() == 1


def test_parallel_reports_hide_a_comment_exactly_once(
    world: World, issue: Issue, live_server: Any
) -> None:
    comment = services.add_comment(world.member["civil_society"], issue=issue, body="Spam")
    tokens = []
    for n in range(PARALLEL):
        user = create_account(f"reporter{n}@example.org", None)
        join_forum(user, world.forum, stakeholder_group=GROUPS[n % 6], country="KE")
        tokens.append(create_api_token(user, "reports")[1])
    url = f"{live_server.url}/api/v1/comments/{comment.pk}/reports"
    results = _fire(url, tokens, {"reason": "spam"})
    statuses = [status for status, _ in results]
    # Once hidden, the comment is invisible to the later reporters: 404 for them.
    assert set(statuses) <= {201, 404}, results
    assert statuses.count(201) >= services.settings_of(world.forum).report_threshold
    assert sum(1 for s, body in results if s == 201 and body["hidden"]) == 1
    comment.refresh_from_db()
    assert comment.hidden
    assert Report.objects.filter(object_id=comment.pk).count() == statuses.count(201)
    assert ModerationAction.objects.filter(action="hide", object_id=comment.pk).count() == 1
    assert Comment.objects.count() == 1


def test_parallel_comments_from_one_member_stop_exactly_at_the_rate_limit(
    world: World, issue: Issue, live_server: Any, settings: Any
) -> None:
    settings.COMMONGROUND_RATE_LIMITS = {"comments_per_hour": 3}
    _, token = create_api_token(world.member["private_sector"], "flood")
    url = f"{live_server.url}/api/v1/issues/{issue.pk}/comments"
    results = _fire(url, [token] * PARALLEL, {"body": "Me too"})
    statuses = sorted(status for status, _ in results)
    assert statuses == [201] * 3 + [429] * (PARALLEL - 3), results
    assert Comment.objects.filter(author=world.membership["private_sector"]).count() == 3
