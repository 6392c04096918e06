"""Concurrent supports through real HTTP requests never duplicate and never lose a count.

64 threads hit a live server at the same moment. Run on PostgreSQL, where the
requests truly run in parallel (SQLite serialises every writer, so the race this
checks cannot happen there):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/commonground uv run pytest tests/api
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection

from commonground.forums.services import join_forum
from commonground.issues.models import Issue, Support
from commonground.issues.services import raise_issue
from commonground.participants.services import create_account, create_api_token
from commonground.recognition.services import check_tallies
from commonground.stakeholders import GROUPS
from tests.conftest import World
from tests.parallel import Call, all_at_once

PARALLEL = 64
COUNTRIES = ("KE", "CH", "UA", "BR", "SN", "IN")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (DATABASE_URL=postgres://...): SQLite runs one writer at a "
        "time, so parallel supports cannot race there",
    ),
    pytest.mark.django_db(transaction=True),
]


def _fire(url: str, tokens: list[str]) -> list[Any]:
    """One support request per token, all at once: (status, the JSON answer or the error)."""
    answers = all_at_once([Call("POST", url, token) for token in tokens])
    return [
        (a.status, json.loads(a.body) if a.status and a.status < 300 else a.body) for a in answers
    ]


@pytest.fixture
def contested_issue(world: World) -> Issue:
    return raise_issue(
        world.member["civil_society"],
        world.forum,
        title="Contested",
        description="Everyone supports this.",
    )


def test_64_parallel_supports_from_64_participants_make_exactly_64(
    world: World, contested_issue: Issue, live_server: Any
) -> None:
    tokens = []
    for n in range(PARALLEL):
        user = create_account(f"crowd{n}@example.org", None, display_name=f"Crowd {n}")
        join_forum(user, world.forum, stakeholder_group=GROUPS[n % 6], country=COUNTRIES[n % 6])
        tokens.append(create_api_token(user, "load")[1])
    url = f"{live_server.url}/api/v1/issues/{contested_issue.pk}/support"

    results = _fire(url, tokens)

    statuses = sorted(status for status, _ in results)
    assert statuses == [201] * PARALLEL, results
    assert Support.objects.filter(issue=contested_issue).count() == PARALLEL
    contested_issue.refresh_from_db()
    assert contested_issue.support_count == PARALLEL
    tallies = contested_issue.supports_by_group
    expected = {g: sum(1 for n in range(PARALLEL) if GROUPS[n % 6] == g) for g in GROUPS}
    assert tallies == expected
    assert check_tallies(world.cycle) == []
    # Each answer re-reads the count after its own commit: never more than 64, and
    # the last request to commit sees all of them.
    counts = [body["support_count"] for _, body in results]
    assert max(counts) == PARALLEL
    assert min(counts) >= 1


def test_64_parallel_supports_from_one_participant_make_one(
    world: World, contested_issue: Issue, live_server: Any
) -> None:
    _, token = create_api_token(world.member["government"], "impatient")
    url = f"{live_server.url}/api/v1/issues/{contested_issue.pk}/support"

    results = _fire(url, [token] * PARALLEL)

    statuses = [status for status, _ in results]
    assert set(statuses) <= {200, 201}, results
    assert statuses.count(201) == 1
    assert Support.objects.filter(issue=contested_issue).count() == 1
    contested_issue.refresh_from_db()
    assert contested_issue.support_count == 1
    assert contested_issue.supports_government == 1
    assert check_tallies(world.cycle) == []
    assert all(body["support_count"] == 1 for _, body in results)
